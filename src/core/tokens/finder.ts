// Locates JWTs in arbitrary text: raw, after `Bearer `, or base64-wrapped as in a Secret's `data.token`.
// Hand-written scan over maximal character runs: every character is visited a bounded number of times,
// so a megabyte of `eyJ…` junk costs linear time (a backtracking regex would be quadratic there).
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

/** The token covering `offset` (end inclusive, so a hover just after the last character still finds it).
 * Only the line containing `offset` is scanned, so the cost does not grow with the file. */
export function findTokenAt(text: string, offset: number): TokenMatch | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const lineEnd = newline === -1 ? text.length : newline;
  const line = text.slice(lineStart, lineEnd);
  for (const match of findTokens(line)) {
    if (match.start + lineStart <= offset && offset <= match.end + lineStart) {
      return { ...match, start: match.start + lineStart, end: match.end + lineStart };
    }
  }
  return undefined;
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
  const decoded = Buffer.from(candidate, 'base64').toString('latin1').trim();
  return isCompactJwt(decoded) ? decoded : undefined;
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
