// Hover for tokens in any text: only a bounded window around the cursor is searched, so hovering is fast in huge
// files, also in a 10 MB single-line one.
import * as vscode from 'vscode';
import { findTokenAt } from '../../core/tokens/finder';
import { isTokenError } from '../../core/tokens/inspect';
import type { FeatureContext } from '../shared/context';
import { displayOptions, hoverMarkdown } from './display';
import type { TokenInspector } from './inspector';

/** Every kind of text document a token may sit in (diffs and logs too); not our decoded views, which hold none. */
export const TOKEN_DOCUMENTS: vscode.DocumentSelector = [
  'file',
  'untitled',
  'vscode-remote',
  'vscode-vfs',
  'vscode-notebook-cell',
  'git',
  'output',
].map((scheme) => ({ scheme }));

export class TokenHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly context: FeatureContext,
    private readonly inspector: TokenInspector,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    cancellation: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const config = this.context.config;
    if (!config.hoverEnabled) return undefined;
    const match = findTokenAt(document.lineAt(position.line).text, position.character);
    if (!match) return undefined;
    const token = await this.inspector.inspect(match);
    if (isTokenError(token) || cancellation.isCancellationRequested) return undefined;
    // Essentials in the hover; claims and header one click away, in the decoded view of this very token.
    const where = [document.uri.toString(), position.line, match.start];
    const decodedLink = `[Show decoded token](command:${SHOW_TOKEN_AT_COMMAND}?${encodeURIComponent(JSON.stringify(where))} "Claims and header, in a read-only view")`;
    return new vscode.Hover(
      hoverMarkdownString(hoverMarkdown(token, { ...displayOptions(config), decodedLink })),
      new vscode.Range(position.line, match.start, position.line, match.end),
    );
  }
}

/** Opens the decoded view of the token at a document position (the hover's link; it re-reads the token there). */
export const SHOW_TOKEN_AT_COMMAND = 'saToken.showTokenAt';

/**
 * Token contents are attacker-controlled and every token-derived string in the hover is escaped: no HTML, no icon
 * syntax, and of command links only our own "Show decoded token" runs (it re-reads its arguments).
 */
function hoverMarkdownString(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = { enabledCommands: [SHOW_TOKEN_AT_COMMAND] };
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}
