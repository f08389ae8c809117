// Who a ServiceAccount is to the authorizer (k8s.io/apiserver/pkg/authentication/serviceaccount), and how binding
// subjects name users (pkg/registry/rbac/validation/rule.go appliesToUser).
import { ALL_AUTHENTICATED_GROUP, ALL_SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNT_USER_PREFIX } from '../kubernetes';
import type { Binding, ServiceAccountRef, Subject, UserInfo } from './types';

export { ALL_AUTHENTICATED_GROUP, ALL_SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNT_USER_PREFIX };
/** `system:serviceaccounts:<namespace>`: every ServiceAccount of one namespace. */
export const serviceAccountsGroupPrefix = `${ALL_SERVICE_ACCOUNTS_GROUP}:`;
export const serviceAccountsGroup = (namespace: string): string => `${serviceAccountsGroupPrefix}${namespace}`;

/** `serviceaccount.MakeUsername`. */
export const serviceAccountUsername = (namespace: string, name: string): string =>
  `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;

/** The user a ServiceAccount token authenticates as: its username and the three groups every SA token carries. */
export function serviceAccountUser(account: ServiceAccountRef): UserInfo {
  return {
    name: serviceAccountUsername(account.namespace, account.name),
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, serviceAccountsGroup(account.namespace), ALL_AUTHENTICATED_GROUP],
  };
}

/** `serviceaccount.SplitUsername`: namespace and name of a `system:serviceaccount:<ns>:<name>` username. */
export function splitServiceAccountUsername(username: string): ServiceAccountRef | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/**
 * The username a binding subject names, or undefined when it names none: a ServiceAccount subject without namespace
 * means the RoleBinding's namespace, and nothing in a ClusterRoleBinding.
 */
export function subjectUsername(subject: Subject, binding: Binding): string | undefined {
  if (subject.kind === 'User') return subject.name;
  if (subject.kind !== 'ServiceAccount') return undefined;
  const namespace = subject.namespace || binding.namespace;
  return namespace ? serviceAccountUsername(namespace, subject.name) : undefined;
}

/** How a subject reaches a ServiceAccount, as the JSON contract names it. */
export type Via = 'serviceaccount' | 'user' | `group:${string}`;

export function viaOf(subject: Subject): Via {
  if (subject.kind === 'ServiceAccount') return 'serviceaccount';
  if (subject.kind === 'User') return 'user';
  return `group:${subject.name}`;
}
