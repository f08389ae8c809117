// authentication.k8s.io endpoints: TokenRequest (serviceaccounts/token), TokenReview and SelfSubjectReview.
import type { UserInfo } from './auth';
import type { Cluster } from './cluster';
import { creationTimestamp } from './admission';
import { isObject, type Pod } from './objects';
import { badRequest, conflict, invalid, notFound } from './status';
import { issuer, type BoundTokenRequest, type ObjectRef } from './tokens';
import { reviewToken } from './token-review';

const group = 'authentication.k8s.io';
const minimumExpirationSeconds = 600;
const maximumExpirationSeconds = 2 ** 32;

interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
}

function specOf(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw badRequest('the body of the request was in an unknown format');
  return isObject(body.spec) ? body.spec : {};
}

function validateExpiration(seconds: number): void {
  const message =
    seconds < minimumExpirationSeconds
      ? 'may not specify a duration less than 10 minutes'
      : seconds > maximumExpirationSeconds
        ? 'may not specify a duration larger than 2^32 seconds'
        : undefined;
  // errors.NewInvalid(gvk.GroupKind(), "", errs): the real message names no object.
  if (message)
    throw invalid(
      'TokenRequest',
      '',
      [{ field: 'spec.expirationSeconds', message: `Invalid value: ${seconds}: ${message}` }],
      group,
    );
}

/** schema.GroupVersionKind.String() of FromAPIVersionAndKind: `group/version, Kind=kind` (core: `/v1, Kind=…`). */
function groupVersionKind(apiVersion: string, kind: string): { group: string; text: string } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return { group, text: `${group}/${version}, Kind=${kind}` };
}

/**
 * The bound object, as pkg/registry/core/serviceaccount/storage/token.go (TokenREST.Create) resolves it: Pod (with
 * the pod's Node, name only when the Node object is missing — ServiceAccountTokenPodNodeInfo), Node
 * (ServiceAccountTokenNodeBinding, beta and on in 1.32) or Secret; anything else is a 400.
 */
function boundObject(
  cluster: Cluster,
  namespace: string,
  account: string,
  ref: NonNullable<TokenRequestSpec['boundObjectRef']>,
): BoundTokenRequest['bound'] {
  const name = ref.name ?? '';
  const kind = ref.kind ?? '';
  const gvk = groupVersionKind(ref.apiVersion ?? '', kind);
  const resource = gvk.group !== '' ? undefined : boundResources[kind];
  if (!resource) throw badRequest(`cannot bind token to object of type ${gvk.text}`);
  const stored = cluster.store.get(resource, resource === 'nodes' ? '' : namespace, name);
  if (!stored) throw notFound(resource, name);
  let node: ObjectRef | undefined;
  if (resource === 'pods') {
    const pod = JSON.parse(stored.json) as Pod;
    if (pod.spec.serviceAccountName !== account) {
      throw badRequest(
        `cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`,
      );
    }
    const nodeName = pod.spec.nodeName;
    if (nodeName) node = { name: nodeName, uid: cluster.store.get('nodes', '', nodeName)?.uid ?? '' };
  }
  if (ref.uid && ref.uid !== stored.uid) {
    throw conflict(
      kind,
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      gvk.group,
    );
  }
  return { kind: kind as 'Pod' | 'Secret' | 'Node', ref: { name, uid: stored.uid }, node };
}

const boundResources: Record<string, 'pods' | 'secrets' | 'nodes' | undefined> = {
  Pod: 'pods',
  Secret: 'secrets',
  Node: 'nodes',
};

export async function createTokenRequest(cluster: Cluster, namespace: string, account: string, body: unknown) {
  const spec = specOf(body) as TokenRequestSpec;
  // Order of TokenREST.Create: the ServiceAccount, then static validation, then the bound object.
  const stored = cluster.store.get('serviceaccounts', namespace, account);
  if (!stored) throw notFound('serviceaccounts', account);
  const audiences = spec.audiences?.length ? spec.audiences : [issuer];
  const now = cluster.now();
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  validateExpiration(expirationSeconds);
  const bound = spec.boundObjectRef ? boundObject(cluster, namespace, account, spec.boundObjectRef) : undefined;
  const { token } = await cluster.tokens.issueBound(
    {
      namespace,
      serviceAccount: { name: account, uid: stored.uid },
      audiences,
      expirationSeconds,
      bound,
    },
    now,
  );
  return {
    kind: 'TokenRequest',
    apiVersion: `${group}/v1`,
    metadata: { name: account, namespace, creationTimestamp: creationTimestamp(now) },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    // now + the requested (not the extended) lifetime: `nowTime.Add(out.Spec.ExpirationSeconds)`.
    status: { token, expirationTimestamp: creationTimestamp(new Date(now.getTime() + expirationSeconds * 1000)) },
  };
}

export async function createTokenReview(cluster: Cluster, body: unknown) {
  const spec = specOf(body);
  // pkg/registry/authentication/tokenreview/storage.go: a 400 from the registry, before any authenticator runs.
  if (typeof spec.token !== 'string' || spec.token === '')
    throw badRequest('token is required for TokenReview in authentication');
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? (spec.audiences as string[]) : undefined;
  const result = await reviewToken(cluster, spec.token, audiences);
  const status = result.authenticated
    ? { authenticated: true, user: result.user, audiences: result.audiences }
    : { user: {}, error: result.error };
  return { kind: 'TokenReview', apiVersion: `${group}/v1`, metadata: { creationTimestamp: null }, spec, status };
}

export function createSelfSubjectReview(user: UserInfo) {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: `${group}/v1`,
    metadata: { creationTimestamp: creationTimestamp() },
    status: { userInfo: user },
  };
}
