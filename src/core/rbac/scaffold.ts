// The smallest Role+RoleBinding (or ClusterRole+ClusterRoleBinding for cluster scope and non-resource URLs) that
// would let a ServiceAccount make one request. Shown to the user, never applied by us.
import { stringify } from 'yaml';
import { MAX_OBJECT_NAME_LENGTH } from '../kubernetes';
import type { RequestAttributes, ServiceAccountRef } from './types';

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

/** A DNS-subdomain name built from the parts; unusable characters become '-'. */
function objectName(parts: string[]): string {
  const name = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return (name || 'grant').slice(0, MAX_OBJECT_NAME_LENGTH).replace(/[-.]+$/, '');
}

export function scaffoldGrant(account: ServiceAccountRef, attributes: RequestAttributes): string {
  const clusterScoped = !attributes.resourceRequest || !attributes.namespace;
  const target = attributes.resourceRequest
    ? attributes.subresource
      ? `${attributes.resource}-${attributes.subresource}`
      : (attributes.resource ?? '')
    : 'nonresource';
  const name = objectName([
    account.name,
    attributes.verb === '*' ? 'all' : attributes.verb,
    target === '*' ? 'all' : target,
  ]);
  const rule = attributes.resourceRequest
    ? {
        apiGroups: [attributes.apiGroup ?? ''],
        resources: [attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource],
        ...(attributes.name ? { resourceNames: [attributes.name] } : {}),
        verbs: [attributes.verb],
      }
    : { nonResourceURLs: [attributes.path], verbs: [attributes.verb] };
  const metadata = clusterScoped ? { name } : { name, namespace: attributes.namespace };
  const role = { apiVersion: RBAC_API_VERSION, kind: clusterScoped ? 'ClusterRole' : 'Role', metadata, rules: [rule] };
  const binding = {
    apiVersion: RBAC_API_VERSION,
    kind: clusterScoped ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name },
    subjects: [{ kind: 'ServiceAccount', name: account.name, namespace: account.namespace }],
  };
  const header = [
    '# Scaffolded by sa-token: the smallest grant for this request. Review it, then apply it yourself',
    '# (kubectl apply -f), or give the permission through a role you already maintain.',
  ].join('\n');
  return `${header}\n${stringify(role)}---\n${stringify(binding)}`;
}
