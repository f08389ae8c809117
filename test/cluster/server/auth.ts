// Bearer-token authentication for the two kubeconfig users and service accounts authenticating with tokens this
// cluster issued; authorization by RBAC. Forbidden messages follow k8s.io/apiserver's format.
import type { Cluster } from './cluster';
import { authorizeRbac, rulesFor as rbacRulesFor, type Verdict } from './rbac/authorizer';
import type { RequestInfo } from './request-info';
import { ApiError, failure } from './status';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const adminUser: UserInfo = { username: 'demo-admin', groups: ['system:masters', 'system:authenticated'] };
export const viewerUser: UserInfo = { username: 'demo-viewer', groups: ['system:authenticated'] };
/** The usual restricted user: no cluster-wide grant at all, so not even namespaces can be listed. */
export const developerUser: UserInfo = { username: 'demo-developer', groups: ['system:authenticated'] };

/**
 * kube-apiserver's authorizer chain as configured here: the privileged group `system:masters` (authorizerfactory
 * NewPrivilegedGroups), then RBAC over the cluster's Roles and bindings (./rbac/authorizer.ts).
 */
export function decide(cluster: Cluster, user: UserInfo, info: RequestInfo): Verdict {
  if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
  return authorizeRbac(cluster.rbac, { username: user.username, groups: user.groups }, info);
}

export const allowed = (cluster: Cluster, user: UserInfo, info: RequestInfo): boolean =>
  decide(cluster, user, info).allowed;

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

/**
 * The rules behind `decide` for `user` in `namespace` (RBACAuthorizer.RulesFor, behind SelfSubjectRulesReview):
 * a policy rule with resources becomes a resource rule, one with nonResourceURLs a non-resource rule; the privileged
 * group holds everything.
 */
export function rulesFor(
  cluster: Cluster,
  user: UserInfo,
  namespace: string,
): { resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[] } {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  if (user.groups.includes('system:masters')) {
    resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
  }
  for (const rule of rbacRulesFor(cluster.rbac, { username: user.username, groups: user.groups }, namespace)) {
    if (rule.resources?.length)
      resourceRules.push({
        verbs: rule.verbs ?? [],
        apiGroups: rule.apiGroups ?? [],
        resources: rule.resources,
        ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
      });
    if (rule.nonResourceURLs?.length)
      nonResourceRules.push({ verbs: rule.verbs ?? [], nonResourceURLs: rule.nonResourceURLs });
  }
  return { resourceRules, nonResourceRules };
}

function forbiddenMessage(user: UserInfo, info: RequestInfo): string {
  if (!info.isResourceRequest) return `forbidden: User "${user.username}" cannot ${info.verb} path "${info.path}"`;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const qualified = info.apiGroup ? `${info.resource}.${info.apiGroup}` : info.resource;
  const subject = info.name ? `${qualified} "${info.name}"` : qualified;
  const namespace = info.resource === 'namespaces' && !info.subresource ? '' : info.namespace;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${user.username}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}" ${scope}`;
}

export function forbidden(user: UserInfo, info: RequestInfo): ApiError {
  return new ApiError(
    failure(403, 'Forbidden', forbiddenMessage(user, info), {
      name: info.name || undefined,
      group: info.apiGroup || undefined,
      kind: info.resource || undefined,
    }),
  );
}

/** Throws the 403 the real authorizer would give, or returns when the request is allowed. */
export function authorize(cluster: Cluster, user: UserInfo, info: RequestInfo): void {
  if (!allowed(cluster, user, info)) throw forbidden(user, info);
}

/** The header's bearer token, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
