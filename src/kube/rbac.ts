// RBAC reads for the evaluator: the four RBAC lists and the ServiceAccounts (each list on its own, so a 403 on one
// leaves the others usable), SubjectAccessReview, and the API resources discovery serves (group of a resource name).
import {
  bindingFrom,
  emptyRbacObjects,
  roleFrom,
  type RbacObjects,
  type RequestAttributes,
  type ServiceAccountRef,
  type UserInfo,
} from '../core/rbac/index';
import { isClusterError, type ClusterError } from './errors';
import type { KubeHttp } from './http';

const RBAC_PATH = '/apis/rbac.authorization.k8s.io/v1';

export interface RbacListError {
  resource: string;
  /** True for 403: the credentials may not list it (shown as such, not as a failure). */
  forbidden: boolean;
  reason: string;
}

export interface RbacSnapshot {
  objects: RbacObjects;
  serviceAccounts: ServiceAccountRef[];
  errors: RbacListError[];
}

async function listInto(
  http: KubeHttp,
  resource: string,
  path: string,
  signal: AbortSignal | undefined,
  errors: RbacListError[],
  onItem: (item: unknown) => void,
): Promise<void> {
  try {
    await http.list({ path, purpose: { verb: 'list', resource, namespace: null }, signal }, (page) => {
      for (const item of page) onItem(item);
    });
  } catch (error) {
    if (!isClusterError(error) || error.kind === 'cancelled') throw error;
    const clusterError = error as ClusterError;
    errors.push({ resource, forbidden: clusterError.kind === 'forbidden', reason: clusterError.message });
  }
}

/** Everything the evaluator needs, across all namespaces; lists that fail are reported in `errors`. */
export async function fetchRbacSnapshot(http: KubeHttp, signal?: AbortSignal): Promise<RbacSnapshot> {
  const serviceAccounts: ServiceAccountRef[] = [];
  const errors: RbacListError[] = [];
  const [objects] = await Promise.all([
    fetchRbacObjects(http, signal, errors),
    listInto(http, 'serviceaccounts', '/api/v1/serviceaccounts', signal, errors, (item) => {
      const metadata = (item as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
      if (typeof metadata?.name === 'string' && typeof metadata.namespace === 'string')
        serviceAccounts.push({ namespace: metadata.namespace, name: metadata.name });
    }),
  ]);
  return { objects, serviceAccounts, errors };
}

/** The four RBAC lists (for callers that list ServiceAccounts anyway); lists that fail are added to `errors`. */
export async function fetchRbacObjects(
  http: KubeHttp,
  signal: AbortSignal | undefined,
  errors: RbacListError[],
): Promise<RbacObjects> {
  const objects = emptyRbacObjects();
  const push = <T>(list: T[], value: T | undefined) => {
    if (value) list.push(value);
  };
  await Promise.all([
    listInto(http, 'roles', `${RBAC_PATH}/roles`, signal, errors, (item) =>
      push(objects.roles, roleFrom(item, 'Role')),
    ),
    listInto(http, 'clusterroles', `${RBAC_PATH}/clusterroles`, signal, errors, (item) =>
      push(objects.clusterRoles, roleFrom(item, 'ClusterRole')),
    ),
    listInto(http, 'rolebindings', `${RBAC_PATH}/rolebindings`, signal, errors, (item) =>
      push(objects.roleBindings, bindingFrom(item, 'RoleBinding')),
    ),
    listInto(http, 'clusterrolebindings', `${RBAC_PATH}/clusterrolebindings`, signal, errors, (item) =>
      push(objects.clusterRoleBindings, bindingFrom(item, 'ClusterRoleBinding')),
    ),
  ]);
  return objects;
}

export interface AccessReviewResult {
  allowed: boolean;
  denied: boolean;
  reason: string;
  evaluationError: string;
}

/** What the API server's authorizers decide for exactly this user and groups (throws ClusterError, e.g. forbidden). */
export async function subjectAccessReview(
  http: KubeHttp,
  user: UserInfo,
  attributes: RequestAttributes,
  signal?: AbortSignal,
): Promise<AccessReviewResult> {
  const spec = {
    user: user.name,
    groups: [...user.groups],
    ...(attributes.resourceRequest
      ? {
          resourceAttributes: {
            namespace: attributes.namespace ?? '',
            verb: attributes.verb,
            group: attributes.apiGroup ?? '',
            resource: attributes.resource ?? '',
            subresource: attributes.subresource ?? '',
            name: attributes.name ?? '',
          },
        }
      : { nonResourceAttributes: { path: attributes.path ?? '', verb: attributes.verb } }),
  };
  const review = await http.json<{ status?: Record<string, unknown> }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
    purpose: { verb: 'create', resource: 'subjectaccessreviews' },
    signal,
  });
  const status = review?.status ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    allowed: status.allowed === true,
    denied: status.denied === true,
    reason: text(status.reason),
    evaluationError: text(status.evaluationError),
  };
}

export interface ApiResource {
  group: string;
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

interface ResourceList {
  groupVersion?: string;
  resources?: Array<{ name?: unknown; namespaced?: unknown; verbs?: unknown }>;
}

/** Resources (and subresources) the server serves, core and each group's preferred version. */
export async function listApiResources(http: KubeHttp, signal?: AbortSignal): Promise<ApiResource[]> {
  const purpose = { verb: 'discover', resource: 'API resources' };
  const groups = await http.json<{ groups?: Array<{ name?: unknown; preferredVersion?: { groupVersion?: unknown } }> }>(
    { path: '/apis', purpose, signal },
  );
  const paths = ['/api/v1'];
  for (const group of groups?.groups ?? []) {
    const groupVersion = group?.preferredVersion?.groupVersion;
    if (typeof groupVersion === 'string' && /^[a-z0-9.-]+\/[a-z0-9]+$/.test(groupVersion))
      paths.push(`/apis/${groupVersion}`);
  }
  const lists = await Promise.all(
    paths.map((path) => http.json<ResourceList>({ path, purpose, signal }).catch((): ResourceList => ({}))),
  );
  const resources: ApiResource[] = [];
  for (const list of lists) {
    const group = list?.groupVersion?.includes('/') ? list.groupVersion.split('/')[0] : '';
    for (const entry of list?.resources ?? []) {
      if (typeof entry?.name !== 'string') continue;
      const verbs = Array.isArray(entry.verbs)
        ? entry.verbs.filter((verb): verb is string => typeof verb === 'string')
        : [];
      resources.push({ group, resource: entry.name, namespaced: entry.namespaced === true, verbs });
    }
  }
  return resources;
}
