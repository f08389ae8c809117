// The findings of one decoded token. Codes are stable (tests, diagnostics and `--json` users rely on them).
import type { Identity } from './classify';
import { DAY_MS, formatDuration, formatRelative } from '../time';
import type { Severity, TokenFinding, TokenFindingCode } from './types';

/** The decoded facts findings are computed from. */
export interface FindingInput {
  identity: Identity;
  alg: unknown;
  signatureEmpty: boolean;
  audience: string[];
  issuedAt: Date | undefined;
  notBefore: Date | undefined;
  expiresAt: Date | undefined;
  problems: string[];
  now: Date;
}

const finding = (code: TokenFindingCode, severity: Severity, message: string): TokenFinding => ({
  code,
  severity,
  message,
});

export function findingsFor(input: FindingInput): TokenFinding[] {
  // One array pushed into by each check (no per-check arrays to concat): this runs on every hover and decode
  // (bench: decode_vs_floor_ratio).
  const findings: TokenFinding[] = [];
  unsigned(input, findings);
  for (const message of input.problems) findings.push(finding('malformed', 'warning', message));
  validity(input, findings);
  lifetime(input, findings);
  audience(input, findings);
  return findings;
}

function unsigned({ alg, signatureEmpty }: FindingInput, findings: TokenFinding[]): void {
  const algNone = typeof alg === 'string' && alg.toLowerCase() === 'none';
  if (!algNone && !signatureEmpty) return;
  const why = algNone ? 'Its header says alg "none"' : 'Its signature part is empty';
  findings.push(finding('unsigned', 'error', `${why}: anyone can forge such a token; no API server accepts it.`));
}

function validity({ identity, expiresAt, notBefore, now }: FindingInput, findings: TokenFinding[]): void {
  if (expiresAt && expiresAt <= now) {
    findings.push(
      // The severity of SAT302, the same finding in Problems (scan.ts): one home.
      finding(
        'expired',
        'warning',
        `Expired ${formatRelative(expiresAt, now)}: the API server rejects it with 401 Unauthorized.`,
      ),
    );
  }
  if (notBefore && notBefore > now) {
    const when = formatRelative(notBefore, now);
    findings.push(
      finding('not-yet-valid', 'warning', `Not valid yet: it becomes valid ${when} (nbf); check the clocks involved.`),
    );
  }
  const { warnAfter } = identity;
  if (warnAfter && warnAfter <= now && !(expiresAt && expiresAt <= now)) {
    const message =
      `Past warnafter (${formatRelative(warnAfter, now)}): still accepted because of extended expiration, but the ` +
      'API server records every use as stale. The kubelet refreshes the file; the client probably read it only once.';
    findings.push(finding('past-warnafter', 'warning', message));
  }
}

function lifetime({ identity, issuedAt, notBefore, expiresAt }: FindingInput, findings: TokenFinding[]): void {
  if (identity.kind === 'legacy' && !expiresAt) {
    const secret = identity.secretName ? `Secret ${identity.namespace ?? '?'}/${identity.secretName}` : 'its Secret';
    const message =
      `Legacy secret-based token: it never expires and stays valid until ${secret} is deleted. ` +
      'Prefer a bound token (projected volume or kubectl create token).';
    findings.push(finding('legacy-non-expiring', 'warning', message));
    return;
  }
  const start = issuedAt ?? notBefore;
  const { warnAfter } = identity;
  if (warnAfter && expiresAt && expiresAt > warnAfter) {
    const intended = start ? ` intended lifetime ${formatDuration(warnAfter.getTime() - start.getTime())},` : '';
    const message =
      `Extended expiration:${intended} exp set ${formatDuration(expiresAt.getTime() - warnAfter.getTime())} past ` +
      'warnafter for old clients. The kubelet refreshes it; use after warnafter is allowed but flagged as stale.';
    findings.push(finding('extended-expiration', 'info', message));
    return;
  }
  if (start && expiresAt && expiresAt.getTime() - start.getTime() > DAY_MS) {
    const message =
      `Long-lived: valid for ${formatDuration(expiresAt.getTime() - start.getTime())} (over 24 h); a leaked copy ` +
      'stays usable that long. Prefer short lifetimes (kubectl create token --duration).';
    findings.push(finding('long-lived', 'warning', message));
  }
}

function audience({ audience: audiences }: FindingInput, findings: TokenFinding[]): void {
  if (audiences.length === 0) return;
  const message =
    `Valid for audience ${audiences.join(', ')}. The API server accepts only its own audiences; ` +
    'other services must check aud themselves.';
  findings.push(finding('audience', 'info', message));
}
