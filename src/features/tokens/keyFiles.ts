// Loads the public keys named by `saToken.verification.keyFiles` once, and again when the setting or a file changes.
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { VerificationKey } from '../../core/tokens/verify';
import { loadVerify } from '../../verifyLoader';
import { onConfigChange } from '../shared/config';
import type { FeatureContext } from '../shared/context';
import { isInsideAnyFolder, resolveKeyFilePath } from './keyFilePaths';

export class KeyFileCache implements vscode.Disposable {
  private loaded: Promise<VerificationKey[]> | undefined;
  private watchers: vscode.Disposable[] = [];
  /** Problems already reported, so a broken file warns once rather than on every hover. */
  private readonly warned = new Set<string>();
  private readonly configListener: vscode.Disposable;

  constructor(private readonly context: FeatureContext) {
    this.configListener = onConfigChange(() => this.invalidate());
  }

  keys(): Promise<VerificationKey[]> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private invalidate(): void {
    this.loaded = undefined;
  }

  private async load(): Promise<VerificationKey[]> {
    const paths = this.context.config.keyFiles.flatMap((entry) => this.resolve(entry));
    this.watch(paths);
    const perFile = await Promise.all(paths.map((path) => this.loadFile(path)));
    return perFile.flat();
  }

  private resolve(entry: string): string[] {
    const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const path = resolveKeyFilePath(entry, { home: homedir(), workspaceFolder });
    if (!path) {
      this.warnOnce(`Key file "${entry}" is relative but no folder is open; it is ignored.`);
      return [];
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    if (!vscode.workspace.isTrusted && isInsideAnyFolder(path, folders)) {
      this.warnOnce(
        `Key file ${path} is inside the untrusted workspace: it is not used to verify signatures until you trust the workspace.`,
      );
      return [];
    }
    return [path];
  }

  private async loadFile(path: string): Promise<VerificationKey[]> {
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(path));
      // Labelled with the full path: the "verified" line names the file that vouches for the token.
      const keys = await loadVerify().parseKeys(new TextDecoder().decode(bytes), path);
      if (keys.length === 0) throw new Error('it holds no public key (PEM PUBLIC KEY, CERTIFICATE or JWKS expected)');
      return keys;
    } catch (error) {
      const reason = error instanceof vscode.FileSystemError ? error.code : error instanceof Error ? error.message : '';
      this.warnOnce(`Key file ${path} cannot be used for signature checks: ${reason || 'unreadable'}.`);
      return [];
    }
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.context.log.warn(message);
    void this.context.showWarningMessage(message);
  }

  private watch(paths: string[]): void {
    this.disposeWatchers();
    for (const path of paths) {
      const pattern = new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const reload = (): void => this.invalidate();
      this.watchers.push(
        watcher,
        watcher.onDidChange(reload),
        watcher.onDidCreate(reload),
        watcher.onDidDelete(reload),
      );
    }
  }

  private disposeWatchers(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
  }

  dispose(): void {
    this.disposeWatchers();
    this.configListener.dispose();
  }
}
