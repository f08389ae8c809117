// Where a `saToken.verification.keyFiles` entry points. No vscode import: unit-tested.
import { isAbsolute, join } from 'node:path';

export interface PathContext {
  home: string;
  /** The first workspace folder, if any: relative entries and ${workspaceFolder} resolve against it. */
  workspaceFolder: string | undefined;
}

/** The absolute path of a key file setting entry, or undefined when it cannot be resolved (relative, no folder). */
export function resolveKeyFilePath(entry: string, context: PathContext): string | undefined {
  let path = entry.trim();
  if (!path) return undefined;
  if (path.includes('${workspaceFolder}')) {
    if (!context.workspaceFolder) return undefined;
    path = path.split('${workspaceFolder}').join(context.workspaceFolder);
  }
  if (path === '~' || path.startsWith('~/')) path = join(context.home, path.slice(1));
  if (isAbsolute(path)) return path;
  return context.workspaceFolder ? join(context.workspaceFolder, path) : undefined;
}
