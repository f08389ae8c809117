// What the workspace's other YAML files say (token Secrets, ServiceAccounts, RBAC, kustomizations), where each file's
// scope is (core/manifests/scope.ts: the same rule as `sa-token lint`), and the `.sa-token.yaml` above each file.
// Built in the background on first use (never during activation), bounded, and kept current by file watchers.
import * as vscode from 'vscode';
import { decodeManifest, type TextEncodingName } from '../../core/manifests/encoding';
import { EMPTY_CONFIG, isIgnored, PROJECT_CONFIG_FILE, type ProjectConfig } from '../../core/manifests/projectConfig';
import { baseName, childPath, parentOf, SCOPE_MARKERS, scopeRoot } from '../../core/manifests/scope';
import { DEFAULT_MANIFEST_LIMIT_KB } from '../../core/manifests/sizeLimit';
import { emptyIndex, mergeIndexes } from '../../core/manifests/workspace';
import type { ManifestLocation } from '../shared/services';
import type { WorkspaceIndex } from '../../core/manifests/types';
import type { ManifestEngineClient } from '../shared/manifestEngine';

export const MANIFEST_GLOB = '**/*.{yaml,yml}';
/** Scope markers and project configs the manifest glob does not name (`Kustomization` has no extension). */
const PROJECT_FILES_GLOB = `**/{Kustomization,${PROJECT_CONFIG_FILE}}`;
const EXCLUDED = '**/{node_modules,.git}/**';
const MAX_FILES = 5000;
/** Generated or vendored YAML this large is not a hand-written manifest worth indexing (the editor's default limit). */
const MAX_FILE_BYTES = DEFAULT_MANIFEST_LIMIT_KB * 1024;
const PARALLEL_READS = 16;

/** A file's text as the linter reads it, or why it cannot be read. */
export type ManifestRead = { text: string; encoding: TextEncodingName } | { reason: string };

export class WorkspaceManifestIndex implements vscode.Disposable {
  /** By URI: the file's path and what it says. */
  private readonly files = new Map<string, { path: string; index: WorkspaceIndex }>();
  /** URIs of files too large or unreadable to index (said once; the watchers report when they change). */
  private readonly unindexable = new Set<string>();
  /** Paths of scope marker files (kustomizations, Chart.yaml). */
  private readonly markers = new Set<string>();
  /** `.sa-token.yaml` by the directory holding it. */
  private readonly configs = new Map<string, ProjectConfig>();
  /** Directories known to hold `.git` (a project edge, as for the CLI). */
  private readonly gitDirectories = new Set<string>();
  /** Scope root by file path; cleared when a marker or edge may have changed. */
  private readonly roots = new Map<string, string>();
  private patches: Set<string> | undefined;
  private building: Promise<void> | undefined;
  private readonly watchers: vscode.FileSystemWatcher[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the index learned something new (initial build done, a file created, changed or deleted). */
  readonly onDidChange = this.changed.event;

  constructor(
    /** Reads the files (the YAML engine: a worker thread on the desktop). */
    private readonly engine: ManifestEngineClient,
    private readonly onError: (message: string) => void,
  ) {}

  /**
   * What the other files of `path`'s scope say, leaving out `uri`'s saved version (the linter reads the live text of
   * that one itself) and files their .sa-token.yaml ignores.
   */
  knowledgeFor(uri: vscode.Uri, path: string): WorkspaceIndex {
    void this.ensureBuilt();
    const key = uri.toString();
    const root = this.rootOf(path);
    const parts: WorkspaceIndex[] = [];
    for (const [fileUri, file] of this.files)
      if (fileUri !== key && this.rootOf(file.path) === root && !this.ignores(file.path)) parts.push(file.index);
    return parts.length > 0 ? mergeIndexes(...parts) : emptyIndex();
  }

  /** A kustomization of the workspace names the file as a patch. */
  isPatch(path: string): boolean {
    this.patches ??= new Set([...this.files.values()].flatMap((file) => file.index.patchFiles));
    return this.patches.has(path);
  }

  /**
   * The `.sa-token.yaml` that applies to a file (the nearest one upwards) and its directory. In Restricted Mode none
   * applies: a cloned repository's file could switch rules off or make fix-all harden workloads (README: Workspace
   * trust); it still marks the edge of a scope.
   */
  projectConfigFor(path: string): { config: ProjectConfig; dir?: string } {
    if (!vscode.workspace.isTrusted) return { config: EMPTY_CONFIG };
    for (let dir = parentOf(path); dir !== undefined; dir = parentOf(dir)) {
      const config = this.configs.get(dir);
      if (config) return { config, dir };
    }
    return { config: EMPTY_CONFIG };
  }

  /** Its .sa-token.yaml ignores the file: it is neither linted, fixed nor read for other files. */
  ignores(path: string): boolean {
    const { config, dir } = this.projectConfigFor(path);
    if (!dir || config.ignore.length === 0) return false;
    return isIgnored(config, path.slice(dir.length + 1).replace(/\\/g, '/'));
  }

  /**
   * The workspace's manifest files, less those a .sa-token.yaml ignores (waits for the first build). The watchers
   * report a file written outside VS Code only a moment later, so a fresh search (cheap) indexes what they have not
   * reported yet: a fix-all run right after a generator wrote a manifest includes it.
   */
  async manifestFiles(): Promise<vscode.Uri[]> {
    await this.ensureBuilt();
    const unreported = (await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDED, MAX_FILES)).filter(
      (uri) =>
        !this.files.has(uri.toString()) &&
        !this.unindexable.has(uri.toString()) &&
        baseName(uri.fsPath) !== PROJECT_CONFIG_FILE,
    );
    const known = this.files.size;
    await inBatches(unreported, (uri) => this.indexFile(uri));
    if (this.files.size > known) this.changed.fire();
    return [...this.files]
      .filter(([, file]) => !this.ignores(file.path) && baseName(file.path) !== PROJECT_CONFIG_FILE)
      .map(([uri]) => vscode.Uri.parse(uri));
  }

  /**
   * The manifest declaring a ServiceAccount or token Secret of that namespace and name (one that names no namespace
   * matches any), from what the index knows: no file is searched beyond those it lists for the object.
   */
  async locate(object: { kind: string; namespace: string; name: string }): Promise<ManifestLocation | undefined> {
    await this.ensureBuilt();
    for (const [uri, { path, index }] of this.files) {
      if (this.ignores(path)) continue;
      const entries =
        object.kind === 'ServiceAccount'
          ? index.serviceAccounts.filter((entry) => entry.declared)
          : object.kind === 'Secret'
            ? index.tokenSecrets.filter((entry) => entry.declared)
            : [];
      const declares = entries.some(
        (entry) => entry.name === object.name && (entry.namespace ?? object.namespace) === object.namespace,
      );
      if (!declares) continue;
      const text = await readManifestText(vscode.Uri.parse(uri));
      const span = text === undefined ? undefined : await this.engine.call('findObjectSpan', text, object);
      if (span) return { uri, ...span };
    }
    return undefined;
  }

  ensureBuilt(): Promise<void> {
    this.building ??= this.build().catch((error) => this.onError(`indexing manifests failed: ${String(error)}`));
    return this.building;
  }

  private rootOf(path: string): string {
    let root = this.roots.get(path);
    if (root === undefined) {
      const folders = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath));
      root = scopeRoot(path, {
        isMarked: (dir) => SCOPE_MARKERS.some((name) => this.markers.has(childPath(dir, name))),
        isEdge: (dir) => this.configs.has(dir) || this.gitDirectories.has(dir) || folders.has(dir),
      });
      this.roots.set(path, root);
    }
    return root;
  }

  private async build(): Promise<void> {
    for (const glob of [MANIFEST_GLOB, PROJECT_FILES_GLOB]) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      watcher.onDidCreate((uri) => this.reindex(uri));
      watcher.onDidChange((uri) => this.reindex(uri));
      watcher.onDidDelete((uri) => this.forget(uri));
      this.watchers.push(watcher);
    }
    const uris = [
      ...(await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDED, MAX_FILES)),
      ...(await vscode.workspace.findFiles(PROJECT_FILES_GLOB, EXCLUDED, MAX_FILES)),
    ];
    await inBatches(uris, (uri) => this.indexFile(uri));
    await this.findProjectEdges(uris);
    this.changed.fire();
  }

  /** `.git` in the directories holding the files (up to their workspace folder), `.sa-token.yaml` above each folder. */
  private async findProjectEdges(uris: readonly vscode.Uri[]): Promise<void> {
    const directories = new Map<string, vscode.Uri>();
    for (const uri of uris) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      for (let dir = vscode.Uri.joinPath(uri, '..'); !directories.has(dir.toString());) {
        directories.set(dir.toString(), dir);
        if (dir.path.length <= folder.uri.path.length) break;
        dir = vscode.Uri.joinPath(dir, '..');
      }
    }
    await inBatches([...directories.values()], async (dir) => {
      if (await exists(vscode.Uri.joinPath(dir, '.git'))) this.gitDirectories.add(dir.fsPath);
    });
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      for (let dir = parentOf(folder.uri.fsPath); dir !== undefined; dir = parentOf(dir)) {
        const config = vscode.Uri.file(childPath(dir, PROJECT_CONFIG_FILE));
        if (await exists(config)) {
          await this.indexFile(config);
          break;
        }
      }
    }
    this.roots.clear();
  }

  private async reindex(uri: vscode.Uri): Promise<void> {
    if (/[\\/](node_modules|\.git)[\\/]/.test(uri.path)) return;
    await this.indexFile(uri);
    this.changed.fire();
  }

  /** A deleted file, or a deleted folder (VS Code reports only the folder): everything under it is forgotten. */
  private forget(uri: vscode.Uri): void {
    const path = uri.fsPath;
    const inside = childPath(path, '');
    const gone = (candidate: string) => candidate === path || candidate.startsWith(inside);
    let known = false;
    for (const [key, file] of this.files) if (gone(file.path)) known = this.files.delete(key);
    for (const marker of this.markers) if (gone(marker)) known = this.markers.delete(marker);
    for (const dir of this.configs.keys())
      if (gone(dir) || gone(childPath(dir, PROJECT_CONFIG_FILE))) known = this.configs.delete(dir);
    this.invalidate();
    if (known) this.changed.fire();
  }

  private async indexFile(uri: vscode.Uri): Promise<void> {
    const path = uri.fsPath;
    const name = baseName(path);
    const read = await readManifestFile(uri);
    const text = 'text' in read ? read.text : undefined;
    if (name === PROJECT_CONFIG_FILE) {
      const dir = parentOf(path) ?? path;
      if (text === undefined) this.configs.delete(dir);
      else {
        const { config, problems } = await this.engine.call('parseProjectConfig', text);
        for (const problem of problems) this.onError(`${path}: ${problem}`);
        this.configs.set(dir, config);
      }
    } else {
      if ((SCOPE_MARKERS as readonly string[]).includes(name)) this.markers.add(path);
      if (text === undefined) this.unindexable.add(uri.toString());
      else this.unindexable.delete(uri.toString());
      if (text === undefined) this.files.delete(uri.toString());
      else this.files.set(uri.toString(), { path, index: await this.engine.call('indexWorkspaceFile', text, path) });
      if ('reason' in read && read.reason !== TOO_LARGE) this.onError(`cannot read ${path}: ${read.reason}`);
    }
    this.invalidate();
  }

  private invalidate(): void {
    this.roots.clear();
    this.patches = undefined;
  }

  dispose(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.changed.dispose();
  }
}

const TOO_LARGE = 'too large to index';

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += PARALLEL_READS)
    await Promise.all(items.slice(start, start + PARALLEL_READS).map(work));
}

const exists = (uri: vscode.Uri): Thenable<boolean> =>
  vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );

/**
 * The live text of an open document, else the file's saved text as `sa-token lint` decodes it: UTF-8, or UTF-16/32
 * with a byte order mark. The mark itself is left out, as VS Code leaves it out of a document's text (edits are
 * positioned in that text).
 */
export async function readManifestFile(uri: vscode.Uri): Promise<ManifestRead> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return { text: open.getText(), encoding: 'utf-8' };
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return { reason: TOO_LARGE };
    const decoded = decodeManifest(await vscode.workspace.fs.readFile(uri));
    if ('error' in decoded) return { reason: decoded.error };
    return { text: decoded.text.replace(/^\uFEFF/, ''), encoding: decoded.encoding };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The text of `readManifestFile`, undefined when unreadable or too large. */
export async function readManifestText(uri: vscode.Uri): Promise<string | undefined> {
  const read = await readManifestFile(uri);
  return 'text' in read ? read.text : undefined;
}
