// What the hover and the decoded document show for one token. No vscode import: unit-tested.
import { escapeMarkdown, explainMarkdown, explainText, type ExplainOptions } from '../../core/tokens/explain';
import type { TokenReport } from '../../core/tokens/types';

/** A decoded token with its signature verdict, ready to display. */
export interface DisplayedToken {
  report: TokenReport;
  /** A plain-text sentence about the connected cluster's keys, if one was asked. */
  clusterNote: string | undefined;
}

export function hoverMarkdown(token: DisplayedToken, options: ExplainOptions): string {
  const body = explainMarkdown(token.report, options);
  return token.clusterNote ? `${body}\n\n${escapeMarkdown(token.clusterNote)}` : body;
}

export function decodedDocumentText(token: DisplayedToken, options: ExplainOptions): string {
  const body = explainText(token.report, options);
  return token.clusterNote ? `${body}\n\n${token.clusterNote}\n` : body;
}

/** The decoded header and claims as the clipboard gets them: JSON, never the signature. */
export function decodedClaimsJson(report: TokenReport): string {
  return `${JSON.stringify({ header: report.header, claims: report.claims }, null, 2)}\n`;
}
