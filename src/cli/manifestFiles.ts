// Which files `sa-token lint` and `sa-token fix` read (the named files, and *.yaml/*.yml under named directories —
// for lint also dependency files and sources — less what a .sa-token.yaml ignores), how they are decoded, and the lint
// options each gets: its project config,
// the index of the files of its scope (core/manifests/scope.ts), and whether a kustomization names it as a patch.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { codeLanguageOf } from '../core/appCode/languages';
import { dependencyFileKind } from '../core/dependencies/fileKinds';
import { decodeManifest, type TextEncodingName } from '../core/manifests/encoding';
import { DEFAULT_CLI_MANIFEST_LIMIT_KB, manifestTooLarge } from '../core/manifests/sizeLimit';
import {
  EMPTY_CONFIG,
  isIgnored,
  parseProjectConfig,
  PROJECT_CONFIG_FILE,
  ruleSettingsOf,
  type ProjectConfig,
} from '../core/manifests/projectConfig';
import {
  KUSTOMIZATION_NAMES,
  kustomizationFacts,
  PROJECT_EDGES,
  SCOPE_MARKERS,
  scopeRoot,
} from '../core/manifests/scope';
import type { LintOptions, RuleSettings, WorkspaceIndex } from '../core/manifests/types';
import { indexWorkspaceFile, mergeIndexes } from '../core/manifests/workspace';
import { printable } from '../core/printable';
import { UsageError } from './io';
import { fileErrorReason } from '../core/fileErrors';

export interface ManifestFile {
  path: string;
  text: string;
  /** What the file was read as; a fix writes it back the same way. */
  encoding: TextEncodingName;
}

/** A file that could not be read or decoded: reported, the others are linted. */
export interface UnreadableFile {
  path: string;
  reason: string;
}

/** What the command line adds over each file's .sa-token.yaml. */
export interface CommandLineSettings {
  rules?: RuleSettings;
  hardening?: boolean;
  /** `--max-manifest-size`, in KB (the editor's saToken.diagnostics.maxManifestSizeKB). */
  maxManifestSizeKb?: number;
}

export interface ManifestInputs {
  files: ManifestFile[];
  unreadable: UnreadableFile[];
  /** Files over the size limit: neither indexed, linted nor fixed (stderr said why); `fix` prints them unchanged. */
  oversized: ManifestFile[];
  /** Lint (and fix) options of a file. */
  optionsFor(file: ManifestFile): LintOptions & { hardening?: boolean };
  /** Rule settings of any file (.sa-token.yaml above it, then the command line). */
  rulesFor(path: string): RuleSettings;
}

export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
/** Vendored and generated code: its dependency files and sources are someone else's (manifests are still read). */
export const VENDORED = /(^|[\\/])(vendor|third_party|\.venv|venv|site-packages|__pycache__|target)[\\/]/;
export const isManifestName = (name: string) => /\.ya?ml$/i.test(name);

/** Reads the manifests under `paths` (sorted, each once) and works out each file's options. */
export function readManifests(
  paths: readonly string[],
  commandLine: CommandLineSettings = {},
): Promise<ManifestInputs> {
  return readManifestInputs(paths, commandLine, isManifestName, `no *.yaml or *.yml files in ${paths.join(', ')}`).then(
    ({ inputs }) => inputs,
  );
}

/** What `sa-token lint` reads: manifests, dependency files and lock files (SAT201), application code (SAT202). */
export interface LintInputs extends ManifestInputs {
  manifests: ManifestFile[];
  dependencies: { path: string; text: string }[];
  /** Paths only: a source tree can be large, so each file is read when its turn comes (readText). */
  sources: string[];
}

/**
 * Like readManifests, also taking dependency files and source files under named directories. A named file is read
 * as what its name says, a manifest when it says nothing.
 */
export async function readLintInputs(
  paths: readonly string[],
  commandLine: CommandLineSettings = {},
): Promise<LintInputs> {
  const wanted = (name: string) => isManifestName(name) || isCodeInput(name);
  const empty = `no manifests (*.yaml, *.yml), dependency files or source files in ${paths.join(', ')}`;
  const isDependency = (path: string) => dependencyFileKind(path) !== undefined;
  const isSource = (path: string) => !isDependency(path) && codeLanguageOf(path) !== undefined;
  const isManifest = (path: string) => !isDependency(path) && !isSource(path);
  const { inputs, others } = await readManifestInputs(paths, commandLine, wanted, empty, isManifest);
  const named = new Set(paths);
  const code = (path: string) => named.has(path) || !VENDORED.test(path);
  const dependencies = others.filter((path) => isDependency(path) && code(path));
  return {
    ...inputs,
    manifests: inputs.files,
    dependencies: await Promise.all(dependencies.map(async (path) => ({ path, text: await readText(path) }))),
    sources: others.filter((path) => isSource(path) && code(path)),
  };
}

export const isCodeInput = (name: string) =>
  dependencyFileKind(name) !== undefined || codeLanguageOf(name) !== undefined;

async function readManifestInputs(
  paths: readonly string[],
  commandLine: CommandLineSettings,
  wanted: (name: string) => boolean,
  emptyMessage: string,
  isManifest: (path: string) => boolean = () => true,
): Promise<{ inputs: ManifestInputs; others: string[] }> {
  const found = new Set<string>();
  for (const path of paths) await addManifestPaths(path, found, true, wanted);
  // Linting nothing must not pass as "no problems" (a mistyped path in CI would hide every finding).
  if (found.size === 0) throw new UsageError(emptyMessage);
  const projects = new ProjectConfigs();
  const kept = [...found].sort().filter((path) => !projects.ignores(path));
  const files: ManifestFile[] = [];
  const unreadable: UnreadableFile[] = [];
  for (const path of kept.filter(isManifest)) {
    const read = await readManifest(path);
    if ('reason' in read) unreadable.push(read);
    else files.push(read);
  }
  // Nothing readable at all is a usage error, like a missing path; otherwise the unreadable ones are reported.
  if (files.length === 0 && unreadable.length > 0) {
    const more = unreadable.length > 1 ? ` (and ${unreadable.length - 1} more unreadable files)` : '';
    throw new UsageError(`cannot read ${unreadable[0].path}: ${unreadable[0].reason}${more}`);
  }
  const limit = commandLine.maxManifestSizeKb ?? DEFAULT_CLI_MANIFEST_LIMIT_KB;
  const sized = withinSizeLimit(files, limit);
  const scopes = new Scopes(sized);
  const rulesFor = (path: string) => ({ ...ruleSettingsOf(projects.configFor(path).rules), ...commandLine.rules });
  const inputs: ManifestInputs = {
    files: sized,
    unreadable,
    oversized: files.filter((file) => !sized.includes(file)),
    rulesFor,
    optionsFor(file) {
      const config = projects.configFor(file.path);
      const index = scopes.indexFor(file);
      return {
        fileName: file.path,
        rules: rulesFor(file.path),
        fix: config.fix,
        tokenSecrets: index.tokenSecrets,
        serviceAccounts: index.serviceAccounts,
        roles: index.roles,
        groupBindings: index.groupBindings,
        namespaceSetters: index.namespaceSetters,
        patch: scopes.isPatch(file),
        hardening: commandLine.hardening ?? config.fix.hardening ?? false,
      };
    },
  };
  return { inputs, others: kept.filter((path) => !isManifest(path)) };
}

async function addManifestPaths(
  path: string,
  files: Set<string>,
  named: boolean,
  wanted: (name: string) => boolean,
): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${fileErrorReason(error)}`);
  });
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${fileErrorReason(error)}`);
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

/**
 * The files within the size limit; each one over it gets one line on stderr (the editor shows the same words). A
 * skipped file is neither linted nor fixed: the exit code does not change for it.
 */
function withinSizeLimit(files: readonly ManifestFile[], limitKb: number): ManifestFile[] {
  return files.filter((file) => {
    const tooLarge = manifestTooLarge(file.text.length, limitKb, '--max-manifest-size');
    if (tooLarge) process.stderr.write(`sa-token: ${printable(file.path)}: skipped: ${tooLarge}\n`);
    return !tooLarge;
  });
}

/** A file's text (UTF-8, or UTF-16/32 with a BOM); a usage error when it cannot be read. */
export async function readText(path: string): Promise<string> {
  const read = await readManifest(path);
  if ('reason' in read) throw new UsageError(`cannot read ${path}: ${read.reason}`);
  return read.text;
}

async function readManifest(path: string): Promise<ManifestFile | UnreadableFile> {
  try {
    const decoded = decodeManifest(await readFile(path));
    return 'error' in decoded ? { path, reason: decoded.error } : { path, ...decoded };
  } catch (error) {
    return { path, reason: fileErrorReason(error) };
  }
}

/** The nearest .sa-token.yaml above each file (cached per directory); its problems are printed once. */
class ProjectConfigs {
  private readonly byDirectory = new Map<string, { config: ProjectConfig; dir: string }>();

  configFor(path: string): ProjectConfig {
    return this.lookup(dirname(resolve(path))).config;
  }

  ignores(path: string): boolean {
    const { config, dir } = this.lookup(dirname(resolve(path)));
    return isIgnored(config, relative(dir, resolve(path)).split(sep).join('/'));
  }

  private lookup(dir: string): { config: ProjectConfig; dir: string } {
    let found = this.byDirectory.get(dir);
    if (found) return found;
    const file = join(dir, PROJECT_CONFIG_FILE);
    const parent = dirname(dir);
    if (isFile(file)) {
      const { config, problems } = parseProjectConfig(readFileSync(file, 'utf8'));
      for (const problem of problems) process.stderr.write(`sa-token: ${file}: ${problem}\n`);
      found = { config, dir };
    } else {
      found = parent === dir ? { config: EMPTY_CONFIG, dir } : this.lookup(parent);
    }
    this.byDirectory.set(dir, found);
    return found;
  }
}

/** Each file's scope and what the files of that scope say; kustomizations name patches. */
class Scopes {
  private readonly marked = new Map<string, boolean>();
  private readonly edges = new Map<string, boolean>();
  private readonly roots = new Map<ManifestFile, string>();
  private readonly indexes = new Map<string, WorkspaceIndex>();
  private readonly patches = new Set<string>();

  constructor(files: readonly ManifestFile[]) {
    // A scope marker is a file (argo-cd has directories named Kustomization); a project edge (.git) may be either.
    const perScope = new Map<string, WorkspaceIndex[]>();
    const read = new Set<string>();
    for (const file of files) {
      const absolute = resolve(file.path);
      const root = scopeRoot(absolute, {
        isMarked: (dir) => this.has(this.marked, dir, SCOPE_MARKERS, isFile),
        isEdge: (dir) => this.has(this.edges, dir, PROJECT_EDGES, existsSync),
      });
      this.roots.set(file, root);
      const index = indexWorkspaceFile(file.text, absolute);
      const scope = perScope.get(root);
      if (scope) scope.push(index);
      else perScope.set(root, [index]);
      index.patchFiles.forEach((patch) => this.patches.add(patch));
      read.add(absolute);
    }
    for (const [root, indexes] of perScope) this.indexes.set(root, mergeIndexes(...indexes));
    // A kustomization beside a linted file names its patches even when it was not linted itself.
    for (const dir of new Set([...read].map((path) => dirname(path)))) {
      for (const name of KUSTOMIZATION_NAMES) {
        const path = join(dir, name);
        if (read.has(path) || !isFile(path)) continue;
        const decoded = decodeManifest(readFileSync(path));
        if ('text' in decoded)
          kustomizationFacts(decoded.text, path).patchFiles.forEach((patch) => this.patches.add(patch));
      }
    }
  }

  indexFor(file: ManifestFile): WorkspaceIndex {
    return this.indexes.get(this.roots.get(file)!)!;
  }

  isPatch(file: ManifestFile): boolean {
    return this.patches.has(resolve(file.path));
  }

  private has(
    cache: Map<string, boolean>,
    dir: string,
    names: readonly string[],
    exists: (path: string) => boolean,
  ): boolean {
    let answer = cache.get(dir);
    if (answer === undefined) cache.set(dir, (answer = names.some((name) => exists(join(dir, name)))));
    return answer;
  }
}

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

/** One line per file that could not be read; the run goes on with the others. */
export function reportUnreadable(unreadable: readonly UnreadableFile[]): void {
  for (const { path, reason } of unreadable)
    process.stderr.write(`sa-token: cannot read ${printable(path)}: ${reason}\n`);
}
