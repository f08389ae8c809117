// Troubleshooting as registered at activation: the auth-error hover and "Explain Kubernetes Auth Error". Only the
// literal trigger test runs here; the patterns, explanations and the report panel are dist/troubleshoot.js, loaded
// the first time a hovered line may hold an error or the command runs.
import path from 'node:path';
import * as vscode from 'vscode';
import { AUTH_ERROR_TRIGGER } from '../../core/troubleshoot/authErrorTrigger';
import { requireLazyBundle } from '../../kubeLoader';
import type { FeatureContext } from '../shared/context';
import { TOKEN_DOCUMENTS } from '../tokens/hover';
import { EXPLAIN_COMMAND } from './ids';
import type { TroubleshootUi } from './ui';

type TroubleshootBundle = typeof import('./ui');

export function registerTroubleshootFeatures(context: FeatureContext): void {
  let ui: TroubleshootUi | undefined;
  const start = (): TroubleshootUi =>
    (ui ??= requireLazyBundle<TroubleshootBundle>(
      path.join(__dirname, 'troubleshoot.js'),
      path.join(__dirname, 'ui'),
    ).startTroubleshootUi(context));
  context.own(
    vscode.languages.registerHoverProvider(TOKEN_DOCUMENTS, {
      provideHover(document, position) {
        if (!context.config.hoverEnabled) return undefined;
        const text = document.lineAt(position.line).text;
        if (!AUTH_ERROR_TRIGGER.test(text)) return undefined;
        return start().hover(text, position.line, position.character);
      },
    }),
  );
  context.command(EXPLAIN_COMMAND, (argument?: { line?: unknown }) => start().explain(argument));
}
