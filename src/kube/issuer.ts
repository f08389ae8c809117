// Service account issuer keys, fetched only from the cluster the kubeconfig names and with its credentials.
// Never from a URL found in a token (iss, jku, x5u) nor from the discovery document's jwks_uri host.
import type { JSONWebKeySet } from 'jose';
import { toClusterError, type ClusterError } from './errors';
import type { KubeHttp } from './http';

export type IssuerKeys =
  | { jwks: JSONWebKeySet; issuer: string | null }
  /** Common: the discovery role is bound only to service accounts, not to people. */
  | { forbidden: true }
  | { unavailable: string };

export async function fetchIssuerKeys(http: KubeHttp, signal?: AbortSignal): Promise<IssuerKeys> {
  const [discovery, jwks] = await Promise.all([
    settle(
      http.json<{ issuer?: unknown }>({
        path: '/.well-known/openid-configuration',
        purpose: { verb: 'get', resource: 'the OpenID discovery document' },
        signal,
      }),
    ),
    settle(
      http.json<{ keys?: unknown }>({
        path: '/openid/v1/jwks',
        purpose: { verb: 'get', resource: 'the service account issuer keys' },
        signal,
      }),
    ),
  ]);
  for (const outcome of [jwks, discovery]) {
    if (outcome.error?.kind === 'cancelled') throw outcome.error;
  }
  if (jwks.error?.kind === 'forbidden' || discovery.error?.kind === 'forbidden') return { forbidden: true };
  if (jwks.error) {
    return jwks.error.kind === 'not-found'
      ? { unavailable: 'the cluster does not serve /openid/v1/jwks (service account issuer discovery is off)' }
      : { unavailable: jwks.error.message };
  }
  const keys = jwks.value?.keys;
  if (!Array.isArray(keys) || keys.some((key) => !key || typeof key !== 'object')) {
    return { unavailable: 'the cluster sent a key set without a list of keys' };
  }
  const issuer = discovery.value?.issuer;
  return { jwks: { keys } as JSONWebKeySet, issuer: typeof issuer === 'string' ? issuer : null };
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: ClusterError }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: toClusterError(error) };
  }
}
