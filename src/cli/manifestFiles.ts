// Which files `sa-token lint` and `sa-token fix` read: the named files, and *.yaml/*.yml under named directories; and
// the lint options each gets, so Secrets and ServiceAccounts match across every file given.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { codeLanguageOf } from '../core/appCode/languages';
import { dependencyFileKind } from '../core/dependencies/fileKinds';
import { manifestTooLarge } from '../core/manifests/sizeLimit';
import type { LintOptions } from '../core/manifests/types';
import { indexWorkspaceFile, mergeIndexes } from '../core/manifests/workspace';
import { printable } from '../core/printable';
import { UsageError } from './io';

export interface ManifestFile {
  path: string;
  text: string;
}

export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
/** Vendored and generated code: its dependency files and sources are someone else's (manifests are still read). */
export const VENDORED = /(^|[\\/])(vendor|third_party|\.venv|venv|site-packages|__pycache__|target)[\\/]/;
export const isManifestName = (name: string) => /\.ya?ml$/i.test(name);

/** Files named on the command line, and *.yaml/*.yml under named directories; sorted, each once. */
export async function readManifests(paths: readonly string[]): Promise<ManifestFile[]> {
  const files = new Set<string>();
  for (const path of paths) await addManifestPaths(path, files, true);
  // Linting nothing must not pass as "no problems" (a mistyped path in CI would hide every finding).
  if (files.size === 0) throw new UsageError(`no *.yaml or *.yml files in ${paths.join(', ')}`);
  const sorted = [...files].sort();
  return Promise.all(sorted.map(async (path) => ({ path, text: await readText(path) })));
}

/** What `sa-token lint` reads: manifests, dependency files and lock files (SAT201), application code (SAT202). */
export interface LintInputs {
  manifests: ManifestFile[];
  dependencies: ManifestFile[];
  /** Paths only: a source tree can be large, so each file is read when its turn comes (readText). */
  sources: string[];
}

/** Like readManifests, also taking dependency files and source files under named directories. A named file is
 * read as what its name says, a manifest when it says nothing. */
export async function readLintInputs(paths: readonly string[]): Promise<LintInputs> {
  const files = new Set<string>();
  const wanted = (name: string) => isManifestName(name) || isCodeInput(name);
  for (const path of paths) await addManifestPaths(path, files, true, wanted);
  if (files.size === 0)
    throw new UsageError(`no manifests (*.yaml, *.yml), dependency files or source files in ${paths.join(', ')}`);
  const sorted = [...files].sort();
  const read = (list: string[]) => Promise.all(list.map(async (path) => ({ path, text: await readText(path) })));
  const isDependency = (path: string) => dependencyFileKind(path) !== undefined;
  const isSource = (path: string) => !isDependency(path) && codeLanguageOf(path) !== undefined;
  const named = new Set(paths);
  const code = (path: string) => named.has(path) || !VENDORED.test(path);
  return {
    manifests: await read(sorted.filter((path) => !isDependency(path) && !isSource(path))),
    dependencies: await read(sorted.filter((path) => isDependency(path) && code(path))),
    sources: sorted.filter((path) => isSource(path) && code(path)),
  };
}

export const isCodeInput = (name: string) =>
  dependencyFileKind(name) !== undefined || codeLanguageOf(name) !== undefined;

async function addManifestPaths(
  path: string,
  files: Set<string>,
  named: boolean,
  wanted: (name: string) => boolean = isManifestName,
): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
    });
    for (const entry of entries) {
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      if (entry.isDirectory() || (entry.isFile() && wanted(entry.name)))
        await addManifestPaths(join(path, entry.name), files, false, wanted);
    }
  } else if (named || wanted(path)) {
    files.add(path);
  }
}

export async function readText(path: string): Promise<string> {
  const buffer = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (buffer.includes(0)) throw new UsageError(`cannot read ${path}: not a text file`);
  return buffer.toString('utf8');
}

/**
 * The files within the size limit; each one over it gets one line on stderr (the editor shows the same words). A
 * skipped file is neither linted nor fixed: the exit code does not change for it.
 */
export function withinSizeLimit(files: readonly ManifestFile[], limitKb: number): ManifestFile[] {
  return files.filter((file) => {
    const tooLarge = manifestTooLarge(file.text.length, limitKb, '--max-manifest-size');
    if (tooLarge) process.stderr.write(`sa-token: ${printable(file.path)}: skipped: ${tooLarge}\n`);
    return !tooLarge;
  });
}

/** Lint options per file, with the index of every given file so Secrets and ServiceAccounts match across them. */
export function workspaceOptions(files: readonly ManifestFile[]): (file: ManifestFile) => LintOptions {
  const index = mergeIndexes(...files.map((file) => indexWorkspaceFile(file.text, file.path)));
  return (file) => ({
    fileName: file.path,
    tokenSecrets: index.tokenSecrets,
    serviceAccounts: index.serviceAccounts,
    roles: index.roles,
  });
}
