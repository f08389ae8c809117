// Where a `saToken.verification.keyFiles` entry points. No vscode import: unit-tested.
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

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

/**
 * Whether `path` lies inside one of `folders`, following symbolic links on both sides (a link in the user's home
 * pointing into a cloned repository counts as inside). In Restricted Mode such a key file is the repository's, not
 * the user's: a repository could ship the very key that makes its forged token read "signature verified".
 */
export function isInsideAnyFolder(path: string, folders: readonly string[]): boolean {
  const real = realOrSame(path);
  return folders.some((folder) => {
    const within = relative(realOrSame(folder), real);
    return within === '' || (!within.startsWith('..') && !isAbsolute(within));
  });
}

function realOrSame(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
