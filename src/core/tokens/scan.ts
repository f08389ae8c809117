// Token problems in any text — one judgement for the editor's diagnostics and `sa-token lint` (text, JSON, SARIF):
// SAT301, a real service account token sitting in a file (a credential leak); SAT302, an expired token a kubeconfig
// presents (its user cannot authenticate). Messages are plain text built from sanitised names, never from token bytes.
import { SERVICE_ACCOUNT_SIGNATURE_BYTES } from '../kubernetes';
import { findTokens } from './finder';
import { inspectMatch, isTokenError } from './inspect';
import { isKubeconfig, kubeconfigUserTokens, type KubeconfigUserToken } from './kubeconfigTokens';
import { formatRelative } from '../time';
import type { Severity, TokenFindingCode, TokenMatch, TokenReport } from './types';

export type TokenRuleId = 'SAT301' | 'SAT302';

/** The decoded token's findings that are also editor rules: a level the user sets for the rule applies to both. */
export const FINDING_RULES: Partial<Record<TokenFindingCode, TokenRuleId>> = { expired: 'SAT302' };

export interface TokenProblem {
  match: TokenMatch;
  rule: TokenRuleId;
  severity: Severity;
  message: string;
}

export interface ScanOptions {
  now?: Date;
  /** SAT301: real service account tokens (legacy, or bound with the kubernetes.io claims) in the text. */
  committed: boolean;
  /**
   * SAT302: expired tokens. `kubeconfig`: those a kubeconfig's users present; `anywhere`: also any other expired token
   * (the editor's setting: a file the user has open, not every log and fixture of a repository).
   */
  expired: false | 'kubeconfig' | 'anywhere';
  /** The file's name: kubeconfigs are told by their name, or by `kind: Config` in a YAML file. */
  fileName?: string;
  /** An unnamed document the editor knows to be YAML. */
  yaml?: boolean;
}

export function scanForTokenProblems(text: string, options: ScanOptions): TokenProblem[] {
  return scanWithKubeconfigUsers(text, options, () =>
    readsKubeconfigUsers(text, options) ? kubeconfigUserTokens(text) : [],
  );
}

/** Whether the scan reads the tokens of a kubeconfig's users (it is one, and expired tokens are looked for). */
export const readsKubeconfigUsers = (text: string, options: ScanOptions): boolean =>
  Boolean(options.expired) && isKubeconfig(options.fileName, text, options.yaml);

/**
 * The scan, given the tokens of the kubeconfig's users (asked only when the text holds a token): the editor finds
 * them with the YAML engine off its own thread (features/tokens/diagnostics.ts).
 */
export function scanWithKubeconfigUsers(
  text: string,
  options: ScanOptions,
  kubeconfigUsers: () => readonly KubeconfigUserToken[],
): TokenProblem[] {
  if (!options.expired && !options.committed) return [];
  const matches = findTokens(text);
  if (matches.length === 0) return [];
  const now = options.now ?? new Date();
  const users = kubeconfigUsers();
  const problems: TokenProblem[] = [];
  // Both lists are in text order: one pass over each keeps a kubeconfig with thousands of users linear.
  let next = 0;
  for (const match of matches) {
    while (next < users.length && users[next].end < match.end) next++;
    const user = users[next] && users[next].start <= match.start ? users[next] : undefined;
    const report = inspectMatch(match, { now });
    if (isTokenError(report)) continue;
    if (options.committed && isLeakedServiceAccountToken(report, match)) {
      problems.push(committedProblem(match, report, now));
    }
    if (!options.expired || !report.expired || !report.expiresAt) continue;
    if (user || options.expired === 'anywhere') problems.push(expiredProblem(match, report, now, user));
  }
  return problems;
}

/** A token Kubernetes itself issued: legacy, or bound with the `kubernetes.io` claim naming a service account. */
export function isServiceAccountToken(report: TokenReport): boolean {
  return report.kind === 'legacy' || (report.kind === 'bound' && report.serviceAccount !== null);
}

/**
 * A service account token that could authenticate somewhere: signed with an algorithm and a signature size the API
 * server produces. Hand-written fixtures (`alg: none`, `.c2ln` signatures) are not credentials.
 */
function isLeakedServiceAccountToken(report: TokenReport, match: TokenMatch): boolean {
  if (!isServiceAccountToken(report)) return false;
  const size = typeof report.header.alg === 'string' ? SERVICE_ACCOUNT_SIGNATURE_BYTES[report.header.alg] : undefined;
  const signature = match.jwt.length - match.jwt.lastIndexOf('.') - 1;
  // Unpadded base64url: 4 characters per 3 bytes, the last group shortened.
  const bytes = Math.floor((signature * 3) / 4);
  return size !== undefined && bytes >= size.min && bytes <= size.max;
}

function committedProblem(match: TokenMatch, report: TokenReport, now: Date): TokenProblem {
  const usable = report.expired !== true;
  const until = report.expiresAt ? ` (${formatRelative(new Date(report.expiresAt), now)})` : '';
  const consequence =
    report.kind === 'legacy'
      ? 'it never expires: delete its Secret to revoke it, and remove it from this file'
      : usable
        ? `anyone who reads this file can use it until it expires${until}; remove it`
        : 'it has expired, but tokens in files tend to be copied; remove it';
  return {
    match,
    rule: 'SAT301',
    // A legacy or live token leaks a working credential; an expired bound one only teaches bad habits.
    severity: report.kind === 'legacy' || usable ? 'error' : 'info',
    message: `${describe(report)} in a file is a credential leak: ${consequence}.`,
  };
}

function expiredProblem(
  match: TokenMatch,
  report: TokenReport,
  now: Date,
  user: KubeconfigUserToken | undefined,
): TokenProblem {
  const ago = formatRelative(new Date(report.expiresAt!), now);
  // The decoded token's own "expired" finding: the hover and Problems say it with the same severity.
  const severity = report.findings.find((finding) => finding.code === 'expired')?.severity ?? 'warning';
  if (!user) return { match, rule: 'SAT302', severity, message: `${describe(report)} expired ${ago}.` };
  const renew = isServiceAccountToken(report)
    ? `request a new one (kubectl create token ${safeName(report.serviceAccount)} -n ${safeName(report.namespace)})`
    : 'get a new one from its issuer';
  return {
    match,
    rule: 'SAT302',
    severity,
    message:
      `The token of kubeconfig user ${safeLabel(user.user)} expired ${ago}: the API server answers ` +
      `401 Unauthorized to every request with it; ${renew}.`,
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

/** A kubeconfig user name (often `arn:…/x` or `user@cluster`), quoted, with anything unusual shown as `_`. */
function safeLabel(name: string | undefined): string {
  return name ? `"${name.replace(/[^\w.@:/-]/g, '_').slice(0, 100)}"` : '(unnamed)';
}
