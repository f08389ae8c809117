// Troubleshooting as registered at activation: the auth-error hover and "Explain Kubernetes Auth Error". Only the
// literal trigger test runs here; the patterns, explanations and the report panel are dist/troubleshoot.js, loaded
// the first time a hovered line may hold an error or the command runs.
import path from 'node:path';
import * as vscode from 'vscode';
import { AUTH_ERROR_TRIGGER } from '../../core/troubleshoot/authErrorTrigger';
import { requireLazyBundle } from '../../kubeLoader';
import type { FeatureContext } from '../shared/context';
import { TOKEN_DOCUMENTS } from '../tokens/hover';
import { DIAGNOSE_COMMAND, EXPLAIN_COMMAND } from './ids';
import { manifestTooLarge } from '../../core/manifests/sizeLimit';
import type { ManifestEngineClient } from '../shared/manifestEngine';
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
  context.own(
    vscode.languages.registerCodeLensProvider(
      { language: 'yaml' },
      {
        provideCodeLenses: (document) =>
          // The manifest linter's size limit: a file it skips gets no lenses either.
          manifestTooLarge(document.getText().length, context.config.diagnostics.maxManifestSizeKB, '') === undefined
            ? diagnoseLenses(context.services.manifestEngine, document)
            : [],
      },
    ),
  );
  context.command(EXPLAIN_COMMAND, (argument?: { line?: unknown }) => start().explain(argument));
}

/** A lens above each diagnosable object (core/manifests/engine.ts); the command reads the document again when clicked. */
async function diagnoseLenses(engine: ManifestEngineClient, document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const text = document.getText();
  if (!/^kind:\s*\S/m.test(text)) return [];
  const { version } = document;
  const targets = await engine.call('diagnoseTargets', text);
  if (document.version !== version) return [];
  return targets.map(({ offset, kind, name, namespace }) => {
    const position = document.positionAt(offset);
    return new vscode.CodeLens(new vscode.Range(position, position), {
      title: 'Diagnose Token Problems',
      command: DIAGNOSE_COMMAND,
      arguments: [{ manifest: document.uri.toString(), kind, name, namespace }],
    });
  });
}
