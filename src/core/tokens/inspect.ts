// Decodes one token (nothing is verified here) into a TokenReport. Never throws.
import { identify } from './classify';
import { findingsFor } from './findings';
import { findTokens, unwrapBase64Jwt } from './finder';
import { boundDepth, decodeJsonObject, decodeJwsHeader, looksLikeCompactJwt, MAX_JSON_DEPTH } from './jwt';
import { fromNumericDate, toIsoString } from '../time';
import type { TokenError, TokenMatch, TokenReport } from './types';

export interface InspectOptions {
  now?: Date;
}

const NOT_A_TOKEN = 'not a token: expected a JWT (header.payload.signature), "Bearer <jwt>", or the base64 of a JWT';

export function isTokenError(x: unknown): x is TokenError {
  return typeof x === 'object' && x !== null && typeof (x as TokenError).error === 'string';
}

/** One token as a user pastes it: surrounding whitespace and quotes, and an `Authorization:` header name copied
 * from an HTTP log, are tolerated; anything else around the token is not. Offsets are into the cleaned input. */
export function matchTokenInput(input: string): TokenMatch | TokenError {
  // A bare token, as most callers pass it, skips the clean-up below.
  if (looksLikeCompactJwt(input)) return { start: 0, end: input.length, source: 'jwt', jwt: input };
  const trimmed = stripQuotes(input.trim()).replace(/^authorization:[ \t]*/i, '');
  if (trimmed === '') return { error: 'empty input: expected a token' };
  const whole = wholeInputMatch(trimmed);
  if (whole) return whole;
  const matches = findTokens(trimmed);
  if (matches.length > 1) return { error: `found ${matches.length} tokens in the input; give one at a time` };
  const [match] = matches;
  if (match && match.start === 0 && match.end === trimmed.length) return match;
  return { error: truncationHint(trimmed) ?? NOT_A_TOKEN };
}

/** The common case, the input is exactly one token, recognised without scanning it. */
function wholeInputMatch(text: string): TokenMatch | undefined {
  const bearer = /^bearer[ \t]+/i.exec(text);
  const body = bearer ? text.slice(bearer[0].length) : text;
  // Shape only: decoding checks header and payload next, and reports bad ones as a malformed token.
  if (looksLikeCompactJwt(body)) return { start: 0, end: text.length, source: bearer ? 'bearer' : 'jwt', jwt: body };
  const unwrapped = bearer ? undefined : unwrapBase64Jwt(body);
  return unwrapped ? { start: 0, end: text.length, source: 'base64', jwt: unwrapped } : undefined;
}

function truncationHint(text: string): string | undefined {
  const parts = text.split('.').length;
  if (!text.startsWith('eyJ') || parts >= 3) return undefined;
  return `not a token: a JWT has three dot-separated parts, this has ${parts} (truncated when copied?)`;
}

/** A token error as the one sentence a user sees ("Not a token: …." without a doubled prefix). */
export function tokenErrorSentence(error: TokenError): string {
  const reason = error.error;
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}${reason.endsWith('.') ? '' : '.'}`;
}

/** Why pasted text is not one decodable token (for validating an input box as the user types); undefined when the
 * text holds a token. Never repeats the input. */
export function tokenInputProblem(text: string): string | undefined {
  const match = findTokens(text)[0];
  const token = match ? inspectMatch(match) : inspectToken(text);
  return isTokenError(token) ? tokenErrorSentence(token) : undefined;
}

/**
 * `text` when it is exactly one compact JWS (header.payload.signature, a decodable header, nothing else: no
 * whitespace, no second token, no trailing command); otherwise what is wrong, without repeating any of it. For
 * tokens from places that hold exactly a token (a Secret's data.token), before decoding, copying or sending them.
 */
export function exactlyOneJwt(text: string): string | TokenError {
  if (looksLikeCompactJwt(text) && decodeJwsHeader(text.slice(0, text.indexOf('.')))) return text;
  if (text.trim() === '') return { error: 'it is empty' };
  const found = findTokens(text);
  if (found.length === 0) return { error: `it holds no JWT (${text.length} characters of something else)` };
  if (found.length > 1) return { error: `it holds ${found.length} JWTs, not one` };
  const other = text.length - (found[0].end - found[0].start);
  return { error: `it holds a JWT plus ${other} other character${other === 1 ? '' : 's'} around it` };
}

export function inspectToken(input: string, options: InspectOptions = {}): TokenReport | TokenError {
  const match = matchTokenInput(input);
  return isTokenError(match) ? match : inspectMatch(match, options);
}

export function inspectMatch(match: TokenMatch, options: InspectOptions = {}): TokenReport | TokenError {
  const decoded = decode(match.jwt);
  if (isTokenError(decoded)) return decoded;
  const problems = decoded.tooDeep
    ? [`Claims or header nested more than ${MAX_JSON_DEPTH} levels deep: the deeper parts are too deep to show.`]
    : [];
  return report(match, decoded.header, decoded.claims, options.now ?? new Date(), problems);
}

interface Decoded {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** Parts nested deeper than MAX_JSON_DEPTH were cut (they would overflow every renderer's stack). */
  tooDeep: boolean;
}

function decode(jwt: string): Decoded | TokenError {
  const [headerPart, payloadPart = ''] = jwt.split('.', 2);
  const header = decodeJwsHeader(headerPart);
  if (!header) return { error: 'malformed token: the header is not a base64url JSON object with "alg"' };
  const claims = decodeJsonObject(payloadPart);
  if (!claims) return { error: 'malformed token: the payload is not a base64url JSON object' };
  const boundedHeader = boundDepth(header);
  const boundedClaims = boundDepth(claims);
  return {
    header: boundedHeader.value,
    claims: boundedClaims.value,
    tooDeep: boundedHeader.cut || boundedClaims.cut,
  };
}

function report(
  match: TokenMatch,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  now: Date,
  problems: string[],
): TokenReport {
  const identity = identify(claims, problems);
  const issuedAt = numericDateClaim(claims, 'iat', problems);
  const notBefore = numericDateClaim(claims, 'nbf', problems);
  const expiresAt = numericDateClaim(claims, 'exp', problems);
  const audience = audienceOf(claims.aud, problems);
  const issuer = stringClaim(claims, 'iss', problems);
  const jti = stringClaim(claims, 'jti', problems);
  const signatureEmpty = match.jwt.endsWith('.');
  // Fields listed one by one: an object rest/spread here was the slowest part of decoding (bench).
  return {
    source: match.source,
    header,
    claims,
    kind: identity.kind,
    namespace: identity.namespace,
    serviceAccount: identity.serviceAccount,
    serviceAccountUid: identity.serviceAccountUid,
    boundTo: identity.boundTo,
    node: identity.node,
    secretName: identity.secretName,
    issuer,
    audience,
    issuedAt: issuedAt ? toIsoString(issuedAt) : null,
    notBefore: notBefore ? toIsoString(notBefore) : null,
    expiresAt: expiresAt ? toIsoString(expiresAt) : null,
    warnAfter: identity.warnAfter ? toIsoString(identity.warnAfter) : null,
    expired: expiresAt ? expiresAt <= now : null,
    jti,
    findings: findingsFor({
      identity,
      alg: header.alg,
      signatureEmpty,
      audience,
      issuedAt,
      notBefore,
      expiresAt,
      problems,
      now,
    }),
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
