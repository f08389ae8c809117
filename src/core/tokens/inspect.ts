// Decodes one token (jose's decoders; nothing is verified here) into a TokenReport. Never throws.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { identify } from './classify';
import { findingsFor } from './findings';
import { findTokens } from './finder';
import { fromNumericDate } from './time';
import type { TokenError, TokenMatch, TokenReport } from './types';

export interface InspectOptions {
  now?: Date;
}

const NOT_A_TOKEN =
  'not a token: expected a JWT (header.payload.signature), "Bearer <jwt>", or the base64 of a JWT';

export function isTokenError(x: unknown): x is TokenError {
  return typeof x === 'object' && x !== null && typeof (x as TokenError).error === 'string';
}

/** One token as a user pastes it: surrounding whitespace and quotes, and an `Authorization:` header name copied
 * from an HTTP log, are tolerated; anything else around the token is not. Offsets are into the cleaned input. */
export function matchTokenInput(input: string): TokenMatch | TokenError {
  const trimmed = stripQuotes(input.trim()).replace(/^authorization:[ \t]*/i, '');
  if (trimmed === '') return { error: 'empty input: expected a token' };
  const matches = findTokens(trimmed);
  if (matches.length > 1) return { error: `found ${matches.length} tokens in the input; give one at a time` };
  const [match] = matches;
  if (match && match.start === 0 && match.end === trimmed.length) return match;
  return { error: truncationHint(trimmed) ?? NOT_A_TOKEN };
}

function truncationHint(text: string): string | undefined {
  const parts = text.split('.').length;
  if (!text.startsWith('eyJ') || parts >= 3) return undefined;
  return `not a token: a JWT has three dot-separated parts, this has ${parts} (truncated when copied?)`;
}

export function inspectToken(input: string, options: InspectOptions = {}): TokenReport | TokenError {
  const match = matchTokenInput(input);
  return isTokenError(match) ? match : inspectMatch(match, options);
}

export function inspectMatch(match: TokenMatch, options: InspectOptions = {}): TokenReport | TokenError {
  const decoded = decode(match.jwt);
  if (isTokenError(decoded)) return decoded;
  return report(match, decoded.header, decoded.claims, options.now ?? new Date());
}

interface Decoded {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function decode(jwt: string): Decoded | TokenError {
  try {
    return { header: decodeProtectedHeader(jwt), claims: decodeJwt(jwt) };
  } catch (error) {
    // jose's messages name the failing part ("Failed to parse the decoded payload as JSON"), never its content.
    return { error: `malformed token: ${error instanceof Error ? error.message : 'cannot be decoded'}` };
  }
}

function report(match: TokenMatch, header: Record<string, unknown>, claims: Record<string, unknown>, now: Date): TokenReport {
  const problems: string[] = [];
  const identity = identify(claims, problems);
  const issuedAt = numericDateClaim(claims, 'iat', problems);
  const notBefore = numericDateClaim(claims, 'nbf', problems);
  const expiresAt = numericDateClaim(claims, 'exp', problems);
  const audience = audienceOf(claims.aud, problems);
  const issuer = stringClaim(claims, 'iss', problems);
  const jti = stringClaim(claims, 'jti', problems);
  const signatureEmpty = match.jwt.endsWith('.');
  const { warnAfter, ...who } = identity;
  return {
    source: match.source,
    header,
    claims,
    ...who,
    issuer,
    audience,
    issuedAt: issuedAt?.toISOString() ?? null,
    notBefore: notBefore?.toISOString() ?? null,
    expiresAt: expiresAt?.toISOString() ?? null,
    warnAfter: warnAfter?.toISOString() ?? null,
    expired: expiresAt ? expiresAt <= now : null,
    jti,
    findings: findingsFor({ identity, alg: header.alg, signatureEmpty, audience, issuedAt, notBefore, expiresAt, problems, now }),
    signature: { checked: false },
  };
}

function numericDateClaim(claims: Record<string, unknown>, name: string, problems: string[]): Date | undefined {
  const value = claims[name];
  const date = fromNumericDate(value);
  if (value !== undefined && !date) problems.push(`Claim "${name}" is not a numeric date.`);
  return date;
}

function stringClaim(claims: Record<string, unknown>, name: string, problems: string[]): string | null {
  const value = claims[name];
  if (value !== undefined && typeof value !== 'string') problems.push(`Claim "${name}" is not a string.`);
  return typeof value === 'string' ? value : null;
}

/** `aud` may be one string or an array of strings (RFC 7519 §4.1.3). */
function audienceOf(aud: unknown, problems: string[]): string[] {
  if (aud === undefined) return [];
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((entry) => typeof entry === 'string')) return aud;
  problems.push('Claim "aud" is neither a string nor an array of strings.');
  return Array.isArray(aud) ? aud.filter((entry): entry is string => typeof entry === 'string') : [];
}

function stripQuotes(text: string): string {
  for (const quote of ['"', "'", '`']) {
    if (text.length >= 2 && text.startsWith(quote) && text.endsWith(quote)) return text.slice(1, -1).trim();
  }
  return text;
}
