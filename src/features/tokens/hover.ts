// Hover for tokens in any text: only a bounded window around the cursor is searched, so hovering is fast in huge
// files, also in a 10 MB single-line one.
import * as vscode from 'vscode';
import { findTokenAt } from '../../core/tokens/finder';
import { isTokenError } from '../../core/tokens/inspect';
import type { FeatureContext } from '../shared/context';
import { hoverMarkdown } from './display';
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
    return new vscode.Hover(
      untrustedMarkdown(hoverMarkdown(token, { timeZone: config.timeZone })),
      new vscode.Range(position.line, match.start, position.line, match.end),
    );
  }
}

/** Token contents are attacker-controlled: no command links, no HTML, no icon syntax. */
function untrustedMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}
