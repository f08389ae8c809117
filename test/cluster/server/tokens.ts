// Service account token signing and signature checks: RS256 bound tokens (TokenRequest) and legacy Secret tokens
// with the real claim layouts; kid = base64url(SHA-256(PKIX DER of the public key)) like kube-apiserver.
import * as jose from 'jose';
import { createHash, generateKeyPairSync, KeyObject, randomUUID, sign } from 'node:crypto';

export const issuer = 'https://kubernetes.default.svc.cluster.local';
export const legacyIssuer = 'kubernetes/serviceaccount';
/** `token.WarnOnlyBoundTokenExpirationSeconds`: what the kubelet asks for kube-api-access volumes. */
export const extendableExpirationSeconds = 3607;
const extendedExpirationSeconds = 365 * 24 * 3600;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface BoundTokenRequest {
  namespace: string;
  serviceAccount: ObjectRef;
  audiences: string[];
  expirationSeconds: number;
  /** `node`: a pod's Node (uid empty when the Node object is missing). */
  bound?: { kind: 'Pod' | 'Secret' | 'Node'; ref: ObjectRef; node?: ObjectRef };
}

export interface LegacyTokenRequest {
  namespace: string;
  serviceAccount: ObjectRef;
  secretName: string;
}

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function signingKey(type: 'rsa' | 'ec'): SigningKey {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url');
  return { kid, alg: type === 'rsa' ? 'RS256' : 'ES256', privateKey, publicKey };
}

function legacyClaims(request: LegacyTokenRequest): jose.JWTPayload {
  return {
    iss: legacyIssuer,
    'kubernetes.io/serviceaccount/namespace': request.namespace,
    'kubernetes.io/serviceaccount/secret.name': request.secretName,
    'kubernetes.io/serviceaccount/service-account.name': request.serviceAccount.name,
    'kubernetes.io/serviceaccount/service-account.uid': request.serviceAccount.uid,
    sub: `system:serviceaccount:${request.namespace}:${request.serviceAccount.name}`,
  };
}

export class TokenAuthority {
  private readonly keys: SigningKey[] = [signingKey('rsa')];
  private bulkKey: SigningKey | undefined;

  get primaryKid(): string {
    return this.keys[0].kid;
  }

  /** The primary signing key's public half as PEM: what a user would give as a verification key file. */
  publicKeyPem(): string {
    return this.keys[0].publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** pkg/serviceaccount/openidmetadata.go collects them in a sets.String and serves `List()`: sorted. */
  algorithms(): string[] {
    return [...new Set(this.keys.map((key) => key.alg))].sort();
  }

  /** The JWKS, as /openid/v1/jwks serves it. */
  jwks(): { keys: jose.JWK[] } {
    return {
      keys: this.keys.map(({ kid, alg, publicKey }) => ({
        use: 'sig',
        ...publicKey.export({ format: 'jwk' }),
        kid,
        alg,
      })),
    };
  }

  async issueBound(request: BoundTokenRequest, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    // Extended expiration (on by default): the kubelet's 3607 s pod-bound tokens live a year, warnafter marks staleness.
    const extended =
      request.expirationSeconds === extendableExpirationSeconds &&
      request.bound?.kind === 'Pod' &&
      request.audiences.length === 1 &&
      request.audiences[0] === issuer;
    const exp = iat + (extended ? extendedExpirationSeconds : request.expirationSeconds);
    const bound: Record<string, Partial<ObjectRef>> = request.bound
      ? { [request.bound.kind.toLowerCase()]: request.bound.ref }
      : {};
    // claims.go: a pod-bound token also names the pod's node (`ref` fields are omitempty).
    const node = request.bound?.node;
    if (node) bound.node = node.uid ? node : { name: node.name };
    const payload = {
      aud: request.audiences,
      exp,
      iat,
      iss: issuer,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: request.namespace,
        serviceaccount: request.serviceAccount,
        ...bound,
        ...(extended ? { warnafter: iat + request.expirationSeconds } : {}),
      },
      nbf: iat,
      sub: `system:serviceaccount:${request.namespace}:${request.serviceAccount.name}`,
    };
    return { token: await this.sign(payload, this.keys[0]), expiresAt: new Date(exp * 1000) };
  }

  issueLegacy(request: LegacyTokenRequest): Promise<string> {
    return this.sign(legacyClaims(request), this.keys[0]);
  }

  /**
   * A legacy token signed with the cluster's second (EC) key, synchronously: jose's WebCrypto path costs ~1 ms a
   * token, too slow for the tens of thousands of Secrets of the large data set. The tests verify these with jose.
   */
  issueLegacyBulk(request: LegacyTokenRequest): string {
    const key = this.bulkSigningKey();
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ alg: key.alg, kid: key.kid })}.${encode(legacyClaims(request))}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  /**
   * Verifies the signature only (go-jose's `tok.Claims(key, …)`), trying the cluster keys chosen by kid, never by a
   * URL in the token; time claims are the validators' business (claims.go). Undefined when no key verifies it.
   */
  async verifySignature(token: string): Promise<jose.JWTPayload> {
    const header = jose.decodeProtectedHeader(token);
    const candidates = header.kid ? this.keys.filter((key) => key.kid === header.kid) : this.keys;
    if (candidates.length === 0) throw new Error('go-jose/go-jose: error in cryptographic primitive');
    let lastError: unknown;
    for (const key of candidates) {
      try {
        const { payload } = await jose.compactVerify(token, key.publicKey, { algorithms: [key.alg] });
        return JSON.parse(new TextDecoder().decode(payload)) as jose.JWTPayload;
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error('go-jose/go-jose: error in cryptographic primitive', { cause: lastError });
  }

  private bulkSigningKey(): SigningKey {
    if (!this.bulkKey) {
      this.bulkKey = signingKey('ec');
      this.keys.push(this.bulkKey);
    }
    return this.bulkKey;
  }

  private sign(payload: jose.JWTPayload, key: SigningKey): Promise<string> {
    // Only alg and kid in the header, like kube-apiserver (no typ).
    return new jose.SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
  }
}
