// Decoding the parts of a compact JWT (base64.ts: Buffer's native decoder on Node, atob in a web worker).
// The checks are jose's: each part is base64url JSON and an object; the header has `alg`.
import { decodeBase64 } from './base64';

/** Anchored, with '.'-free classes between the dots: cannot backtrack. */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Headers carrying an x5c chain can be a few KB; anything far larger is junk, not a header. */
const MAX_HEADER_LENGTH = 16 * 1024;
/** Base64url of `{"`: every JSON header a real issuer writes starts with it. */
const JWT_HEADER_PREFIX = 'eyJ';

export type JsonObject = Record<string, unknown>;

export function hasCompactJwtShape(candidate: string): boolean {
  return COMPACT_JWT.test(candidate);
}

/** Any character outside unpadded base64url; the signature part is only checked, never decoded. */
const NOT_BASE64URL = /[^A-Za-z0-9_-]/g;

/** Cheap test that `text` is `header.payload.signature`: the dots and the signature's alphabet only, because
 * decoding checks the header and payload anyway (a regex over the whole token cost almost a bare decode). */
export function looksLikeCompactJwt(text: string): boolean {
  const first = text.indexOf('.');
  const second = first < 1 ? -1 : text.indexOf('.', first + 1);
  if (second <= first + 1 || !text.startsWith(JWT_HEADER_PREFIX)) return false;
  // Searched in place (no copy of the signature); a third dot is outside the alphabet too.
  NOT_BASE64URL.lastIndex = second + 1;
  return !NOT_BASE64URL.test(text);
}

/** The UTF-8 text of an unpadded base64url part, or undefined when it holds anything else: Buffer would silently
 * skip foreign characters (and accept `+`, `/`, `=`), so the decoded length and those three are checked. */
function decodeBase64Url(part: string): string | undefined {
  if (part.length % 4 === 1 || part.includes('+') || part.includes('/') || part.includes('=')) return undefined;
  const decoded = decodeBase64(part, 'utf8');
  return decoded?.byteLength === Math.floor((part.length * 3) / 4) ? decoded.text : undefined;
}

/** The JSON object a base64url part encodes, or undefined for anything else (never throws). */
export function decodeJsonObject(part: string): JsonObject | undefined {
  const text = decodeBase64Url(part);
  if (text === undefined) return undefined;
  const json = text.trim();
  // Cheap shape check first: most junk fails here instead of in a (slow, throwing) JSON.parse.
  if (!json.startsWith('{') || !json.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** The protected header of a JWS — an object with a string `alg` — or undefined. Five-part JWE tokens also start
 * with a JSON header; they carry `enc` and are not ours to decode. */
export function decodeJwsHeader(part: string): JsonObject | undefined {
  if (part.length > MAX_HEADER_LENGTH || !part.startsWith(JWT_HEADER_PREFIX)) return undefined;
  const header = decodeJsonObject(part);
  return header && typeof header.alg === 'string' && header.enc === undefined ? header : undefined;
}

/** Deeper than any issuer nests claims (Kubernetes: 3 levels), far shallower than what overflows the stack of
 * JSON.stringify or a renderer (a few thousand levels, reachable from a 13 KB token). */
export const MAX_JSON_DEPTH = 32;
export const TOO_DEEP = '… (nested too deep to show)';

/** `value` itself when no object or array in it is nested deeper than `maxDepth`; otherwise a copy whose parts
 * below that depth are replaced by TOO_DEEP. Recursion never goes deeper than `maxDepth`. */
export function boundDepth<T>(value: T, maxDepth = MAX_JSON_DEPTH): { value: T; cut: boolean } {
  if (!exceedsDepth(value, maxDepth)) return { value, cut: false };
  return { value: cutBelow(value, maxDepth) as T, cut: true };
}

function exceedsDepth(value: unknown, depthLeft: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depthLeft === 0) return true;
  // for…in over an object (no Object.values array): this walks every decoded token.
  if (Array.isArray(value)) return value.some((child) => exceedsDepth(child, depthLeft - 1));
  for (const key in value) {
    if (exceedsDepth((value as JsonObject)[key], depthLeft - 1)) return true;
  }
  return false;
}

function cutBelow(value: unknown, depthLeft: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depthLeft === 0) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((child) => cutBelow(child, depthLeft - 1));
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, cutBelow(child, depthLeft - 1)]));
}
