// What the workspace's other YAML files say: token Secrets and ServiceAccounts. Built in the background on first
// use (never during activation), bounded, and kept current by a file watcher.
import * as vscode from 'vscode';
import { DEFAULT_MANIFEST_LIMIT_KB } from '../../core/manifests/sizeLimit';
import { indexWorkspaceFile, mergeIndexes } from '../../core/manifests/workspace';
import type { WorkspaceIndex } from '../../core/manifests/types';

export const MANIFEST_GLOB = '**/*.{yaml,yml}';
const EXCLUDED = '**/{node_modules,.git}/**';
const MAX_FILES = 5000;
/** Generated or vendored YAML this large is not a hand-written manifest worth indexing (the linter's default limit). */
const MAX_FILE_BYTES = DEFAULT_MANIFEST_LIMIT_KB * 1024;
const PARALLEL_READS = 16;

export class WorkspaceManifestIndex implements vscode.Disposable {
  private readonly files = new Map<string, WorkspaceIndex>();
  private building: Promise<void> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the index learned something new (initial build done, a file created, changed or deleted). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly onError: (message: string) => void) {}

  /** What other files say, leaving out `uri`'s saved version (the linter reads the live text of that one itself). */
  knowledgeExcept(uri: vscode.Uri): WorkspaceIndex {
    void this.ensureBuilt();
    const key = uri.toString();
    return mergeIndexes(...[...this.files].filter(([fileUri]) => fileUri !== key).map(([, index]) => index));
  }

  /** The indexed manifest files (waits for the first build). */
  async manifestFiles(): Promise<vscode.Uri[]> {
    await this.ensureBuilt();
    return [...this.files.keys()].map((uri) => vscode.Uri.parse(uri));
  }

  ensureBuilt(): Promise<void> {
    this.building ??= this.build().catch((error) => this.onError(`indexing manifests failed: ${String(error)}`));
    return this.building;
  }

  private async build(): Promise<void> {
    this.watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB);
    this.watcher.onDidCreate((uri) => this.reindex(uri));
    this.watcher.onDidChange((uri) => this.reindex(uri));
    this.watcher.onDidDelete((uri) => {
      if (this.files.delete(uri.toString())) this.changed.fire();
    });
    const uris = await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDED, MAX_FILES);
    for (let start = 0; start < uris.length; start += PARALLEL_READS) {
      await Promise.all(uris.slice(start, start + PARALLEL_READS).map((uri) => this.indexFile(uri)));
    }
    this.changed.fire();
  }

  private async reindex(uri: vscode.Uri): Promise<void> {
    if (/[\\/](node_modules|\.git)[\\/]/.test(uri.path)) return;
    await this.indexFile(uri);
    this.changed.fire();
  }

  private async indexFile(uri: vscode.Uri): Promise<void> {
    const text = await readManifestText(uri);
    if (text === undefined) this.files.delete(uri.toString());
    else this.files.set(uri.toString(), indexWorkspaceFile(text, uri.fsPath));
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
  }
}

/** The live text of an open document, else the file's saved text; undefined when unreadable or too large. */
export async function readManifestText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
