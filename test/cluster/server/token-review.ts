// Service account token authentication as kube-apiserver does it (pkg/serviceaccount/jwt.go AuthenticateToken): a
// token whose issuer is not one of the two service account issuers is skipped; then the signature, the audiences
// (a legacy token has the API server's), and the validator: claims.go for bound tokens (expiry with go-jose's 60 s
// leeway, the ServiceAccount and the bound Pod/Secret/Node still there, unchanged), legacy.go for Secret tokens.
import type { JWTPayload } from 'jose';
import type { UserInfo } from './auth';
import type { Cluster } from './cluster';
import { type Secret, type ServiceAccount } from './objects';
import { issuer, legacyIssuer, type ObjectRef } from './tokens';

export type ReviewResult =
  | { authenticated: true; user: UserInfo; audiences: string[]; warnings: string[] }
  | { authenticated: false; error: string };

interface BoundClaims {
  namespace?: string;
  serviceaccount?: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: Partial<ObjectRef>;
}

class Rejected extends Error {}

export const lastUsedLabel = 'kubernetes.io/legacy-token-last-used';
export const invalidSinceLabel = 'kubernetes.io/legacy-token-invalid-since';
/** go-jose's jwt.DefaultLeeway, used by claims.go's `public.Validate` and for deletion timestamps. */
const leewaySeconds = 60;
/** bearertoken.go's default error when no token authenticator claims the token. */
const invalidBearerToken = 'invalid bearer token';

/** Go's `%q` of a []string: `["a" "b"]` (space-separated, Go string quoting). */
export function goQuotedList(values: string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(' ')}]`;
}

/** `YYYY-MM-DD` in UTC, the date format of the legacy token labels and the tracking ConfigMap. */
export const utcDate = (date: Date): string => date.toISOString().slice(0, 10);

/** The unverified `iss`, as hasCorrectIssuer reads it; undefined when the token is not a compact JWT. */
function unverifiedIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims?.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}

export async function reviewToken(
  cluster: Cluster,
  token: string,
  requested: string[] = [issuer],
): Promise<ReviewResult> {
  const tokenIssuer = unverifiedIssuer(token);
  // Foreign or unparsable tokens are not ours to judge: every JWT authenticator returns (nil, false, nil).
  if (tokenIssuer !== issuer && tokenIssuer !== legacyIssuer)
    return { authenticated: false, error: invalidBearerToken };
  try {
    const claims = await cluster.tokens.verifySignature(token);
    const tokenAudiences = audiencesOf(claims);
    // "only apiserver audiences are allowed for legacy tokens"
    const effective = tokenAudiences.length ? tokenAudiences : [issuer];
    const audiences = effective.filter((audience) => requested.includes(audience));
    if (audiences.length === 0) {
      throw new Rejected(
        `token audiences ${goQuotedList(effective)} is invalid for the target audiences ${goQuotedList(requested)}`,
      );
    }
    const warnings: string[] = [];
    const user =
      tokenIssuer === legacyIssuer ? checkLegacy(cluster, claims, token, warnings) : checkBound(cluster, claims);
    return { authenticated: true, user, audiences, warnings };
  } catch (error) {
    return { authenticated: false, error: `[${invalidBearerToken}, ${(error as Error).message}]` };
  }
}

function audiencesOf(claims: JWTPayload): string[] {
  if (Array.isArray(claims.aud)) return claims.aud;
  return typeof claims.aud === 'string' ? [claims.aud] : [];
}

function serviceAccountUser(namespace: string, name: string, uid: string, extra?: Record<string, string[]>): UserInfo {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    ...(extra && Object.keys(extra).length ? { extra } : {}),
  };
}

/** go-jose ValidateWithLeeway with claims.go's messages. */
function validateTimes(claims: JWTPayload, nowSeconds: number): void {
  if (typeof claims.nbf === 'number' && nowSeconds + leewaySeconds < claims.nbf)
    throw new Rejected('service account token is not valid yet');
  if (typeof claims.exp === 'number' && nowSeconds - leewaySeconds > claims.exp)
    throw new Rejected('service account token has expired');
  if (typeof claims.iat === 'number' && nowSeconds + leewaySeconds < claims.iat)
    throw new Rejected('service account token is issued in the future');
}

/** "consider things deleted prior to now()-leeway to be invalid" (claims.go). */
function deletedTooLongAgo(cluster: Cluster, deletionTimestamp: string | undefined): boolean {
  if (!deletionTimestamp) return false;
  return Date.parse(deletionTimestamp) < cluster.now().getTime() - leewaySeconds * 1000;
}

function requireBoundObject(
  cluster: Cluster,
  resource: 'pods' | 'secrets' | 'nodes',
  namespace: string,
  ref: Partial<ObjectRef>,
): void {
  const stored = cluster.store.read(resource, resource === 'nodes' ? '' : namespace, ref.name ?? '');
  if (!stored) throw new Rejected('service account token has been invalidated');
  const kind = resource.slice(0, -1);
  if (stored.metadata.uid !== ref.uid)
    throw new Rejected(
      `${kind} UID (${stored.metadata.uid}) does not match service account ${kind} ref claim (${ref.uid ?? ''})`,
    );
  if (deletedTooLongAgo(cluster, stored.metadata.deletionTimestamp))
    throw new Rejected('service account token has been invalidated');
}

/** claims.go validator.Validate. */
function checkBound(cluster: Cluster, claims: JWTPayload): UserInfo {
  const nowSeconds = Math.floor(cluster.now().getTime() / 1000);
  validateTimes(claims, nowSeconds);
  const bound = (claims['kubernetes.io'] ?? {}) as BoundClaims;
  const namespace = bound.namespace ?? '';
  const account = bound.serviceaccount ?? { name: '', uid: '' };
  const stored = cluster.store.read('serviceaccounts', namespace, account.name);
  if (!stored) throw new Rejected(`serviceaccount "${account.name}" not found`);
  if (stored.metadata.uid !== account.uid)
    throw new Rejected(`service account UID (${stored.metadata.uid}) does not match claim (${account.uid})`);
  if (deletedTooLongAgo(cluster, stored.metadata.deletionTimestamp))
    throw new Rejected(`service account ${namespace}/${account.name} has been deleted`);
  if (bound.secret) requireBoundObject(cluster, 'secrets', namespace, bound.secret);
  if (bound.pod) requireBoundObject(cluster, 'pods', namespace, bound.pod);
  // A pod-bound token's node claim is informational; a token bound to the Node itself needs the Node unchanged.
  if (bound.node && !bound.pod) requireBoundObject(cluster, 'nodes', namespace, bound.node);
  const extra: Record<string, string[]> = {};
  if (bound.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [bound.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [bound.pod.uid];
  }
  // ServiceAccountInfo.UserInfo: node-name whenever known, node-uid only when the claim has one.
  if (bound.node?.name) extra['authentication.kubernetes.io/node-name'] = [bound.node.name];
  if (bound.node?.uid) extra['authentication.kubernetes.io/node-uid'] = [bound.node.uid];
  if (typeof claims.jti === 'string' && claims.jti)
    extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  return serviceAccountUser(namespace, account.name, account.uid, extra);
}

/**
 * legacy.go patchSecretWithLastUsedDate: the label is rewritten unless it already says today or tomorrow (UTC), so
 * a Secret is written at most once a day however often its token is used.
 */
function markUsed(cluster: Cluster, secret: Secret): void {
  const now = cluster.now();
  const today = utcDate(now);
  const tomorrow = utcDate(new Date(now.getTime() + 24 * 3600 * 1000));
  const lastUsed = secret.metadata.labels?.[lastUsedLabel];
  if (lastUsed === today || lastUsed === tomorrow) return;
  secret.metadata.labels = { ...secret.metadata.labels, [lastUsedLabel]: today };
  cluster.store.put('secrets', secret);
}

/** legacy.go legacyValidator.Validate, with its checks in its order. */
function checkLegacy(cluster: Cluster, claims: JWTPayload, token: string, warnings: string[]): UserInfo {
  const claim = (name: string) => String(claims[`kubernetes.io/serviceaccount/${name}`] ?? '');
  const namespace = claim('namespace');
  const secretName = claim('secret.name');
  const accountName = claim('service-account.name');
  const accountUid = claim('service-account.uid');
  for (const [value, message] of [
    [claims.sub, 'sub claim is missing'],
    [namespace, 'namespace claim is missing'],
    [secretName, 'secretName claim is missing'],
    [accountName, 'serviceAccountName claim is missing'],
    [accountUid, 'serviceAccountUID claim is missing'],
  ] as const)
    if (!value) throw new Rejected(message);
  if (claims.sub !== `system:serviceaccount:${namespace}:${accountName}`) throw new Rejected('sub claim is invalid');
  const secret = cluster.store.read<Secret>('secrets', namespace, secretName);
  if (!secret || secret.metadata.deletionTimestamp) throw new Rejected('Token has been invalidated');
  if (Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8') !== token)
    throw new Rejected("Token does not match server's copy");
  const account = cluster.store.read<ServiceAccount>('serviceaccounts', namespace, accountName);
  if (!account) throw new Rejected(`serviceaccount "${accountName}" not found`);
  if (account.metadata.deletionTimestamp)
    throw new Rejected(`ServiceAccount ${namespace}/${accountName} has been deleted`);
  if (account.metadata.uid !== accountUid)
    throw new Rejected(`ServiceAccount UID (${account.metadata.uid}) does not match claim (${accountUid})`);
  if (secret.metadata.labels?.[invalidSinceLabel]) {
    // An invalidated token's use is still recorded.
    markUsed(cluster, secret);
    throw new Rejected(
      `the token in secret ${namespace}/${secretName} for service account ${namespace}/${accountName} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${invalidSinceLabel}' label from the secret to temporarily allow use of this token`,
    );
  }
  if ((account.secrets ?? []).some((ref) => ref.name === secretName))
    warnings.push(
      'Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.',
    );
  markUsed(cluster, secret);
  return serviceAccountUser(namespace, accountName, accountUid);
}
