// Explains a TokenReport for people: hover markdown, and the same content as plain text (CLI, decoded document).
// Token contents are attacker-controlled: in markdown every token-derived string is escaped or fenced.
import { describeAudience, issuerSystem } from '../identity/workloadIdentity';
import { inertJson, printable } from '../printable';
import { INVALID_SINCE_LABEL, LAST_USED_LABEL } from '../kubernetes';
import { formatInstant, formatRelative, type TimeZoneDisplay } from '../time';
import type { Severity, SignatureResult, TokenFinding, TokenFindingCode, TokenReport } from './types';

export { formatRelative } from '../time';

export interface ExplainOptions {
  timeZone: TimeZoneDisplay;
  now?: Date;
  /** Cap on each JSON block (characters). Default: 20 000 in markdown (hovers must stay light), none in text. */
  maxJsonLength?: number;
  /** A sentence shown right under the signature line (e.g. what the connected cluster says). Plain text. */
  signatureNote?: string;
  /** What the cluster says about the token Secret the token was read from: its state overrides "valid until its
   * Secret is deleted" (the cleaner may have invalidated it). */
  secret?: SecretContext;
  /** Markdown only: instead of the claims and header blocks, this (trusted, caller-built) link line to see them. */
  decodedLink?: string;
  /** Severities the user set for findings that are also rules (expired: SAT302), so the hover agrees with Problems. */
  severities?: Partial<Record<TokenFindingCode, Severity>>;
}

/** A token Secret as the cluster lists it: its cleanup labels and what the legacy token cleaner does with it. */
export interface SecretContext {
  /** Label kubernetes.io/legacy-token-last-used (a date), if set. */
  lastUsed: string | null;
  /** Label kubernetes.io/legacy-token-invalid-since (a date), if set: the API server rejects the token. */
  invalidSince: string | null;
  /** e.g. "invalidated 2025-01-15, deleted on or after 2026-01-16" (core/cluster/judgements describeCleanup). */
  cleanup?: string;
}

/** The phrase that keeps "decoded" from ever reading as "verified". */
export const NOT_CHECKED = 'decoded, signature not checked';
const MARKDOWN_JSON_LIMIT = 20_000;
/** Token-derived strings shown inline (headline, fact values) are cut here; the JSON blocks have everything. */
const INLINE_LIMIT = 200;

/** e.g. "Bound service account token — default/default, bound to pod busybox". Plain, unescaped text. */
export function headline(report: TokenReport): string {
  const who = `${report.namespace ?? '?'}/${report.serviceAccount ?? '?'}`;
  if (report.kind === 'legacy') {
    const secret = report.secretName ? `, from Secret ${report.secretName}` : '';
    return inline(`Legacy service account token — ${who}${secret}`);
  }
  if (report.kind === 'bound') {
    const binding = report.boundTo ? `, bound to ${report.boundTo.kind} ${report.boundTo.name}` : '';
    return inline(`Bound service account token — ${who}${binding}`);
  }
  const subject = typeof report.claims.sub === 'string' ? ` — subject ${report.claims.sub}` : '';
  return inline(`JWT (not a Kubernetes service account token)${subject}`);
}

/** One line on the signature: verified, not valid, or "decoded, signature not checked". */
export function signatureLine(signature: SignatureResult): string {
  if (!signature.checked) return NOT_CHECKED;
  if (signature.valid) {
    // Naming the key's source lets a reader see which file vouches for the token (one inside a cloned repository
    // would vouch for nothing).
    const source = signature.keySource ? ` from ${signature.keySource}` : '';
    return inline(`signature verified with key ${signature.keyId ?? '(no kid)'}${source}`);
  }
  return inline(`signature NOT valid: ${signature.reason ?? 'no key matched'}`);
}

export function explainMarkdown(report: TokenReport, options: ExplainOptions): string {
  const limit = options.maxJsonLength ?? MARKDOWN_JSON_LIMIT;
  const signature = report.signature.checked ? escapeMarkdown(signatureLine(report.signature)) : NOT_CHECKED;
  const note = options.signatureNote ? ` ${escapeMarkdown(inline(options.signatureNote))}` : '';
  const lines = [`**${escapeMarkdown(headline(report))}**`, '', `_${signature}_${note}`, ''];
  for (const fact of facts(report, options)) lines.push(`- **${fact.label}:** ${escapeMarkdown(fact.value)}`);
  const findings = shownFindings(report, options);
  if (findings.length > 0) {
    lines.push('', '**Findings**', '');
    for (const finding of findings)
      lines.push(`- ${findingPrefix(finding)} ${escapeMarkdown(printable(finding.message))}`);
  }
  if (options.decodedLink !== undefined) {
    lines.push('', options.decodedLink);
    return lines.join('\n');
  }
  lines.push(
    '',
    '**Claims**',
    '',
    ...fenced(json(report.claims, limit)),
    '',
    '**Header**',
    '',
    ...fenced(json(report.header, limit)),
  );
  return lines.join('\n');
}

export function explainText(report: TokenReport, options: ExplainOptions): string {
  const limit = options.maxJsonLength ?? Infinity;
  const rows = facts(report, options);
  const width = Math.max(...rows.map((fact) => fact.label.length)) + 2;
  const note = options.signatureNote ? [inline(options.signatureNote)] : [];
  const lines = [headline(report), signatureLine(report.signature), ...note, ''];
  for (const fact of rows) lines.push(`${`${fact.label}:`.padEnd(width)}${fact.value}`);
  const findings = shownFindings(report, options);
  if (findings.length > 0) {
    lines.push('', 'Findings:');
    for (const finding of findings)
      lines.push(`  ${finding.severity.padEnd(7)} ${finding.code}: ${printable(finding.message)}`);
  }
  lines.push('', 'Claims:', json(report.claims, limit), '', 'Header:', json(report.header, limit));
  return `${lines.join('\n')}\n`;
}

/** Backslash-escapes every character with a markdown meaning (plus ':' so no autolink forms) and flattens line
 * breaks, so links, images, HTML, entities, emphasis and code spans in token text render as literal characters. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:]/g, (character) => `\\${character}`);
}

/** A fenced code block whose fence is longer than any backtick run inside, so content can never close it. */
export function fenced(content: string, language = 'json'): string[] {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${fence}${language}`, content, fence];
}

interface Fact {
  label: string;
  value: string;
}

function facts(report: TokenReport, options: ExplainOptions): Fact[] {
  const now = options.now ?? new Date();
  const when = (iso: string | null, phrase: (relative: string, past: boolean) => string): string | undefined => {
    if (iso === null) return undefined;
    const instant = new Date(iso);
    return `${formatInstant(instant, options.timeZone)} (${phrase(formatRelative(instant, now), instant <= now)})`;
  };
  const all: [string, string | null | undefined][] = [
    ['Service account', identity(report)],
    ['Service account UID', report.serviceAccountUid],
    ['Bound to', report.boundTo && `${report.boundTo.kind} ${report.boundTo.name}${uid(report.boundTo.uid)}`],
    ['Node', report.node && `${report.node.name}${uid(report.node.uid)}`],
    ['Secret', report.secretName],
    ['Issued', when(report.issuedAt, (relative) => relative)],
    // Kubernetes sets nbf to iat: said once.
    ['Not before', report.notBefore === report.issuedAt ? undefined : when(report.notBefore, (relative) => relative)],
    [
      'Expires',
      expiry(report, options.secret) ??
        when(report.expiresAt, (relative, past) => (past ? `expired ${relative}` : `expires ${relative}`)),
    ],
    ['Last used', options.secret?.lastUsed && `${options.secret.lastUsed} (label ${LAST_USED_LABEL})`],
    ['Clean-up', options.secret?.cleanup],
    [
      'Warn after',
      when(report.warnAfter, (relative, past) =>
        past ? `passed ${relative}: uses are flagged as stale` : `uses flagged as stale ${relative}`,
      ),
    ],
    ['Audience', report.audience.length > 0 ? report.audience.map(withAudienceSystem).join(', ') : undefined],
    ['Issuer', report.issuer && withIssuerSystem(report.issuer)],
    ['Key id', stringHeader(report, 'kid')],
    ['Algorithm', stringHeader(report, 'alg')],
    ['JWT ID', report.jti],
  ];
  return all
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([label, value]) => ({ label, value: inline(value) }));
}

/** "sts.amazonaws.com (AWS STS (EKS IAM Roles for Service Accounts))": who consumes a token with this audience. */
function withAudienceSystem(audience: string): string {
  const system = describeAudience(audience);
  return system ? `${audience} (${system})` : audience;
}

function withIssuerSystem(issuer: string): string {
  const system = issuerSystem(issuer);
  return system ? `${issuer} (${system.name})` : issuer;
}

function identity(report: TokenReport): string | undefined {
  if (report.namespace === null && report.serviceAccount === null) return undefined;
  return `${report.serviceAccount ?? '?'} in namespace ${report.namespace ?? '?'}`;
}

/** The report's findings, with what its Secret's labels prove instead of "valid until its Secret is deleted". */
function shownFindings(report: TokenReport, options: ExplainOptions): TokenFinding[] {
  const { severities } = options;
  const findings = severities
    ? report.findings.map((finding) => ({ ...finding, severity: severities[finding.code] ?? finding.severity }))
    : report.findings;
  const invalidSince = options.secret?.invalidSince;
  if (!invalidSince) return findings;
  return findings.map((finding) =>
    finding.code === 'legacy-non-expiring'
      ? {
          ...finding,
          message: `Invalidated legacy token: the legacy token cleaner marked its Secret on ${invalidSince}, and the API server rejects it. Delete the Secret, or move its users to a bound token (projected volume or kubectl create token).`,
        }
      : finding,
  );
}

function expiry(report: TokenReport, secret: SecretContext | undefined): string | undefined {
  if (report.expiresAt !== null) return undefined;
  if (report.kind !== 'legacy') return 'no exp claim: never';
  if (secret?.invalidSince)
    return `no exp claim, but invalidated since ${secret.invalidSince} (label ${INVALID_SINCE_LABEL}): the API server rejects it`;
  return 'never (valid until its Secret is deleted)';
}

const uid = (value: string | null): string => (value ? ` (uid ${value})` : '');

function stringHeader(report: TokenReport, name: string): string | undefined {
  const value = report.header[name];
  return typeof value === 'string' ? value : undefined;
}

function findingPrefix(finding: TokenFinding): string {
  const label = { error: 'Error', warning: 'Warning', info: 'Info' }[finding.severity];
  return `**${label}** \`${finding.code}\`:`;
}

function json(value: unknown, limit: number): string {
  const text = inertJson(value);
  return text.length <= limit ? text : `${text.slice(0, limit)}\n… (${text.length - limit} more characters not shown)`;
}

/** One line, bounded length. */
function inline(text: string): string {
  const flat = printable(text);
  return flat.length <= INLINE_LIMIT ? flat : `${flat.slice(0, INLINE_LIMIT)}…`;
}
