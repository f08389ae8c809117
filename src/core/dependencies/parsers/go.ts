// go.mod (require and replace directives) and go.sum. Both formats are line-based with space-separated fields
// (golang.org/ref/mod#go-mod-file-grammar); no npm package parses them.
import { compareVersions } from '../versions';
import { isClientLibrary, lines, type DependencyEntry } from './types';

/** The version a module builds with: its require line, unless a replace directive gives another version. A
 * replacement by a local directory proves nothing about the version and is dropped. */
export function parseGoMod(text: string): DependencyEntry[] {
  const required = new Map<string, DependencyEntry>();
  const replaced = new Map<string, DependencyEntry | null>();
  let block: 'require' | 'replace' | undefined;
  for (const { line, start } of lines(text)) {
    const code = line.replace(/\/\/.*$/, '');
    const trimmed = code.trim();
    if (block && trimmed === ')') {
      block = undefined;
      continue;
    }
    const opening = /^(require|replace)\s*\($/.exec(trimmed);
    if (opening) {
      block = opening[1] as 'require' | 'replace';
      continue;
    }
    const directive = /^(require|replace)\s+(.*)$/.exec(trimmed);
    const kind = directive ? (directive[1] as 'require' | 'replace') : block;
    const body = directive ? directive[2] : block ? trimmed : '';
    if (!kind || !body) continue;
    const at = (token: string) => {
      const offset = start + code.lastIndexOf(token);
      return { start: offset, end: offset + token.length };
    };
    if (kind === 'require') {
      const [module, version] = body.split(/\s+/);
      if (module && version && isClientLibrary('go', module))
        required.set(module, { ecosystem: 'go', name: module, spec: { exact: version }, ...at(version) });
    } else {
      const [left, right] = body.split('=>').map((side) => side.trim().split(/\s+/));
      const module = left?.[0];
      if (!module || !right || !isClientLibrary('go', module)) continue;
      const [target, version] = right;
      const local = target?.startsWith('.') || target?.startsWith('/');
      replaced.set(
        module,
        local || !version ? null : { ecosystem: 'go', name: module, spec: { exact: version }, ...at(version) },
      );
    }
  }
  return [...required.keys()].flatMap((module) => {
    const replacement = replaced.get(module);
    if (replacement === null) return [];
    return [replacement ?? required.get(module)!];
  });
}

/** go.sum lists every version whose go.mod was consulted; the module zips built with have lines without
 * "/go.mod". The highest zip line stands for the module: when even it is too old, every one is. */
export function parseGoSum(text: string): DependencyEntry[] {
  const highest = new Map<string, DependencyEntry>();
  for (const { line, start } of lines(text)) {
    const [module, version] = line.trim().split(/\s+/);
    if (!module || !version || version.endsWith('/go.mod') || !isClientLibrary('go', module)) continue;
    const offset = start + line.indexOf(version, module.length);
    const entry: DependencyEntry = {
      ecosystem: 'go',
      name: module,
      spec: { exact: version },
      start: offset,
      end: offset + version.length,
    };
    const previous = highest.get(module);
    if (!previous || newerGo(version, (previous.spec as { exact: string }).exact)) highest.set(module, entry);
  }
  return [...highest.values()];
}

const newerGo = (a: string, b: string): boolean => (compareVersions('go', a, b) ?? 0) > 0;
