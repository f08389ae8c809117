// Token operations: explicit token Secrets, TokenRequest, reading a Secret's token, deleting, TokenReview.
// Token values are returned to the caller only; they are never logged nor put into an error message.
import { setTimeout as delay } from 'node:timers/promises';
import type { TokenRequestSpec } from '../core/cluster/tokenRequest';
import { LAST_USED_LABEL, SA_NAME_ANNOTATION, SA_UID_ANNOTATION, TOKEN_SECRET_TYPE } from '../core/kubernetes';
import { formatMillisecondsAsSeconds } from '../core/time';
import { ClusterError, errorFromStatus, isClusterError, redactTokens, type RequestPurpose } from './errors';
import type { KubeHttp } from './http';
import { METADATA_ONLY, parseJson } from './http';
import { resourcePath } from './inventory';

export interface CreatedTokenSecret {
  secretName: string;
  token: string;
}

export interface TokenRequestOptions extends TokenRequestSpec {
  signal?: AbortSignal;
}

export interface TokenReviewResult {
  authenticated: boolean;
  /** The username the token authenticates as, e.g. system:serviceaccount:team-a:builder. */
  user: string | null;
  uid: string | null;
  groups: string[];
  audiences: string[];
  error: string | null;
}

/** How often to look at a new token Secret; the token controller usually fills it within a second. */
const POLL_INTERVAL_MS = 250;

function objectPath(resource: string, namespace: string, name: string): string {
  return `${resourcePath(resource, namespace)}/${encodeURIComponent(name)}`;
}

export async function createTokenSecret(
  http: KubeHttp,
  namespace: string,
  serviceAccount: string,
  /** `secretName`: the Secret's name (e.g. one a pod reads); else `<sa>-token-xxxxx`. */
  options: { signal?: AbortSignal; timeoutMs: number; secretName?: string },
): Promise<CreatedTokenSecret> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const within = `within ${formatMillisecondsAsSeconds(options.timeoutMs)}`;
  let secretName: string | undefined;
  try {
    const account = await http.json<{ metadata?: { uid?: string } }>({
      path: objectPath('serviceaccounts', namespace, serviceAccount),
      purpose: { verb: 'get', resource: 'serviceaccount', namespace, name: serviceAccount },
      signal,
    });
    secretName = await postTokenSecret(
      http,
      namespace,
      serviceAccount,
      account.metadata?.uid,
      options.secretName,
      signal,
    );
    for (;;) {
      const token = await secretToken(http, namespace, secretName, signal);
      if (token) return { secretName, token };
      await delay(POLL_INTERVAL_MS, undefined, { signal });
    }
  } catch (error) {
    if (!deadline.aborted || options.signal?.aborted)
      throw asCancelled(error, options.signal, secretName && `${secretName} in namespace ${namespace}`);
    throw new ClusterError(
      'timeout',
      secretName
        ? `the token controller did not fill Secret ${secretName} in namespace ${namespace} ${within}; the Secret exists but is empty (delete it or look again later)`
        : `could not create a token Secret for ${serviceAccount} in namespace ${namespace} ${within}`,
    );
  }
}

/** A cancel after the Secret exists says so: the user may want to delete it. */
function asCancelled(error: unknown, signal: AbortSignal | undefined, created: string | undefined): unknown {
  if (!signal?.aborted || (isClusterError(error) && error.kind !== 'cancelled')) return error;
  return new ClusterError(
    'cancelled',
    created
      ? `cancelled while waiting for the token; Secret ${created} was created and is kept`
      : 'cancelled: create token secret',
  );
}

async function postTokenSecret(
  http: KubeHttp,
  namespace: string,
  serviceAccount: string,
  uid: string | undefined,
  secretName: string | undefined,
  signal: AbortSignal,
): Promise<string> {
  const annotations: Record<string, string> = { [SA_NAME_ANNOTATION]: serviceAccount };
  // With the uid the token controller refuses to fill the Secret for a same-named service account recreated since.
  if (uid) annotations[SA_UID_ANNOTATION] = uid;
  const created = await http.json<{ metadata?: { name?: string } }>({
    method: 'POST',
    path: resourcePath('secrets', namespace),
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      type: TOKEN_SECRET_TYPE,
      metadata: { ...(secretName ? { name: secretName } : { generateName: `${serviceAccount}-token-` }), annotations },
    },
    purpose: { verb: 'create', resource: 'secrets', namespace },
    signal,
  });
  const name = created.metadata?.name;
  if (typeof name !== 'string')
    throw new ClusterError('malformed', 'the API server created the Secret but did not say its name');
  return name;
}

/** The decoded `data.token` of a token Secret; ClusterError 'not-found' while the token controller has not filled it. */
export async function readSecretToken(
  http: KubeHttp,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<string> {
  const token = await secretToken(http, namespace, name, signal);
  if (token === null)
    throw new ClusterError('not-found', `Secret ${name} in namespace ${namespace} holds no token (yet)`);
  return token;
}

/** The only place Secret data is fetched: the decoded `data.token`, or null while the Secret is still empty. */
async function secretToken(
  http: KubeHttp,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const secret = await http.json<{ data?: Record<string, unknown> }>({
    path: objectPath('secrets', namespace, name),
    purpose: { verb: 'get', resource: 'secret', namespace, name },
    signal,
  });
  const encoded = secret?.data?.token;
  return typeof encoded === 'string' && encoded.length > 0 ? Buffer.from(encoded, 'base64').toString('utf8') : null;
}

/** A token Secret's `kubernetes.io/legacy-token-last-used` label (null when absent), read without its data. */
export async function tokenSecretLastUsed(
  http: KubeHttp,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const meta = await http.json<{ metadata?: { labels?: Record<string, unknown> } }>({
    path: objectPath('secrets', namespace, name),
    accept: METADATA_ONLY,
    purpose: { verb: 'get', resource: 'secret', namespace, name },
    signal,
  });
  const value = meta?.metadata?.labels?.[LAST_USED_LABEL];
  return typeof value === 'string' ? value : null;
}

export async function deleteSecret(
  http: KubeHttp,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<void> {
  await http.json({
    method: 'DELETE',
    path: objectPath('secrets', namespace, name),
    purpose: { verb: 'delete', resource: 'secret', namespace, name },
    signal,
  });
}

/**
 * Removes `secretName` from the ServiceAccount's `.secrets`. A JSON patch that first tests the entry is still at the
 * index read: had the list changed in between, the API server refuses it (422) rather than removing another entry.
 * Resolves false when the list no longer names it (nothing sent).
 */
export async function removeServiceAccountSecretRef(
  http: KubeHttp,
  namespace: string,
  serviceAccount: string,
  secretName: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const path = objectPath('serviceaccounts', namespace, serviceAccount);
  const account = await http.json<{ secrets?: unknown }>({
    path,
    purpose: { verb: 'get', resource: 'serviceaccount', namespace, name: serviceAccount },
    signal,
  });
  const entries = Array.isArray(account?.secrets) ? (account.secrets as { name?: unknown }[]) : [];
  const index = entries.findIndex((entry) => entry?.name === secretName);
  if (index < 0) return false;
  await http.json({
    method: 'PATCH',
    path,
    contentType: 'application/json-patch+json',
    body: [
      { op: 'test', path: `/secrets/${index}/name`, value: secretName },
      { op: 'remove', path: `/secrets/${index}` },
    ],
    purpose: { verb: 'patch', resource: 'serviceaccount', namespace, name: serviceAccount },
    signal,
  });
  return true;
}

/** TokenRequest, as `kubectl create token` does. */
export async function requestToken(
  http: KubeHttp,
  namespace: string,
  serviceAccount: string,
  options: TokenRequestOptions,
): Promise<string> {
  const purpose = { verb: 'request a token for', resource: 'serviceaccount', namespace, name: serviceAccount };
  const spec: Record<string, unknown> = { expirationSeconds: options.expirationSeconds };
  if (options.audiences?.length) spec.audiences = options.audiences;
  if (options.boundObject) spec.boundObjectRef = { apiVersion: 'v1', ...options.boundObject };
  const response = await http.send({
    method: 'POST',
    path: `${objectPath('serviceaccounts', namespace, serviceAccount)}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
    purpose,
    signal: options.signal,
  });
  if (response.status === 404) throw await tokenRequestNotFound(http, response.body, purpose, options, namespace);
  if (response.status < 200 || response.status > 299)
    throw errorFromStatus(response.status, response.body.toString('utf8'), purpose);
  const token = parseJson<{ status?: { token?: unknown } }>(response.body, purpose).status?.token;
  if (typeof token !== 'string' || token === '')
    throw new ClusterError('malformed', 'the TokenRequest answer holds no token');
  return token;
}

/** Resources a TokenRequest reads, as a 404 Status names them in `details.kind`. */
const BOUND_KINDS: Record<string, string> = { pods: 'Pod', secrets: 'Secret', nodes: 'Node' };

/**
 * A TokenRequest 404 names what is missing in `details.kind`: the service account, or the bound Pod, Secret or
 * Node (pkg/registry/core/serviceaccount/storage/token.go gets each and returns its NotFound). Only a 404 naming
 * nothing, on a cluster whose discovery lacks `serviceaccounts/token`, means TokenRequest is not served.
 */
async function tokenRequestNotFound(
  http: KubeHttp,
  body: Buffer,
  purpose: RequestPurpose,
  options: TokenRequestOptions,
  namespace: string,
): Promise<ClusterError> {
  const kind = statusDetailsKind(body);
  const boundKind = kind === undefined ? undefined : BOUND_KINDS[kind];
  if (boundKind && options.boundObject) {
    const where = boundKind === 'Node' ? '' : ` in namespace ${namespace}`;
    return new ClusterError(
      'not-found',
      `the ${boundKind} ${options.boundObject.name} to bind the token to does not exist${where}`,
      404,
    );
  }
  if (kind === undefined && !(await servesTokenRequest(http, options.signal))) {
    return new ClusterError(
      'not-found',
      'this cluster does not support TokenRequest (Kubernetes 1.22 or later serves it)',
      404,
    );
  }
  return errorFromStatus(404, body.toString('utf8'), purpose);
}

function statusDetailsKind(body: Buffer): string | undefined {
  try {
    const kind = (JSON.parse(body.toString('utf8')) as { details?: { kind?: unknown } })?.details?.kind;
    return typeof kind === 'string' && kind !== '' ? kind : undefined;
  } catch {
    return undefined;
  }
}

/** Whether core/v1 discovery lists the `serviceaccounts/token` subresource; true when discovery cannot tell. */
async function servesTokenRequest(http: KubeHttp, signal?: AbortSignal): Promise<boolean> {
  const purpose = { verb: 'discover', resource: 'core/v1 resources' };
  try {
    const list = await http.json<{ resources?: { name?: unknown }[] }>({ path: '/api/v1', purpose, signal });
    return (
      !Array.isArray(list?.resources) || list.resources.some((resource) => resource?.name === 'serviceaccounts/token')
    );
  } catch (error) {
    if (isClusterError(error) && error.kind === 'cancelled') throw error;
    return true;
  }
}

export async function tokenReview(
  http: KubeHttp,
  token: string,
  audiences?: string[],
  signal?: AbortSignal,
): Promise<TokenReviewResult> {
  const spec: Record<string, unknown> = { token };
  if (audiences?.length) spec.audiences = audiences;
  const review = await http.json<{ status?: RawReviewStatus }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/tokenreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec },
    purpose: { verb: 'create', resource: 'tokenreviews' },
    signal,
  });
  return reviewResult(review?.status ?? {});
}

interface RawReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[] };
  audiences?: string[];
  error?: string;
}

function reviewResult(status: RawReviewStatus): TokenReviewResult {
  const user = status.user ?? {};
  return {
    authenticated: status.authenticated === true,
    user: typeof user.username === 'string' && user.username ? user.username : null,
    uid: typeof user.uid === 'string' && user.uid ? user.uid : null,
    groups: strings(user.groups),
    audiences: strings(status.audiences),
    error: typeof status.error === 'string' && status.error ? redactTokens(status.error) : null,
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
