// Service account token authentication as the API server does it: signature, issuer, audience, expiry, then the
// validator's checks that the ServiceAccount, the bound object or the legacy Secret still exist unchanged.
import type { JWTPayload } from 'jose';
import type { UserInfo } from './auth';
import type { Cluster } from './cluster';
import { serviceAccountTokenType, type Secret } from './objects';
import { issuer, legacyIssuer, type ObjectRef } from './tokens';

export type ReviewResult =
  { authenticated: true; user: UserInfo; audiences: string[] } | { authenticated: false; error: string };

interface BoundClaims {
  namespace?: string;
  serviceaccount?: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

class Rejected extends Error {}

const lastUsedLabel = 'kubernetes.io/legacy-token-last-used';

export async function reviewToken(
  cluster: Cluster,
  token: string,
  audiences: string[] = [issuer],
): Promise<ReviewResult> {
  try {
    const claims = await cluster.tokens.verifySignature(token);
    const result =
      claims.iss === legacyIssuer ? checkLegacy(cluster, claims, token) : checkBound(cluster, claims, audiences);
    return { authenticated: true, ...result };
  } catch (error) {
    return { authenticated: false, error: `[invalid bearer token, ${(error as Error).message}]` };
  }
}

function serviceAccountUser(namespace: string, name: string, uid: string, extra?: Record<string, string[]>): UserInfo {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    ...(extra ? { extra } : {}),
  };
}

/** The validators' wording differs: pkg/serviceaccount/legacy.go says "ServiceAccount UID", claims.go "service account UID". */
function requireServiceAccount(cluster: Cluster, namespace: string, name: string, uid: string, legacy: boolean): void {
  const account = cluster.store.get('serviceaccounts', namespace, name);
  if (!account) throw new Rejected(`serviceaccount "${name}" not found`);
  if (account.uid !== uid)
    throw new Rejected(
      `${legacy ? 'ServiceAccount' : 'service account'} UID (${account.uid}) does not match claim (${uid})`,
    );
}

function requireBoundObject(cluster: Cluster, resource: 'pods' | 'secrets', namespace: string, ref: ObjectRef): void {
  const object = cluster.store.get(resource, namespace, ref.name);
  if (!object) throw new Rejected('service account token has been invalidated');
  const kind = resource === 'pods' ? 'pod' : 'secret';
  if (object.uid !== ref.uid)
    throw new Rejected(`${kind} UID (${object.uid}) does not match service account ${kind} ref claim (${ref.uid})`);
}

function checkBound(cluster: Cluster, claims: JWTPayload, requested: string[]) {
  if (claims.iss !== issuer) throw new Rejected('token issuer is not trusted');
  const tokenAudiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
  const audiences = requested.filter((audience) => tokenAudiences.includes(audience));
  if (audiences.length === 0) {
    throw new Rejected(
      `token audiences ${JSON.stringify(tokenAudiences)} is invalid for the target audiences ${JSON.stringify(requested)}`,
    );
  }
  const bound = (claims['kubernetes.io'] ?? {}) as BoundClaims;
  const namespace = bound.namespace ?? '';
  const account = bound.serviceaccount ?? { name: '', uid: '' };
  requireServiceAccount(cluster, namespace, account.name, account.uid, false);
  if (bound.secret) requireBoundObject(cluster, 'secrets', namespace, bound.secret);
  if (bound.pod) requireBoundObject(cluster, 'pods', namespace, bound.pod);
  if (bound.node) throw new Rejected(`node "${bound.node.name}" not found`);
  const extra: Record<string, string[]> = {};
  if (bound.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [bound.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [bound.pod.uid];
  }
  if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  return { user: serviceAccountUser(namespace, account.name, account.uid, extra), audiences };
}

/** Like the legacy token authenticator: label the Secret with the day of use (KEP-2799), at most one write a day. */
function markUsed(cluster: Cluster, secret: Secret): void {
  const today = new Date().toISOString().slice(0, 10);
  if (secret.metadata.labels?.[lastUsedLabel] === today) return;
  secret.metadata.labels = { ...secret.metadata.labels, [lastUsedLabel]: today };
  cluster.store.put('secrets', secret);
}

function checkLegacy(cluster: Cluster, claims: JWTPayload, token: string) {
  const claim = (name: string) => String(claims[`kubernetes.io/serviceaccount/${name}`] ?? '');
  const namespace = claim('namespace');
  const secret = cluster.store.read<Secret>('secrets', namespace, claim('secret.name'));
  if (
    !secret ||
    secret.type !== serviceAccountTokenType ||
    secret.metadata.labels?.['kubernetes.io/legacy-token-invalid-since']
  ) {
    throw new Rejected('Token has been invalidated');
  }
  if (Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8') !== token)
    throw new Rejected("Token does not match server's copy");
  requireServiceAccount(cluster, namespace, claim('service-account.name'), claim('service-account.uid'), true);
  markUsed(cluster, secret);
  return {
    user: serviceAccountUser(namespace, claim('service-account.name'), claim('service-account.uid')),
    audiences: [issuer],
  };
}
