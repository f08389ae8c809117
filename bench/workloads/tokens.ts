// Real service account tokens, minted with jose at bench start (keys generated here, never stored), shaped like
// the ones Kubernetes issues, and text files that carry them at known positions among ordinary log lines.
import { createHash, createPublicKey } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createRng, type Rng } from '../lib/prng';

const BOUND_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface Minter {
  legacy(namespace: string, serviceAccount: string, secretName: string): Promise<string>;
  bound(namespace: string, serviceAccount: string, pod: string): Promise<string>;
}

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export async function createMinter(): Promise<Minter> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  // Kubernetes' kid: base64url(SHA-256(public key in PKIX DER)).
  const der = createPublicKey(await exportSPKI(publicKey)).export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url');
  const sign = (claims: Record<string, unknown>, key: SigningKey): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  const uid = createUidSource(createRng(42));
  return {
    legacy: (namespace, serviceAccount, secretName) =>
      sign(
        {
          iss: 'kubernetes/serviceaccount',
          'kubernetes.io/serviceaccount/namespace': namespace,
          'kubernetes.io/serviceaccount/secret.name': secretName,
          'kubernetes.io/serviceaccount/service-account.name': serviceAccount,
          'kubernetes.io/serviceaccount/service-account.uid': uid(),
          sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
        },
        privateKey,
      ),
    bound: (namespace, serviceAccount, pod) => {
      const iat = Math.floor(Date.now() / 1000);
      return sign(
        {
          aud: [BOUND_ISSUER],
          exp: iat + 31_536_000,
          iat,
          nbf: iat,
          iss: BOUND_ISSUER,
          jti: uid(),
          'kubernetes.io': {
            namespace,
            node: { name: 'worker-1', uid: uid() },
            pod: { name: pod, uid: uid() },
            serviceaccount: { name: serviceAccount, uid: uid() },
            warnafter: iat + 3607,
          },
          sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
        },
        privateKey,
      );
    },
  };
}

function createUidSource(rng: Rng): () => string {
  const hex = (n: number): string => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
  return () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}

/** `count` tokens, alternating legacy and bound, for the decode benchmark. */
export async function mintTokenSet(minter: Minter, count: number): Promise<string[]> {
  const rng = createRng(7);
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const namespace = `team-${rng.suffix(4)}`;
      const account = `app-${rng.suffix(4)}`;
      return i % 2
        ? minter.bound(namespace, account, `${account}-${rng.suffix(5)}`)
        : minter.legacy(namespace, account, `${account}-token-${rng.suffix(5)}`);
    }),
  );
}

export interface TokenFile {
  text: string;
  lines: number;
  /** Offsets in `text` inside each placed token (where a user would hover). */
  hoverOffsets: number[];
}

const FILLER = [
  (rng: Rng) =>
    `2025-03-0${rng.int(1, 9)}T12:${rng.int(10, 59)}:07.${rng.int(100, 999)}Z INFO request path=/api/v1/namespaces/default/pods status=200 took=${rng.int(1, 90)}ms`,
  (rng: Rng) =>
    `2025-03-0${rng.int(1, 9)}T12:${rng.int(10, 59)}:08.${rng.int(100, 999)}Z WARN retrying watch on secrets after ${rng.int(1, 9)}s backoff`,
  (rng: Rng) =>
    `{"level":"debug","msg":"cache sync","objects":${rng.int(1, 9999)},"namespace":"team-${rng.suffix(4)}"}`,
  (rng: Rng) => `checksum: ${Buffer.from(rng.suffix(30)).toString('base64')}`,
  () => '',
];

/**
 * A log-like text file of `lines` lines with `tokenLines` lines of the form `Authorization: Bearer <jwt>` placed
 * at the given line numbers (0-based). The same token lines go into the small and the large file, so a hover
 * in either does the same per-token work and only the file size differs.
 */
export function buildTokenFile(lines: number, tokenLines: Map<number, string>, seed: number): TokenFile {
  const rng = createRng(seed);
  const out: string[] = [];
  const hoverOffsets: number[] = [];
  let offset = 0;
  for (let line = 0; line < lines; line++) {
    const token = tokenLines.get(line);
    const text = token ? `curl -H "Authorization: Bearer ${token}" https://api.example.com/` : rng.pick(FILLER)(rng);
    if (token) hoverOffsets.push(offset + text.indexOf(token) + (token.length >> 1));
    out.push(text);
    offset += text.length + 1;
  }
  return { text: out.join('\n') + '\n', lines, hoverOffsets };
}

/** Token lines at fixed fractions of the file (start, middle, end), so hover cost is sampled across it. */
export function placeTokens(lines: number, tokens: string[]): Map<number, string> {
  const fractions = [0.05, 0.5, 0.95];
  return new Map(fractions.map((fraction, i) => [Math.floor(lines * fraction), tokens[i % tokens.length]]));
}
