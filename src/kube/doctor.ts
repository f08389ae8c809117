// The objects the troubleshooting checklist (core/troubleshoot/doctor.ts) needs, fetched for one target: the pod,
// workload or ServiceAccount, the ServiceAccount it runs as, the Secrets it reads (reduced at once to type, labels,
// annotations and "has a token": no Secret value is kept), the RBAC objects, and whether TokenRequest is served.
// Anything forbidden or absent becomes "unknown" with the reason, never a failure of the whole diagnosis.
import { ClusterError, isClusterError } from './errors';
import type { KubeHttp } from './http';
import { leanTokenSecret } from '../core/cluster/lean';
import { TOKEN_SECRET_TYPE } from '../core/kubernetes';
import { kindApi as knownKindApi, type PodKindApi } from '../core/podKinds';

export interface DoctorSnapshot {
  object: unknown | null;
  serviceAccount: unknown | null | undefined;
  secrets: Map<string, unknown | null>;
  /** Raw RBAC lists (Role/ClusterRole/RoleBinding/ClusterRoleBinding), or why they are missing. */
  rbacLists: unknown[] | { unavailable: string };
  tokenRequest: { served: boolean; detail: string };
}

/** The REST path of an object of a kind the doctor takes (core/manifests/objects.ts POD_SHAPES says where). */
const objectPath = (kind: string, namespace: string, name: string): string => {
  const api = kindApi(kind);
  const scope = api.clusterScoped ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${groupPath(api)}${scope}/${api.resource}/${encodeURIComponent(name)}`;
};

function kindApi(kind: string): PodKindApi {
  const api = knownKindApi(kind);
  if (!api) throw new ClusterError('config', `cannot diagnose a ${kind}`);
  return api;
}

const groupPath = (api: PodKindApi): string =>
  api.group ? `/apis/${api.group}/${api.version}` : `/api/${api.version}`;

/** Built-in groups every API server serves; a custom resource's group is asked for first. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch']);

/** A custom kind the cluster does not serve (its CRD is not installed): one clear error, not "not found". */
async function requireServed(http: KubeHttp, kind: string, signal?: AbortSignal): Promise<void> {
  const api = kindApi(kind);
  if (BUILT_IN_GROUPS.has(api.group)) return;
  const discovery = await http
    .json<{ resources?: { name?: unknown }[] }>({
      path: groupPath(api),
      purpose: { verb: 'get', resource: 'API discovery' },
      signal,
    })
    .catch((error: unknown) => {
      if (isClusterError(error) && error.kind === 'not-found') return undefined;
      throw error;
    });
  if (!discovery?.resources?.some((resource) => resource?.name === api.resource))
    throw new ClusterError(
      'not-found',
      `the cluster does not serve ${api.resource}.${api.group}/${api.version} (is the ${kind} custom resource definition installed?)`,
    );
}

/** The object, null when it does not exist, undefined when it cannot be read (forbidden). */
async function getOrNull(
  http: KubeHttp,
  path: string,
  resource: string,
  namespace: string,
  name: string,
  signal?: AbortSignal,
) {
  try {
    return await http.json<unknown>({ path, purpose: { verb: 'get', resource, namespace, name }, signal });
  } catch (error) {
    if (isClusterError(error) && error.kind === 'not-found') return null;
    if (isClusterError(error) && error.kind === 'forbidden') return undefined;
    throw error;
  }
}

/** A Secret without its values: only whether `data.token` is there, and the metadata the doctor reads. */
export function leanSecret(secret: unknown): unknown {
  if (!secret || typeof secret !== 'object') return secret;
  const { kind, metadata, type, data } = secret as {
    kind?: unknown;
    metadata?: unknown;
    type?: unknown;
    data?: Record<string, unknown>;
  };
  // A metadata-only list item (token Secrets are listed so): core/cluster/lean.ts tells whether its token was written.
  if (kind === 'PartialObjectMetadata') {
    const lean = leanTokenSecret(secret);
    return {
      metadata: leanMetadata(metadata),
      type: lean ? TOKEN_SECRET_TYPE : undefined,
      data: lean?.populated ? { token: 'present' } : {},
    };
  }
  const token = data && typeof data.token === 'string' && data.token.length > 0;
  return { metadata: leanMetadata(metadata), type, data: token ? { token: 'present' } : {} };
}

/** Name, namespace, uid, creation time, labels and annotations: no managedFields (large, and nobody reads them). */
export function leanMetadata(metadata: unknown): unknown {
  if (!metadata || typeof metadata !== 'object') return metadata;
  const { name, namespace, uid, creationTimestamp, labels, annotations } = metadata as Record<string, unknown>;
  return { name, namespace, uid, creationTimestamp, labels, annotations };
}

export async function doctorSnapshot(
  http: KubeHttp,
  target: { kind: string; namespace: string; name: string },
  reads: { serviceAccount: (object: unknown) => string; secrets: (object: unknown) => string[] },
  signal?: AbortSignal,
): Promise<DoctorSnapshot> {
  const { kind, namespace, name } = target;
  await requireServed(http, kind, signal);
  const { resource } = kindApi(kind);
  const object = await getOrNull(http, objectPath(kind, namespace, name), resource, namespace, name, signal);
  if (object === undefined)
    throw new ClusterError('forbidden', `forbidden: cannot get ${resource} ${name} in namespace ${namespace}`);
  const saName = kind === 'ServiceAccount' ? name : object ? reads.serviceAccount(object) : undefined;
  const [serviceAccount, secrets, rbacLists, tokenRequest] = await Promise.all([
    kind === 'ServiceAccount' || !saName
      ? Promise.resolve(kind === 'ServiceAccount' ? object : undefined)
      : getOrNull(http, objectPath('ServiceAccount', namespace, saName), 'serviceaccounts', namespace, saName, signal),
    readSecrets(http, namespace, object ? reads.secrets(object) : [], signal),
    rbacObjects(http, namespace, signal),
    tokenRequestServed(http, signal),
  ]);
  return { object, serviceAccount, secrets, rbacLists, tokenRequest };
}

async function readSecrets(http: KubeHttp, namespace: string, names: string[], signal?: AbortSignal) {
  const secrets = new Map<string, unknown | null>();
  for (const name of names) {
    const secret = await getOrNull(
      http,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
      'secrets',
      namespace,
      name,
      signal,
    );
    // Forbidden: unknown (left out of the map).
    if (secret !== undefined) secrets.set(name, secret === null ? null : leanSecret(secret));
  }
  return secrets;
}

async function rbacObjects(
  http: KubeHttp,
  namespace: string,
  signal?: AbortSignal,
): Promise<unknown[] | { unavailable: string }> {
  const base = '/apis/rbac.authorization.k8s.io/v1';
  const lists: [string, string][] = [
    [`${base}/namespaces/${encodeURIComponent(namespace)}/roles`, 'roles'],
    [`${base}/namespaces/${encodeURIComponent(namespace)}/rolebindings`, 'rolebindings'],
    [`${base}/clusterroles`, 'clusterroles'],
    [`${base}/clusterrolebindings`, 'clusterrolebindings'],
  ];
  try {
    return await Promise.all(
      lists.map(([path, resource]) =>
        http.json<unknown>({
          path,
          purpose: { verb: 'list', resource, namespace: resource.startsWith('cluster') ? undefined : namespace },
          signal,
        }),
      ),
    );
  } catch (error) {
    if (isClusterError(error) && (error.kind === 'forbidden' || error.kind === 'not-found'))
      return { unavailable: `RBAC objects not readable (${error.message})` };
    throw error;
  }
}

export async function tokenRequestServed(
  http: KubeHttp,
  signal?: AbortSignal,
): Promise<{ served: boolean; detail: string }> {
  const core = await http
    .json<{ resources?: { name?: unknown }[] }>({
      path: '/api/v1',
      purpose: { verb: 'get', resource: 'API discovery' },
      signal,
    })
    .catch(() => undefined);
  const subresource =
    Array.isArray(core?.resources) && core.resources.some((resource) => resource?.name === 'serviceaccounts/token');
  const group = await http
    .json<unknown>({
      path: '/apis/authentication.k8s.io/v1',
      purpose: { verb: 'get', resource: 'API discovery' },
      signal,
    })
    .then(
      () => true,
      () => false,
    );
  return {
    served: subresource && group,
    detail: `serviceaccounts/token ${subresource ? 'served' : 'NOT served'} in /api/v1; authentication.k8s.io/v1 ${group ? 'served' : 'NOT served'}`,
  };
}
