// Offline signature checks against public keys the user names: PEM files or a JWKS document.
// Never fetches anything (not even URLs named in the token) and never checks exp: a signature check only.
import { createHash, createPublicKey, type JsonWebKey, type KeyObject, X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { printable } from '../printable';
import type { SignatureResult } from './types';

export interface VerificationKey {
  /** The JWKS kid, else Kubernetes' kid: base64url(SHA-256(PKIX DER of the public key)). */
  kid: string;
  /** A public key (jose accepts Node KeyObjects); private keys given to parseKeys are reduced to this. */
  key: KeyObject;
  /** Where the key came from, e.g. a file name; for messages. */
  label: string;
}

/** Asymmetric JWS algorithms only: an HMAC "signature" made with a public key as secret is never accepted. */
const SIGNATURE_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** PEM blocks whose public key we take; private keys (an API server's sa.key) yield their public half. */
const PEM_KEY_TYPES = new Set([
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'CERTIFICATE',
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
]);

/** An API server publishes a handful of keys (one per --service-account-key-file, kept during rotation); a JWKS
 * with more is not a key set to try on every hover. */
export const MAX_JWKS_KEYS = 64;
/** RSA verification costs grow with the public exponent; real keys use 65537, and no library needs more than 2^32
 * (Go's crypto/rsa refuses larger ones). A huge exponent is only a way to make each check slow. */
const MAX_RSA_EXPONENT = 2n ** 32n;

export async function keyIdOf(publicKey: KeyObject): Promise<string> {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

/**
 * The public keys in one or more PEM blocks (PUBLIC KEY, CERTIFICATE, or a private key) or a JWKS JSON document.
 * Rejects with a one-line message (naming `label`, never key material) when the text holds no usable key.
 */
export async function parseKeys(text: string, label: string): Promise<VerificationKey[]> {
  const keys = text.trimStart().startsWith('{') ? await parseJwks(text, label) : await parsePem(text, label);
  if (keys.length === 0) {
    throw new Error(
      `${label}: no public key found (expected PEM PUBLIC KEY or CERTIFICATE blocks, or a JWKS document)`,
    );
  }
  return keys;
}

async function parsePem(text: string, label: string): Promise<VerificationKey[]> {
  const keys: VerificationKey[] = [];
  for (const block of pemBlocks(text)) {
    if (!PEM_KEY_TYPES.has(block.type)) continue;
    const key = publicKeyOfPem(block.type, block.pem);
    if (!key) throw new Error(`${label}: the ${block.type} block number ${keys.length + 1} is not a valid key`);
    if (hasHugeExponent(key))
      throw new Error(`${label}: the ${block.type} block number ${keys.length + 1} ${HUGE_EXPONENT}`);
    keys.push({ kid: await keyIdOf(key), key, label });
  }
  return keys;
}

function publicKeyOfPem(type: string, pem: string): KeyObject | undefined {
  return asymmetricKey(() => (type === 'CERTIFICATE' ? new X509Certificate(pem).publicKey : createPublicKey(pem)));
}

/** The public key `load` returns, or undefined when it throws or yields no asymmetric key. */
function asymmetricKey(load: () => KeyObject): KeyObject | undefined {
  try {
    const key = load();
    return key.asymmetricKeyType ? key : undefined;
  } catch {
    return undefined;
  }
}

const PEM_MARKER = /-----(BEGIN|END) ([A-Z0-9 ]+)-----/g;

/** `-----BEGIN X-----` … `-----END X-----` blocks, re-wrapped canonically so that files pasted together without a
 * newline between blocks, or with long lines, still parse. */
function pemBlocks(text: string): { type: string; pem: string }[] {
  const blocks: { type: string; pem: string }[] = [];
  let open: { type: string; bodyStart: number } | undefined;
  for (const marker of text.matchAll(PEM_MARKER)) {
    const [whole, edge, type] = marker;
    if (edge === 'BEGIN') open = { type, bodyStart: marker.index + whole.length };
    else if (open && open.type === type) {
      const body = text.slice(open.bodyStart, marker.index).replace(/\s+/g, '');
      const lines = body.match(/.{1,64}/g) ?? [];
      blocks.push({ type, pem: [`-----BEGIN ${type}-----`, ...lines, `-----END ${type}-----`, ''].join('\n') });
      open = undefined;
    }
  }
  return blocks;
}

async function parseJwks(text: string, label: string): Promise<VerificationKey[]> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${label}: not valid JSON (expected a JWKS document with "keys")`);
  }
  const entries = (document as { keys?: unknown }).keys;
  if (!Array.isArray(entries)) throw new Error(`${label}: a JWKS document needs a "keys" array`);
  if (entries.length > MAX_JWKS_KEYS)
    throw new Error(
      `${label}: the JWKS holds ${entries.length} keys, more than the ${MAX_JWKS_KEYS} any issuer publishes`,
    );
  const keys: VerificationKey[] = [];
  for (const [index, jwk] of entries.entries()) {
    if (typeof jwk !== 'object' || jwk === null || (jwk as { use?: unknown }).use === 'enc') continue;
    const key = publicKeyOfJwk(jwk as object);
    if (!key) throw new Error(`${label}: key number ${index + 1} is not a valid public JWK`);
    if (hasHugeExponent(key)) throw new Error(`${label}: key number ${index + 1} ${HUGE_EXPONENT}`);
    const kid = (jwk as { kid?: unknown }).kid;
    keys.push({ kid: typeof kid === 'string' && kid !== '' ? kid : await keyIdOf(key), key, label });
  }
  return keys;
}

const HUGE_EXPONENT = `is an RSA key with a public exponent above 2^32 (real keys use 65537)`;

function hasHugeExponent(key: KeyObject): boolean {
  const exponent = key.asymmetricKeyDetails?.publicExponent;
  return typeof exponent === 'bigint' && exponent > MAX_RSA_EXPONENT;
}

function publicKeyOfJwk(jwk: object): KeyObject | undefined {
  return asymmetricKey(() => createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
}

/**
 * With a `kid` in the token, tries only the keys with that kid (an issuer names the key it signed with; trying every
 * key of a large set on each hover is what a hostile key set wants); without one, tries every key. Never throws.
 * `keySet` names whose keys these are in the reasons ("cluster prod", "your key files", "the --key files").
 */
export async function verifySignature(
  jwt: string,
  keys: VerificationKey[],
  keySet = 'the given key set',
): Promise<SignatureResult> {
  if (keys.length === 0) return { checked: false };
  let tokenKid: unknown;
  let alg: unknown;
  try {
    const header = decodeProtectedHeader(jwt);
    alg = header.alg;
    if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || jwt.endsWith('.')) {
      return notValid('the token is unsigned (alg "none" or an empty signature)');
    }
    tokenKid = header.kid;
  } catch {
    return notValid('the token header cannot be decoded');
  }
  if (/^HS\d+$/.test(alg))
    return notValid(`it is signed with a shared secret (${alg}), which no public key checks: not a Kubernetes token`);
  if (!SIGNATURE_ALGORITHMS.includes(alg))
    return notValid(`its algorithm "${printable(alg).slice(0, 20)}" is not a public-key signature`);
  const hasKid = typeof tokenKid === 'string' && tokenKid !== '';
  const candidates = hasKid ? keys.filter((key) => key.kid === tokenKid) : keys;
  for (const candidate of candidates) {
    if (await verifiesWith(jwt, candidate.key))
      return { checked: true, valid: true, keyId: candidate.kid, reason: null, keySource: candidate.label };
  }
  const count = `${keys.length} key${keys.length === 1 ? '' : 's'}`;
  if (!hasKid) return notValid(`the token names no key (no kid), and none of the ${count} of ${keySet} verifies it`);
  return notValid(
    candidates.length > 0
      ? `the signature does not match the key of ${keySet} with the token's kid`
      : `not signed by any key of ${keySet} (none of its ${count} has the token's kid)`,
  );
}

const notValid = (reason: string): SignatureResult => ({ checked: true, valid: false, keyId: null, reason });

async function verifiesWith(jwt: string, key: KeyObject): Promise<boolean> {
  try {
    await compactVerify(jwt, key, { algorithms: SIGNATURE_ALGORITHMS });
    return true;
  } catch {
    return false;
  }
}
