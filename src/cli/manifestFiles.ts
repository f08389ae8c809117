// Which files `sa-token lint` and `sa-token fix` read: the named files, and *.yaml/*.yml under named directories; and
// the lint options each gets, so Secrets and ServiceAccounts match across every file given.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LintOptions } from '../core/manifests/types';
import { indexWorkspaceFile, mergeIndexes } from '../core/manifests/workspace';
import { UsageError } from './io';

export interface ManifestFile {
  path: string;
  text: string;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const isManifestName = (name: string) => /\.ya?ml$/i.test(name);

/** Files named on the command line, and *.yaml/*.yml under named directories; sorted, each once. */
export async function readManifests(paths: readonly string[]): Promise<ManifestFile[]> {
  const files = new Set<string>();
  for (const path of paths) await addManifestPaths(path, files, true);
  // Linting nothing must not pass as "no problems" (a mistyped path in CI would hide every finding).
  if (files.size === 0) throw new UsageError(`no *.yaml or *.yml files in ${paths.join(', ')}`);
  const sorted = [...files].sort();
  return Promise.all(sorted.map(async (path) => ({ path, text: await readText(path) })));
}

async function addManifestPaths(path: string, files: Set<string>, named: boolean): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
    });
    for (const entry of entries) {
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      if (entry.isDirectory() || (entry.isFile() && isManifestName(entry.name)))
        await addManifestPaths(join(path, entry.name), files, false);
    }
  } else if (named || isManifestName(path)) {
    files.add(path);
  }
}

async function readText(path: string): Promise<string> {
  const buffer = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (buffer.includes(0)) throw new UsageError(`cannot read ${path}: not a text file`);
  return buffer.toString('utf8');
}

/** Lint options per file, with the index of every given file so Secrets and ServiceAccounts match across them. */
export function workspaceOptions(files: readonly ManifestFile[]): (file: ManifestFile) => LintOptions {
  const index = mergeIndexes(...files.map((file) => indexWorkspaceFile(file.text, file.path)));
  return (file) => ({ fileName: file.path, tokenSecrets: index.tokenSecrets, serviceAccounts: index.serviceAccounts });
}
