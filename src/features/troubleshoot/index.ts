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
import { documentValue, parseYaml } from '../../core/manifests/nodes';
import { manifestTooLarge } from '../../core/manifests/sizeLimit';
import { doctorKindArgument, isDoctorTarget } from '../../core/podKinds';
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
            ? diagnoseLenses(document)
            : [],
      },
    ),
  );
  context.command(EXPLAIN_COMMAND, (argument?: { line?: unknown }) => start().explain(argument));
}

/** The doctor's kind (core/podKinds.ts) for a manifest object, as the lens passes it; undefined: no lens. */
function diagnosableKind(kind: unknown, apiVersion: unknown): string | undefined {
  if (typeof kind !== 'string' || !isDoctorTarget(kind, typeof apiVersion === 'string' ? apiVersion : undefined))
    return undefined;
  return doctorKindArgument(kind);
}

/** A lens above each diagnosable object; the command reads the document again by URI when clicked. */
function diagnoseLenses(document: vscode.TextDocument): vscode.CodeLens[] {
  if (!/^kind:\s*\S/m.test(document.getText())) return [];
  return parseYaml(document.getText()).flatMap((doc) => {
    // Read as the command reads it (documentValue): a lens only where the command finds the object.
    const read = documentValue(doc);
    const value = ('value' in read ? read.value : null) as {
      kind?: unknown;
      apiVersion?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    } | null;
    const kind = diagnosableKind(value?.kind, value?.apiVersion);
    const name = value?.metadata?.name;
    if (!kind || typeof name !== 'string' || !doc.contents?.range) return [];
    const namespace = typeof value?.metadata?.namespace === 'string' ? value.metadata.namespace : undefined;
    const position = document.positionAt(doc.contents.range[0]);
    return [
      new vscode.CodeLens(new vscode.Range(position, position), {
        title: 'Diagnose Token Problems',
        command: DIAGNOSE_COMMAND,
        arguments: [{ manifest: document.uri.toString(), kind, name, namespace }],
      }),
    ];
  });
}
