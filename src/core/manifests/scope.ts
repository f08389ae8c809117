// Which files inform a file's findings, and which files are Kustomize patches. Paths use `/` or `\` as given; no
// file system access here (callers say which directories hold what).
//
// Scope: the linted files under the file's scope root. The scope root is the outermost directory, from the file's
// own directory upwards, that holds a kustomization (kustomization.yaml, kustomization.yml, Kustomization) or a
// Chart.yaml; the walk stops at a directory holding .git or .sa-token.yaml (a project's edge) and at the workspace
// folder. Without such a directory the scope is the file's own directory. A file's findings depend only on the files
// of its scope: linting an unrelated folder alongside changes nothing.
import { isMap, isScalar, isSeq } from 'yaml';
import { getString, parseYaml } from './nodes';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;
export const SCOPE_MARKERS = [...KUSTOMIZATION_NAMES, 'Chart.yaml'] as const;
export const PROJECT_EDGES = ['.git', '.sa-token.yaml'] as const;

export const parentOf = (path: string): string | undefined => {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return undefined;
  const parent = path.slice(0, Math.max(cut, 1));
  return parent === path ? undefined : parent;
};

/** `name` inside `dir`, with `dir`'s separator. */
export const childPath = (dir: string, name: string): string => {
  const separator = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(separator) ? `${dir}${name}` : `${dir}${separator}${name}`;
};

export const baseName = (path: string): string =>
  path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

export interface DirectoryFacts {
  /** The directory holds a kustomization or a Chart.yaml. */
  isMarked(dir: string): boolean;
  /** The walk stops here (project edge, workspace folder). */
  isEdge(dir: string): boolean;
}

/** The scope root of a file (see above). */
export function scopeRoot(file: string, facts: DirectoryFacts): string {
  const own = parentOf(file) ?? '.';
  let root = own;
  for (let dir: string | undefined = own; dir !== undefined; dir = parentOf(dir)) {
    if (facts.isMarked(dir)) root = dir;
    if (facts.isEdge(dir)) break;
  }
  return root;
}

/** `relative` resolved against `dir`, `.` and `..` folded, with `dir`'s separator. */
export function resolvePath(dir: string, relative: string): string {
  const separator = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const absolute = /^([/\\]|[A-Za-z]:[/\\])/.test(relative);
  const parts = (absolute ? relative : `${dir}${separator}${relative}`).split(/[/\\]+/);
  const folded: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && folded.length > 0)) continue;
    if (part === '..' && folded.length > 0 && folded.at(-1) !== '..' && folded.at(-1) !== '') folded.pop();
    else folded.push(part);
  }
  return folded.join(separator) || separator;
}

/** What a kustomization tells the linter about other files. */
export interface KustomizationFacts {
  /** Files it names as patches (patches[].path, patchesStrategicMerge[], patchesJson6902[].path). */
  patchFiles: string[];
  /** It sets `namespace:`: the build fills the namespace of what it includes (and of their binding subjects). */
  setsNamespace: boolean;
}

export function kustomizationFacts(text: string, fileName: string): KustomizationFacts {
  const dir = parentOf(fileName) ?? '.';
  const files: string[] = [];
  let setsNamespace = false;
  for (const doc of parseYaml(text)) {
    if (!isMap(doc.contents)) continue;
    setsNamespace ||= Boolean(getString(doc, doc.contents, 'namespace'));
    for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
      const list = doc.get(key, true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        // A patch given inline (a YAML string with line breaks, or `patch:`) is no file.
        const path = isScalar(item) ? item.value : isMap(item) ? getString(doc, item, 'path') : undefined;
        if (typeof path === 'string' && path !== '' && !path.includes('\n')) files.push(resolvePath(dir, path));
      }
    }
  }
  return { patchFiles: files, setsNamespace };
}

export const isKustomization = (fileName: string | undefined): boolean =>
  (KUSTOMIZATION_NAMES as readonly string[]).includes(baseName(fileName ?? ''));
