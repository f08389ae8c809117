// "Fix All Service Account Token Issues" for the active file and for the whole workspace (with a preview), and
// "Show consumers" for a token Secret.
import * as vscode from 'vscode';
import type { FixAllOptions } from '../../core/manifests/fix';
import type { FeatureContext } from '../shared/context';
import type { ManifestEngineClient } from '../shared/manifestEngine';
import type { ManifestAnalyzer } from './analysis';
import { SHOW_CONSUMERS_COMMAND, workspaceEdit } from './codeActions';
import { LineIndex, minimalReplacement } from '../../core/text';
import { readManifestFile, readManifestText, type WorkspaceManifestIndex } from './workspaceIndex';

export function registerManifestCommands(
  context: FeatureContext,
  analyzer: ManifestAnalyzer,
  index: WorkspaceManifestIndex,
): void {
  context.command('saToken.fixAll', () => fixActiveFile(context, analyzer));
  context.command('saToken.fixAllInWorkspace', () => fixWorkspace(context, analyzer, index));
  context.command(SHOW_CONSUMERS_COMMAND, (...args: never[]) =>
    showConsumers(context, index, ...(args as unknown as ConsumerArgs)),
  );
}

async function fixActiveFile(context: FeatureContext, analyzer: ManifestAnalyzer): Promise<number> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !analyzer.accepts(document)) throw new Error('Open a Kubernetes YAML manifest to fix it.');
  if (analyzer.isReadOnly(document))
    throw new Error("This is the cluster's YAML, read-only: fix the manifest it was applied from.");
  const tooLarge = analyzer.tooLarge(document);
  if (tooLarge) throw new Error(`Not fixed: ${tooLarge}.`);
  const text = document.getText();
  const result = await context.services.manifestEngine.call('fixAll', text, analyzer.fixAllOptions(document));
  const edit = minimalReplacement(text, result.text);
  if (edit) await vscode.workspace.applyEdit(workspaceEdit(document, [edit]));
  void context.showInformationMessage(
    edit ? `Applied ${plural(result.applied, 'fix', 'fixes')}.` : 'No service account token issue to fix here.',
  );
  return result.applied;
}

async function fixWorkspace(
  context: FeatureContext,
  analyzer: ManifestAnalyzer,
  index: WorkspaceManifestIndex,
): Promise<void> {
  const skipped: SkippedFile[] = [];
  const edit = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Scanning manifests for token issues', cancellable: true },
    async (progress, cancellation) => {
      const files = await index.manifestFiles();
      const optionsFor = (uri: vscode.Uri) => analyzer.fixAllOptions({ uri, fileName: uri.fsPath });
      return buildWorkspaceFixEdit(context.services.manifestEngine, files, optionsFor, {
        report: (done) =>
          progress.report({ increment: 100 / Math.max(files.length, 1), message: `${done}/${files.length}` }),
        cancelled: () => cancellation.isCancellationRequested,
        skipped: (file) => skipped.push(file),
      });
    },
  );
  if (!edit) return;
  // Each file that could not be read is said, by name; the others were fixed.
  if (skipped.length > 0) {
    const listed = skipped
      .slice(0, 3)
      .map(({ uri, reason }) => `${vscode.workspace.asRelativePath(uri)} (${reason})`)
      .join('; ');
    const more = skipped.length > 3 ? ` and ${skipped.length - 3} more` : '';
    void context.showWarningMessage(`Not fixed, could not read: ${listed}${more}.`);
  }
  if (edit.size === 0) {
    void context.showInformationMessage('No service account token issue to fix in the workspace.');
    return;
  }
  // The refactor preview opens with every fix ticked; the user applies or discards them, or unticks them all.
  const changed = await filesChangedBy(edit);
  void context.showInformationMessage(
    changed === 0
      ? 'No fix was applied: the preview was discarded or every change unticked.'
      : `Fixed ${plural(changed, 'file', 'files')}.`,
  );
}

/** Applies the edit (through the refactor preview); how many of its files changed: none when the user unticked all. */
async function filesChangedBy(edit: vscode.WorkspaceEdit): Promise<number> {
  const files = new Set(edit.entries().map(([uri]) => uri.toString()));
  const changed = new Set<string>();
  const watching = vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
    const key = document.uri.toString();
    if (contentChanges.length > 0 && files.has(key)) changed.add(key);
  });
  try {
    return (await vscode.workspace.applyEdit(edit)) ? changed.size : 0;
  } finally {
    watching.dispose();
  }
}

const WORKSPACE_FIX_LABEL = 'Fix service account token issues';

export interface ScanProgress {
  report(filesDone: number): void;
  cancelled(): boolean;
  /** A file that could not be read, or not edited here (UTF-32: VS Code has no such encoding; `sa-token fix` can). */
  skipped?(file: SkippedFile): void;
}

export interface SkippedFile {
  uri: vscode.Uri;
  reason: string;
}

/**
 * One WorkspaceEdit with every file's fixes, opened in the refactor preview with every change ticked. Undefined when
 * cancelled.
 */
export async function buildWorkspaceFixEdit(
  engine: ManifestEngineClient,
  files: readonly vscode.Uri[],
  optionsFor: (uri: vscode.Uri) => FixAllOptions,
  progress?: ScanProgress,
): Promise<vscode.WorkspaceEdit | undefined> {
  const edit = new vscode.WorkspaceEdit();
  for (const [position, uri] of files.entries()) {
    if (progress?.cancelled()) return undefined;
    const read = await readManifestFile(uri);
    if ('reason' in read) progress?.skipped?.({ uri, reason: read.reason });
    else if (read.encoding.startsWith('utf-32'))
      progress?.skipped?.({ uri, reason: 'UTF-32, which VS Code cannot edit: use sa-token fix' });
    else addFileFixes(edit, uri, read.text, await engine.call('fixAll', read.text, optionsFor(uri)));
    progress?.report(position + 1);
  }
  const [firstFile] = edit.entries();
  if (firstFile) requestPreview(edit, firstFile[0]);
  return edit;
}

/**
 * VS Code previews a WorkspaceEdit only when an entry needs confirmation, and starts such entries unticked, which made
 * the preview opt-in per file. So the fixes themselves do not need confirmation (they start ticked) and one no-op
 * entry does: creating a file that exists with `ignoreIfExists` is left out of the preview and never applied.
 */
function requestPreview(edit: vscode.WorkspaceEdit, existingFile: vscode.Uri): void {
  edit.createFile(existingFile, { ignoreIfExists: true }, { needsConfirmation: true, label: WORKSPACE_FIX_LABEL });
}

function addFileFixes(
  edit: vscode.WorkspaceEdit,
  uri: vscode.Uri,
  text: string,
  result: { text: string; applied: number },
): void {
  const change = minimalReplacement(text, result.text);
  if (!change) return;
  const lines = new LineIndex(text);
  const toPosition = (offset: number): vscode.Position => {
    const { line, character } = lines.positionAt(offset);
    return new vscode.Position(line, character);
  };
  // One label for every file puts them in one preview group, which the user can tick at once.
  edit.replace(uri, new vscode.Range(toPosition(change.start), toPosition(change.end)), change.newText, {
    needsConfirmation: false,
    label: WORKSPACE_FIX_LABEL,
    description: `${vscode.workspace.asRelativePath(uri)}: ${plural(result.applied, 'fix', 'fixes')}`,
  });
}

type ConsumerArgs = [vscode.Uri, vscode.Position, string, string | undefined];

/** Peeks the workloads that read the Secret; resolves with their locations. */
async function showConsumers(
  context: FeatureContext,
  index: WorkspaceManifestIndex,
  ...[uri, position, name, namespace]: ConsumerArgs
): Promise<vscode.Location[]> {
  const files: { fileName: string; text: string; uri: vscode.Uri }[] = [];
  for (const file of await index.manifestFiles()) {
    const text = await readManifestText(file);
    if (text !== undefined) files.push({ fileName: file.toString(), text, uri: file });
  }
  const consumers = await context.services.manifestEngine.call(
    'findConsumers',
    name,
    namespace,
    files.map(({ fileName, text }) => ({ fileName, text })),
  );
  const locations = consumers.map((consumer) => {
    const file = files.find((candidate) => candidate.fileName === consumer.fileName)!;
    const lines = new LineIndex(file.text);
    const start = lines.positionAt(consumer.start);
    const end = lines.positionAt(consumer.end);
    return new vscode.Location(file.uri, new vscode.Range(start.line, start.character, end.line, end.character));
  });
  if (locations.length === 0) {
    void context.showInformationMessage(`No workload in the workspace reads Secret ${name}.`);
    return locations;
  }
  await vscode.commands.executeCommand('editor.action.showReferences', uri, position, locations);
  return locations;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
