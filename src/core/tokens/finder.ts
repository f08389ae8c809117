// Locates JWTs in arbitrary text: raw, after `Bearer `, or base64-wrapped as in a Secret's `data.token`.
// Hand-written scan over maximal character runs: every character is visited a bounded number of times,
// so a megabyte of `eyJ…` junk costs linear time (a backtracking regex would be quadratic there).
import { decodeBase64 } from './base64';
import { decodeJwsHeader, hasCompactJwtShape } from './jwt';
import type { TokenMatch } from './types';

/** Standard base64 of `eyJ`: a base64-wrapped JWT starts with it. */
const BASE64_JWT_PREFIX = 'ZXlK';
/** How far before a JWT we look for `Bearer` (the word plus a few spaces). */
const MAX_BEARER_GAP = 16;

/** Every token in `text`, in order of appearance, non-overlapping. */
export function findTokens(text: string): TokenMatch[] {
  const matches = [...findRawJwts(text), ...findBase64Jwts(text)];
  matches.sort((a, b) => a.start - b.start);
  return dropOverlaps(matches);
}

/**
 * No token we look for is longer: the tokens Kubernetes issues are 1–2 KB, and headers (where bearer tokens travel)
 * are capped by servers at 8–16 KB. A cursor inside a longer run of token characters is on something else.
 */
export const MAX_TOKEN_LENGTH = 64 * 1024;
/** How far before a JWT its `Bearer ` prefix can start, with the one character before it that must not be a letter. */
const BEARER_REACH = MAX_BEARER_GAP + 'bearer'.length + 1;

/**
 * The token covering `offset` (end inclusive, so a hover just after the last character still finds it). Only a
 * bounded window is scanned: the run of token characters around the offset (at most MAX_TOKEN_LENGTH each way),
 * with room for a `Bearer ` prefix, never past the line. A hover in a 10 MB single-line file costs what one in a
 * short line does, and finds what scanning the whole line would.
 */
export function findTokenAt(text: string, offset: number): TokenMatch | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const runStart = runEdge(text, offset, -1);
  // The cursor may sit on `Bearer` or the blanks after it: the token's own run starts at most BEARER_REACH ahead.
  const ahead = text.slice(offset, offset + BEARER_REACH);
  const newline = ahead.indexOf('\n');
  const runEnd = runEdge(text, offset + (newline === -1 ? ahead.length : newline), 1);
  if (runStart === undefined || runEnd === undefined) return undefined;
  const behind = text.slice(Math.max(0, runStart - BEARER_REACH), runStart);
  const windowStart = runStart - behind.length + behind.lastIndexOf('\n') + 1;
  for (const match of findTokens(text.slice(windowStart, runEnd))) {
    if (match.start + windowStart <= offset && offset <= match.end + windowStart) {
      return { ...match, start: match.start + windowStart, end: match.end + windowStart };
    }
  }
  return undefined;
}

/** Any character a token or its base64 wrapping is made of (base64, base64url, the dots, padding). */
const isTokenRunChar = (code: number): boolean => isDottedRunChar(code) || isBase64Char(code) || code === 61;

/**
 * Where the run of token characters through `from` ends in `direction` (-1: its start, 1: its end), or undefined
 * when it goes on for more than MAX_TOKEN_LENGTH characters.
 */
function runEdge(text: string, from: number, direction: -1 | 1): number | undefined {
  const limit = direction < 0 ? Math.max(0, from - MAX_TOKEN_LENGTH) : Math.min(text.length, from + MAX_TOKEN_LENGTH);
  let edge = from;
  if (direction < 0) while (edge > limit && isTokenRunChar(text.charCodeAt(edge - 1))) edge--;
  else while (edge < limit && isTokenRunChar(text.charCodeAt(edge))) edge++;
  const next = direction < 0 ? edge - 1 : edge;
  return edge === limit && next >= 0 && next < text.length && isTokenRunChar(text.charCodeAt(next)) ? undefined : edge;
}

/** True when `candidate` is `header.payload.signature` and the header is a JSON object with a string `alg`. */
export function isCompactJwt(candidate: string): boolean {
  return hasCompactJwtShape(candidate) && isJwtHeader(candidate.slice(0, candidate.indexOf('.')));
}

/** Remembers header verdicts within one scan: junk repeats itself, and each failed JSON.parse is a slow exception. */
type HeaderVerdicts = Map<string, boolean>;

function isJwtHeader(headerPart: string, verdicts?: HeaderVerdicts): boolean {
  const known = verdicts?.get(headerPart);
  if (known !== undefined) return known;
  const verdict = decodeJwsHeader(headerPart) !== undefined;
  verdicts?.set(headerPart, verdict);
  return verdict;
}

/** Unwraps standard base64 (padding optional) around a compact JWT; a newline wrapped along (`echo | base64`) is dropped. */
export function unwrapBase64Jwt(candidate: string): string | undefined {
  if (!candidate.startsWith(BASE64_JWT_PREFIX) || !isStandardBase64(candidate)) return undefined;
  const decoded = decodeBase64(candidate, 'latin1')?.text.trim();
  return decoded !== undefined && isCompactJwt(decoded) ? decoded : undefined;
}

const isBase64UrlChar = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
const isDottedRunChar = (code: number): boolean => isBase64UrlChar(code) || code === 46;
const isBase64Char = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 43 || code === 47;

function isStandardBase64(candidate: string): boolean {
  const body = candidate.replace(/=+$/, '');
  if (candidate.length - body.length > 2 || body.length % 4 === 1) return false;
  for (let i = 0; i < body.length; i++) if (!isBase64Char(body.charCodeAt(i))) return false;
  return true;
}

/** Maximal runs of characters satisfying `accept`, as [start, end) pairs. */
function* runs(text: string, accept: (code: number) => boolean): Generator<[number, number]> {
  let i = 0;
  while (i < text.length) {
    if (!accept(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && accept(text.charCodeAt(i))) i++;
    yield [start, i];
  }
}

/** In a run like `a.eyJ….eyJ….sig.` every part is tried once as a header, so the scan stays linear. */
function findRawJwts(text: string): TokenMatch[] {
  const found: TokenMatch[] = [];
  const verdicts: HeaderVerdicts = new Map();
  for (const [runStart, runEnd] of runs(text, isDottedRunChar)) {
    const parts = text.slice(runStart, runEnd).split('.');
    let offset = runStart;
    for (let i = 0; i < parts.length; i++) {
      const candidate = jwtStartingAt(parts, i, verdicts);
      if (candidate) {
        found.push(withBearerPrefix(text, offset, candidate));
        offset += candidate.length + 1;
        i += 2;
      } else {
        offset += parts[i].length + 1;
      }
    }
  }
  return found;
}

function jwtStartingAt(parts: string[], i: number, verdicts: HeaderVerdicts): string | undefined {
  if (i + 2 >= parts.length || parts[i + 1] === '' || !isJwtHeader(parts[i], verdicts)) return undefined;
  return `${parts[i]}.${parts[i + 1]}.${parts[i + 2]}`;
}

function withBearerPrefix(text: string, start: number, jwt: string): TokenMatch {
  const end = start + jwt.length;
  let gapStart = start;
  while (
    gapStart > 0 &&
    start - gapStart < MAX_BEARER_GAP &&
    (text[gapStart - 1] === ' ' || text[gapStart - 1] === '\t')
  ) {
    gapStart--;
  }
  const word = text.slice(gapStart - 6, gapStart);
  const beforeWord = gapStart - 7 >= 0 ? text.charCodeAt(gapStart - 7) : NaN;
  const isBearer = gapStart < start && gapStart >= 6 && word.toLowerCase() === 'bearer' && !isBase64UrlChar(beforeWord);
  return isBearer ? { start: gapStart - 6, end, source: 'bearer', jwt } : { start, end, source: 'jwt', jwt };
}

function findBase64Jwts(text: string): TokenMatch[] {
  const found: TokenMatch[] = [];
  for (const [start, runEnd] of runs(text, isBase64Char)) {
    if (!text.startsWith(BASE64_JWT_PREFIX, start)) continue;
    let end = runEnd;
    while (end < text.length && end - runEnd < 2 && text[end] === '=') end++;
    const jwt = unwrapBase64Jwt(text.slice(start, end));
    if (jwt) found.push({ start, end, source: 'base64', jwt });
  }
  return found;
}

function dropOverlaps(sorted: TokenMatch[]): TokenMatch[] {
  const kept: TokenMatch[] = [];
  for (const match of sorted) {
    const last = kept[kept.length - 1];
    if (!last || match.start >= last.end) kept.push(match);
  }
  return kept;
}
