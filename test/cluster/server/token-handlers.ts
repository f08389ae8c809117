// authentication.k8s.io endpoints: TokenRequest (serviceaccounts/token), TokenReview and SelfSubjectReview.
import type { UserInfo } from './auth';
import type { Cluster } from './cluster';
import { creationTimestamp } from './admission';
import { isObject, type Pod } from './objects';
import { ApiError, badRequest, conflict, failure, invalid, notFound } from './status';
import { issuer, type BoundTokenRequest } from './tokens';
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

function validateExpiration(name: string, seconds: number): void {
  const message =
    seconds < minimumExpirationSeconds
      ? 'may not specify a duration less than 10 minutes'
      : seconds > maximumExpirationSeconds
        ? 'may not specify a duration larger than 2^32 seconds'
        : undefined;
  if (message)
    throw invalid(
      'TokenRequest',
      name,
      [{ field: 'spec.expirationSeconds', message: `Invalid value: ${seconds}: ${message}` }],
      group,
    );
}

function boundObject(
  cluster: Cluster,
  namespace: string,
  account: string,
  ref: NonNullable<TokenRequestSpec['boundObjectRef']>,
): BoundTokenRequest['bound'] {
  const name = ref.name ?? '';
  const resource = ref.kind === 'Pod' ? 'pods' : ref.kind === 'Secret' ? 'secrets' : undefined;
  if (ref.kind === 'Node') throw notFound('nodes', name);
  if (!resource || (ref.apiVersion && ref.apiVersion !== 'v1')) {
    throw badRequest(`cannot bind token for object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}`);
  }
  const stored = cluster.store.get(resource, namespace, name);
  if (!stored) throw notFound(resource, name);
  if (resource === 'pods' && (JSON.parse(stored.json) as Pod).spec.serviceAccountName !== account) {
    throw badRequest(
      `cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`,
    );
  }
  if (ref.uid && ref.uid !== stored.uid) {
    throw conflict(
      ref.kind ?? '',
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { kind: ref.kind as 'Pod' | 'Secret', ref: { name, uid: stored.uid } };
}

export async function createTokenRequest(cluster: Cluster, namespace: string, account: string, body: unknown) {
  const spec = specOf(body) as TokenRequestSpec;
  const stored = cluster.store.get('serviceaccounts', namespace, account);
  if (!stored) throw notFound('serviceaccounts', account);
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  validateExpiration(account, expirationSeconds);
  const audiences = spec.audiences?.length ? spec.audiences : [issuer];
  const bound = spec.boundObjectRef ? boundObject(cluster, namespace, account, spec.boundObjectRef) : undefined;
  const { token, expiresAt } = await cluster.tokens.issueBound({
    namespace,
    serviceAccount: { name: account, uid: stored.uid },
    audiences,
    expirationSeconds,
    bound,
  });
  return {
    kind: 'TokenRequest',
    apiVersion: `${group}/v1`,
    metadata: { name: account, namespace, creationTimestamp: creationTimestamp() },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: creationTimestamp(expiresAt) },
  };
}

export async function createTokenReview(cluster: Cluster, body: unknown) {
  const spec = specOf(body);
  if (typeof spec.token !== 'string' || spec.token === '') {
    throw new ApiError(
      failure(422, 'Invalid', 'TokenReview.authentication.k8s.io "" is invalid: spec.token: Required value'),
    );
  }
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
