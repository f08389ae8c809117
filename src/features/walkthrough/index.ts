// The Get Started walkthrough's buttons (package.json contributes.walkthroughs): each opens a sample and does what
// its step teaches. Samples are untitled documents, never files, opened beside the walkthrough so it stays in view.
import * as vscode from 'vscode';
import type { FeatureContext } from '../shared/context';
import {
  SAMPLE_LEGACY_LINE,
  SAMPLE_LEGACY_MANIFEST,
  SAMPLE_NAMESPACE,
  SAMPLE_POD,
  sampleTokenDocument,
} from './samples';

export function registerWalkthrough(context: FeatureContext): void {
  /** The sample manifest opened last, so that "Fix It" acts on the one the user looked at. */
  let legacyManifest: vscode.TextDocument | undefined;
  const openLegacyManifest = async ({ fresh = false } = {}): Promise<vscode.TextEditor> => {
    const line = SAMPLE_LEGACY_MANIFEST.split('\n')[SAMPLE_LEGACY_LINE] ?? '';
    // On the Secret's name, inside the finding (the lightbulb shows), without scrolling the line sideways.
    const column = line.indexOf(':') + 2;
    const document =
      legacyManifest && !legacyManifest.isClosed && !fresh
        ? legacyManifest
        : await vscode.workspace.openTextDocument({ content: SAMPLE_LEGACY_MANIFEST, language: 'yaml' });
    legacyManifest = document;
    return showSample(document, new vscode.Position(SAMPLE_LEGACY_LINE, column));
  };

  context.command('saToken.walkthrough.hoverSampleToken', async () => {
    const content = sampleTokenDocument(Math.floor(Date.now() / 1000));
    const line = content.split('\n').findIndex((text) => text.startsWith('Authorization:'));
    const document = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
    await showSample(document, new vscode.Position(line, 'Authorization: Bearer '.length + 4));
    await vscode.commands.executeCommand('editor.action.showHover');
  });
  context.command('saToken.walkthrough.openLegacyManifest', () => openLegacyManifest());
  context.command('saToken.walkthrough.fixLegacyManifest', async () => {
    await openLegacyManifest();
    return vscode.commands.executeCommand('saToken.fixAll');
  });
  // A legacy sample as it was, even after "Fix It": the report then has a legacy token Secret to point at.
  context.command('saToken.walkthrough.diagnoseSamplePod', async () => {
    const editor = await openLegacyManifest({ fresh: true });
    return vscode.commands.executeCommand('saToken.diagnose', {
      manifest: editor.document.uri.toString(),
      kind: 'Pod',
      name: SAMPLE_POD,
      namespace: SAMPLE_NAMESPACE,
    });
  });
}

/** Shows `document` with the cursor at `cursor`: beside the walkthrough (or any other non-text tab), else in place. */
async function showSample(document: vscode.TextDocument, cursor: vscode.Position): Promise<vscode.TextEditor> {
  const besideSomethingElse = !vscode.window.activeTextEditor && vscode.window.tabGroups.activeTabGroup.activeTab;
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: besideSomethingElse ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
    selection: new vscode.Range(cursor, cursor),
  });
  editor.revealRange(new vscode.Range(cursor, cursor));
  return editor;
}
