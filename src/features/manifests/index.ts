// Manifest features: diagnostics on YAML, quick fixes, fix-all (file, save, workspace), token Secret helpers.
import * as vscode from 'vscode';
import { onConfigChange } from '../shared/config';
import type { FeatureContext } from '../shared/context';
import { DocumentDiagnostics } from '../shared/documentDiagnostics';
import { KeyedDebouncer } from '../shared/debounce';
import { ManifestAnalyzer } from './analysis';
import { ManifestCodeActions } from './codeActions';
import { registerManifestCommands } from './commands';
import { WorkspaceManifestIndex } from './workspaceIndex';

const MANIFEST_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'helm' },
  { pattern: '**/*.{yaml,yml}' },
];

export function registerManifestFeatures(context: FeatureContext): void {
  const warn = (message: string): void => context.log.warn(message);
  const index = new WorkspaceManifestIndex(context.services.manifestEngine, warn);
  const clusterTokenSecrets = context.services.clusterTokenSecrets;
  const analyzer = new ManifestAnalyzer(context, index, clusterTokenSecrets);
  const diagnostics = new DocumentDiagnostics(
    'sa-token-manifests',
    { accepts: (document) => analyzer.accepts(document), analyze: (document) => analyzer.diagnostics(document) },
    warn,
  );
  const refresh = new KeyedDebouncer(500);
  const relintAll = (): void => {
    analyzer.invalidate();
    refresh.schedule('all', () => diagnostics.refreshAll());
  };
  context.own(
    index,
    diagnostics,
    refresh,
    index.onDidChange(relintAll),
    clusterTokenSecrets.onDidChange(relintAll),
    onConfigChange(relintAll),
    vscode.workspace.onDidCloseTextDocument((document) => analyzer.forget(document)),
    // Selecting a cluster object in the Clusters view opens its manifest when the workspace declares it.
    context.services.provideManifestLocator((object) => index.locate(object)),
    vscode.languages.registerCodeActionsProvider(
      MANIFEST_DOCUMENTS,
      new ManifestCodeActions(analyzer, context.services.manifestEngine),
      {
        providedCodeActionKinds: ManifestCodeActions.kinds,
      },
    ),
  );
  registerManifestCommands(context, analyzer, index);
}
