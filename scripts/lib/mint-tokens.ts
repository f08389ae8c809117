// Mints the demo workspace's tokens at start with a key generated on the spot, shaped like the real kinds
// (see shared kubernetes-token-facts). Nothing here is a real credential, and nothing minted is ever committed.
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';

export interface DemoTokens {
  /** Secret-based legacy token: no exp, never expires. */
  legacyToken: string;
  /** Bound pod token with extended expiration (one-year exp, warnafter after 3607 s). */
  boundToken: string;
  /** Bound token from `kubectl create token`, expired an hour ago. */
  expiredToken: string;
  /** The demo signing key's public half (PEM), for "verify with key file". */
  publicKeyPem: string;
}

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

async function keyId(publicKeyPem: string): Promise<string> {
  const der = Buffer.from(publicKeyPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  return createHash('sha256').update(der).digest('base64url');
}

export async function mintDemoTokens(now = Math.floor(Date.now() / 1000)): Promise<DemoTokens> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicKeyPem = await exportSPKI(publicKey);
  const kid = await keyId(publicKeyPem);
  const sign = (claims: Record<string, unknown>): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey as CryptoKey);

  const legacyToken = await sign({
    iss: 'kubernetes/serviceaccount',
    sub: 'system:serviceaccount:demo:build-bot',
    'kubernetes.io/serviceaccount/namespace': 'demo',
    'kubernetes.io/serviceaccount/secret.name': 'build-bot-token-x7k2p',
    'kubernetes.io/serviceaccount/service-account.name': 'build-bot',
    'kubernetes.io/serviceaccount/service-account.uid': randomUUID(),
  });
  const bound = (
    serviceAccount: string,
    iat: number,
    exp: number,
    extra: Record<string, unknown>,
    warnafter?: number,
  ) =>
    sign({
      iss: ISSUER,
      sub: `system:serviceaccount:demo:${serviceAccount}`,
      aud: [ISSUER],
      iat,
      nbf: iat,
      exp,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: 'demo',
        serviceaccount: { name: serviceAccount, uid: randomUUID() },
        ...extra,
        ...(warnafter === undefined ? {} : { warnafter }),
      },
    });
  const boundToken = await bound(
    'web',
    now - 600,
    now + 365 * 24 * 3600,
    { pod: { name: 'web-5d8f7c9b4-q2x7m', uid: randomUUID() } },
    now - 600 + 3607,
  );
  const expiredToken = await bound('deployer', now - 2 * 3600, now - 3600, {});
  return { legacyToken, boundToken, expiredToken, publicKeyPem };
}
