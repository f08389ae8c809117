// Mints tokens shaped exactly like the ones Kubernetes issues (pkg/serviceaccount legacy.go and claims.go),
// signed with real keys generated per test. Shared by every test that needs a token.
import { createHash, KeyObject } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export type SigningAlg = 'RS256' | 'ES256';

export interface TestKeys {
  alg: SigningAlg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Kubernetes' kid: base64url(SHA-256(PKIX DER of the public key)). */
  kid: string;
  /** `-----BEGIN PUBLIC KEY-----` PEM, as in the API server's --service-account-key-file. */
  publicPem: string;
  /** The public JWK as /openid/v1/jwks serves it (with kid, use, alg). */
  jwk: JWK;
}

export const YEAR_SECONDS = 365 * 24 * 60 * 60;
/** What the kubelet requests for the default kube-api-access-* volume. */
export const KUBELET_TOKEN_SECONDS = 3607;

export async function generateKeys(alg: SigningAlg = 'RS256'): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const der = KeyObject.from(publicKey).export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url');
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg };
  return { alg, privateKey, publicKey, kid, publicPem: await exportSPKI(publicKey), jwk };
}

/** Signs any claims with a header `{alg, kid}` like the API server's (extra header fields override). */
export async function mintJwt(
  keys: TestKeys,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: keys.alg, kid: keys.kid, ...header }).sign(keys.privateKey);
}

export interface LegacyTokenOptions {
  namespace?: string;
  serviceAccount?: string;
  serviceAccountUid?: string;
  secretName?: string;
}

/** A secret-based token as the token controller writes into a `kubernetes.io/service-account-token` Secret. */
export function mintLegacyToken(keys: TestKeys, options: LegacyTokenOptions = {}): Promise<string> {
  const namespace = options.namespace ?? 'default';
  const serviceAccount = options.serviceAccount ?? 'default';
  return mintJwt(keys, {
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': options.secretName ?? `${serviceAccount}-token-x7k2q`,
    'kubernetes.io/serviceaccount/service-account.name': serviceAccount,
    'kubernetes.io/serviceaccount/service-account.uid':
      options.serviceAccountUid ?? 'c8f2a7d4-1b3e-4f5a-9c6d-7e8f9a0b1c2d',
    sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
  });
}

export interface BoundObjectRef {
  name: string;
  uid: string;
}

export interface BoundTokenOptions {
  namespace?: string;
  serviceAccount?: string;
  serviceAccountUid?: string;
  issuer?: string;
  audience?: string[];
  /** Defaults to now. */
  issuedAt?: Date;
  /** The requested lifetime (TokenRequest expirationSeconds). Default 3607, the kubelet's. */
  lifetimeSeconds?: number;
  /** exp one year after iat and warnafter at the requested lifetime, as for kubelet-projected tokens. */
  extendedExpiration?: boolean;
  pod?: BoundObjectRef;
  node?: BoundObjectRef;
  secret?: BoundObjectRef;
  /** Defaults to a fixed uuid; null leaves jti out, like API servers before 1.29. */
  jti?: string | null;
}

/** A TokenRequest token (projected volume, kubectl create token). */
export function mintBoundToken(keys: TestKeys, options: BoundTokenOptions = {}): Promise<string> {
  const namespace = options.namespace ?? 'default';
  const serviceAccount = options.serviceAccount ?? 'default';
  const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  const lifetime = options.lifetimeSeconds ?? KUBELET_TOKEN_SECONDS;
  const exp = iat + (options.extendedExpiration ? YEAR_SECONDS : lifetime);
  const kubernetes: Record<string, unknown> = { namespace };
  if (options.node) kubernetes.node = options.node;
  if (options.pod) kubernetes.pod = options.pod;
  if (options.secret) kubernetes.secret = options.secret;
  kubernetes.serviceaccount = {
    name: serviceAccount,
    uid: options.serviceAccountUid ?? '0f6e8d2c-4a1b-4c3d-8e9f-112233445566',
  };
  if (options.extendedExpiration) kubernetes.warnafter = iat + lifetime;
  const jti = options.jti === undefined ? '5b0a9c1e-7d2f-4e3a-b6c8-d9e0f1a2b3c4' : options.jti;
  return mintJwt(keys, {
    aud: options.audience ?? ['https://kubernetes.default.svc.cluster.local'],
    exp,
    iat,
    iss: options.issuer ?? 'https://kubernetes.default.svc.cluster.local',
    ...(jti === null ? {} : { jti }),
    'kubernetes.io': kubernetes,
    nbf: iat,
    sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
  });
}

/** base64url of JSON (or of raw bytes), for hand-assembling hostile or unsigned tokens. */
export function base64url(value: unknown): string {
  const bytes = value instanceof Uint8Array ? value : Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.from(bytes).toString('base64url');
}

/** `header.payload.signature` from arbitrary values: no signing, for malformed and `alg: none` cases. */
export function assembleToken(header: unknown, payload: unknown, signature = ''): string {
  return `${base64url(header)}.${base64url(payload)}.${signature}`;
}

/** How a Secret's `data.token` holds a token. */
export const wrapBase64 = (jwt: string): string => Buffer.from(jwt, 'utf8').toString('base64');

/** The third part; tests assert it never shows up in any output. */
export const signatureOf = (jwt: string): string => jwt.split('.')[2];
