// Small pure formatting and input-validation helpers for the cluster view (no vscode import: unit-tested in plain Node).
import type { TokenRequestOptions } from '../../kube/index';

export type { TokenRequestOptions };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** A compact age like kubectl's AGE column: "45s", "3m", "5h", "12d", "2y". */
export function formatAge(since: Date, now: Date): string {
  const elapsed = Math.max(0, now.getTime() - since.getTime());
  if (elapsed < 2 * MINUTE) return `${Math.floor(elapsed / SECOND)}s`;
  if (elapsed < 3 * HOUR) return `${Math.floor(elapsed / MINUTE)}m`;
  if (elapsed < 2 * DAY) return `${Math.floor(elapsed / HOUR)}h`;
  if (elapsed < 2 * YEAR) return `${Math.floor(elapsed / DAY)}d`;
  return `${Math.floor(elapsed / YEAR)}y`;
}

/** Age of an ISO timestamp, or undefined when the timestamp is missing or not a date. */
export function ageOf(timestamp: string | null, now: Date): string | undefined {
  const date = parseDate(timestamp);
  return date ? formatAge(date, now) : undefined;
}

/** Days between a timestamp and now, or undefined when it does not parse. */
export function daysSince(timestamp: string | null, now: Date): number | undefined {
  const date = parseDate(timestamp);
  return date ? Math.floor((now.getTime() - date.getTime()) / DAY) : undefined;
}

function parseDate(timestamp: string | null): Date | undefined {
  if (!timestamp) return undefined;
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Seconds as a short duration: 3607 → "1h 0m 7s", 600 → "10m", 31536000 → "365d". */
export function formatSeconds(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(' ');
}

/** The API server rejects token lifetimes under 10 minutes and over 2^32 seconds. */
export const MIN_TOKEN_SECONDS = 600;
export const MAX_TOKEN_SECONDS = 2 ** 32;

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses a `kubectl create token --duration`-style value ("1h", "90m", "1h30m", "3600s", or plain seconds). */
export function parseDuration(input: string): { seconds: number } | { error: string } {
  const text = input.trim().toLowerCase().replace(/\s+/g, '');
  const plain = /^\d+$/.test(text) ? `${text}s` : text;
  const match = DURATION.exec(plain);
  if (!text || !match) return { error: 'Enter a duration like 1h, 30m, 1h30m or 3600s.' };
  const [hours, minutes, secs] = match.slice(1).map((part) => Number(part ?? 0));
  const seconds = hours * 3600 + minutes * 60 + secs;
  if (seconds < MIN_TOKEN_SECONDS)
    return { error: 'The minimum token lifetime is 10 minutes (the API server rejects less).' };
  if (seconds > MAX_TOKEN_SECONDS) return { error: 'The maximum token lifetime is 2^32 seconds.' };
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

/** A Kubernetes object name (DNS subdomain): the only names we accept before sending a request. */
export function validateObjectName(input: string): string | undefined {
  const name = input.trim();
  if (!name) return 'Enter a name.';
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    return 'Not a valid Kubernetes name (lowercase letters, digits, "-" and ".").';
  }
  return undefined;
}

/** The answers to Request Token's prompts, as typed (or passed by a script): validated like typed input. */
export interface TokenRequestPreset {
  duration: string;
  audiences?: string;
  boundObject?: { kind: 'Pod' | 'Secret'; name: string };
}

/** Throws one clear message when an answer is invalid. */
export function tokenRequestFrom(preset: TokenRequestPreset): TokenRequestOptions {
  const parsed = parseDuration(preset.duration);
  if ('error' in parsed) throw new Error(parsed.error);
  const request: TokenRequestOptions = {
    expirationSeconds: parsed.seconds,
    audiences: parseAudiences(preset.audiences ?? ''),
  };
  if (!preset.boundObject) return request;
  const invalidName = validateObjectName(preset.boundObject.name);
  if (invalidName) throw new Error(invalidName);
  return { ...request, boundObject: { kind: preset.boundObject.kind, name: preset.boundObject.name.trim() } };
}
