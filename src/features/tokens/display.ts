// What the hover and the decoded document show for one token. No vscode import: unit-tested.
import { explainMarkdown, explainText, type ExplainOptions, type SecretContext } from '../../core/tokens/explain';
import { FINDING_RULES } from '../../core/tokens/scan';
import type { Severity, TokenFindingCode, TokenReport } from '../../core/tokens/types';
import type { SaTokenConfig } from '../shared/settingValues';

/** How the hover and the decoded view show tokens: the user's time zone, and their levels for findings that are
 * also rules (an expired token is SAT302 in Problems too: the same severity in both). */
export function displayOptions(config: Pick<SaTokenConfig, 'timeZone' | 'rules'>): ExplainOptions {
  const severities: Partial<Record<TokenFindingCode, Severity>> = {};
  for (const [code, rule] of Object.entries(FINDING_RULES) as [TokenFindingCode, keyof typeof config.rules][]) {
    const level = config.rules[rule];
    if (level && level !== 'off') severities[code] = level === 'hint' ? 'info' : level;
  }
  return { timeZone: config.timeZone, severities };
}

/** A decoded token with its signature verdict, ready to display. */
export interface DisplayedToken {
  report: TokenReport;
  /** A plain-text sentence about the connected cluster's keys, if one was asked; shown under the signature line. */
  clusterNote: string | undefined;
  /** What the cluster says about the token Secret the token was read from. */
  secret?: SecretContext;
}

export function hoverMarkdown(token: DisplayedToken, options: ExplainOptions): string {
  return explainMarkdown(token.report, { ...options, signatureNote: token.clusterNote, secret: token.secret });
}

export function decodedDocumentText(token: DisplayedToken, options: ExplainOptions): string {
  return explainText(token.report, { ...options, signatureNote: token.clusterNote, secret: token.secret });
}

/** The decoded header and claims as the clipboard gets them: JSON, never the signature. */
export function decodedClaimsJson(report: TokenReport): string {
  return `${JSON.stringify({ header: report.header, claims: report.claims }, null, 2)}\n`;
}
