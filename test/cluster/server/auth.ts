// Bearer-token authentication and an RBAC-like authorizer for the two kubeconfig users, plus service accounts
// authenticating with tokens this cluster issued. Forbidden messages follow k8s.io/apiserver's format.
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

export const restrictedNamespace = 'restricted';

/** Paths system:discovery and system:public-info-viewer grant to every authenticated user. */
const discoveryPath = /^\/(api|apis|version|openapi|healthz|livez|readyz)(\/|$)/;
/** system:service-account-issuer-discovery is bound to system:serviceaccounts only, by default. */
const issuerDiscoveryPaths = new Set(['/.well-known/openid-configuration', '/openid/v1/jwks']);
const selfReviews = new Set(['selfsubjectreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
const viewerResources = new Set(['namespaces', 'serviceaccounts', 'pods', 'configmaps']);
const readVerbs = new Set(['get', 'list', 'watch']);

export function allowed(user: UserInfo, info: RequestInfo): boolean {
  if (user.groups.includes('system:masters')) return true;
  if (!info.isResourceRequest) {
    if (issuerDiscoveryPaths.has(info.path) || issuerDiscoveryPaths.has(info.path.replace(/\/$/, '')))
      return user.groups.includes('system:serviceaccounts');
    return discoveryPath.test(info.path);
  }
  if (selfReviews.has(info.resource) && info.verb === 'create') return true;
  if (user !== viewerUser || !readVerbs.has(info.verb) || !viewerResources.has(info.resource) || info.subresource)
    return false;
  // A ClusterRole lets the viewer read namespaces; everything else comes from RoleBindings in each namespace but
  // `restricted`, so cluster-scope (all-namespaces) lists are forbidden, as with real RBAC.
  if (info.resource === 'namespaces') return true;
  return info.namespace !== '' && info.namespace !== restrictedNamespace;
}

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
 * What `allowed` grants `user` in `namespace`, as the RBAC rules that would grant it (the RuleResolver's RulesFor,
 * behind SelfSubjectRulesReview): the bootstrap roles every authenticated user and every service account is bound
 * to (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go: system:basic-user, system:discovery,
 * system:public-info-viewer, system:service-account-issuer-discovery), cluster-admin for system:masters, and the
 * viewer's ClusterRoleBinding (namespaces) and per-namespace RoleBindings. Kept next to `allowed` so both change together.
 */
export function rulesFor(
  user: UserInfo,
  namespace: string,
): { resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[] } {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  if (user.groups.includes('system:masters')) {
    resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
  }
  resourceRules.push(
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  );
  nonResourceRules.push(
    {
      verbs: ['get'],
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
    },
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  );
  if (user.groups.includes('system:serviceaccounts'))
    nonResourceRules.push({
      verbs: ['get'],
      nonResourceURLs: [
        '/.well-known/openid-configuration',
        '/.well-known/openid-configuration/',
        '/openid/v1/jwks',
        '/openid/v1/jwks/',
      ],
    });
  if (user === viewerUser) {
    resourceRules.push({ verbs: [...readVerbs], apiGroups: [''], resources: ['namespaces'] });
    if (namespace !== restrictedNamespace)
      resourceRules.push({
        verbs: [...readVerbs],
        apiGroups: [''],
        resources: [...viewerResources].filter((name) => name !== 'namespaces'),
      });
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
export function authorize(user: UserInfo, info: RequestInfo): void {
  if (!allowed(user, info)) throw forbidden(user, info);
}

/** The header's bearer token, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
