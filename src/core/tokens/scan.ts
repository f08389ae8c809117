// Token problems worth a diagnostic in an open file: expired tokens, and real service account tokens sitting in a file
// (a credential leak). Messages are plain text built from sanitised names, never from token bytes.
import { findTokens } from './finder';
import { inspectMatch, isTokenError } from './inspect';
import { formatRelative } from '../time';
import type { Severity, TokenMatch, TokenReport } from './types';

export interface TokenProblem {
  match: TokenMatch;
  code: 'token-expired' | 'token-committed';
  severity: Severity;
  message: string;
}

export interface ScanOptions {
  now?: Date;
  /** Report tokens whose exp is past. */
  expired: boolean;
  /** Report real service account tokens (legacy, or bound with the kubernetes.io claims) found in the text. */
  committed: boolean;
}

export function scanForTokenProblems(text: string, options: ScanOptions): TokenProblem[] {
  if (!options.expired && !options.committed) return [];
  const now = options.now ?? new Date();
  const problems: TokenProblem[] = [];
  for (const match of findTokens(text)) {
    const report = inspectMatch(match, { now });
    if (isTokenError(report)) continue;
    if (options.committed && isServiceAccountToken(report)) problems.push(committedProblem(match, report));
    if (options.expired && report.expired && report.expiresAt) {
      const ago = formatRelative(new Date(report.expiresAt), now);
      problems.push({
        match,
        code: 'token-expired',
        severity: 'warning',
        message: `${describe(report)} expired ${ago}.`,
      });
    }
  }
  return problems;
}

/** A token Kubernetes itself issued: legacy, or bound with the `kubernetes.io` claim naming a service account. */
export function isServiceAccountToken(report: TokenReport): boolean {
  return report.kind === 'legacy' || (report.kind === 'bound' && report.serviceAccount !== null);
}

function committedProblem(match: TokenMatch, report: TokenReport): TokenProblem {
  const usable = report.expired !== true;
  const consequence =
    report.kind === 'legacy'
      ? 'it never expires: delete its Secret to revoke it, and remove it from this file'
      : usable
        ? 'anyone who reads this file can use it until it expires; remove it'
        : 'it has expired, but tokens in files tend to be copied; remove it';
  return {
    match,
    code: 'token-committed',
    // A legacy token leaks for good; a live bound token for its lifetime; an expired one only teaches bad habits.
    severity: report.kind === 'legacy' ? 'error' : usable ? 'warning' : 'info',
    message: `${describe(report)} in a file is a credential leak: ${consequence}.`,
  };
}

function describe(report: TokenReport): string {
  if (!isServiceAccountToken(report)) return 'Token';
  const kind = report.kind === 'legacy' ? 'Legacy service account token' : 'Service account token';
  return `${kind} ${safeName(report.namespace)}/${safeName(report.serviceAccount)}`;
}

/** What the "Redact token" quick fix writes instead of the whole match: no token bytes, and safe as a YAML plain
 * scalar, a JSON string, a shell word or a .env value. Keeps a `Bearer ` prefix so the line still reads right. */
export function redactedReplacement(match: TokenMatch): string {
  const report = inspectMatch(match);
  const who =
    !isTokenError(report) && isServiceAccountToken(report)
      ? `REDACTED-SA-TOKEN:${safeName(report.namespace)}/${safeName(report.serviceAccount)}`
      : 'REDACTED-TOKEN';
  return match.source === 'bearer' ? `Bearer ${who}` : who;
}

/** Kubernetes names are DNS labels/subdomains; anything else in a claim is shown as `_`, and length is bounded. */
function safeName(name: string | null): string {
  if (!name) return '_';
  return name.replace(/[^a-z0-9.-]/gi, '_').slice(0, 63) || '_';
}
