// What the user asks of a TokenRequest (lifetime, audiences, bound object), parsed and checked against the API
// server's limits before anything is sent. Shared by the "Request Token" prompts and scripts that preset the answers.
import { MAX_TOKEN_EXPIRATION_SECONDS, MIN_TOKEN_EXPIRATION_SECONDS } from '../kubernetes';
import { HOUR_SECONDS, MINUTE_SECONDS } from '../time';
import { validateObjectName } from './names';

/** The TokenRequest `spec` we send (authentication.k8s.io/v1). */
export interface TokenRequestSpec {
  expirationSeconds: number;
  audiences?: string[];
  boundObject?: { kind: 'Pod' | 'Secret' | 'Node'; name: string; uid?: string };
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses a `kubectl create token --duration`-style value ("1h", "90m", "1h30m", "3600s", or plain seconds). */
export function parseDuration(input: string): { seconds: number } | { error: string } {
  const text = input.trim().toLowerCase().replace(/\s+/g, '');
  const plain = /^\d+$/.test(text) ? `${text}s` : text;
  const match = DURATION.exec(plain);
  if (!text || !match) return { error: 'Enter a duration like 1h, 30m, 1h30m or 3600s.' };
  const [hours, minutes, secs] = match.slice(1).map((part) => Number(part ?? 0));
  const seconds = hours * HOUR_SECONDS + minutes * MINUTE_SECONDS + secs;
  if (seconds < MIN_TOKEN_EXPIRATION_SECONDS)
    return { error: 'The minimum token lifetime is 10 minutes (the API server rejects less).' };
  if (seconds > MAX_TOKEN_EXPIRATION_SECONDS) return { error: 'The maximum token lifetime is 2^32 seconds.' };
  return { seconds };
}

/** Comma-separated audiences, trimmed, empty entries dropped, duplicates removed. Empty → the API server's own. */
export function parseAudiences(input: string): string[] {
  return [
    ...new Set(
      input
        .split(',')
        .map((audience) => audience.trim())
        .filter(Boolean),
    ),
  ];
}

/** The answers to Request Token's prompts, as typed (or passed by a script): validated like typed input. */
export interface TokenRequestPreset {
  duration: string;
  audiences?: string;
  boundObject?: { kind: 'Pod' | 'Secret'; name: string };
}

/** Throws one clear message when an answer is invalid. */
export function tokenRequestFrom(preset: TokenRequestPreset): TokenRequestSpec {
  const parsed = parseDuration(preset.duration);
  if ('error' in parsed) throw new Error(parsed.error);
  const request: TokenRequestSpec = {
    expirationSeconds: parsed.seconds,
    audiences: parseAudiences(preset.audiences ?? ''),
  };
  if (!preset.boundObject) return request;
  const invalidName = validateObjectName(preset.boundObject.name);
  if (invalidName) throw new Error(invalidName);
  return { ...request, boundObject: { kind: preset.boundObject.kind, name: preset.boundObject.name.trim() } };
}
