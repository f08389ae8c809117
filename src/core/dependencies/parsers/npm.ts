// package.json ranges, package-lock.json / npm-shrinkwrap.json (lockfile v1 to v3), yarn.lock (v1 and Berry) and
// pnpm-lock.yaml (v5 to v9), each with its own parser: jsonc-parser, @yarnpkg/lockfile, yaml.
import { parse as parseYarnClassic } from '@yarnpkg/lockfile';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import { escapeRegExp, findAfter, isClientLibrary, type DependencyEntry } from './types';

const DEPENDENCY_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'];

export function parsePackageJson(text: string): DependencyEntry[] {
  const root = parseTree(text);
  if (!root) return [];
  return DEPENDENCY_SECTIONS.flatMap((section) =>
    stringProperties(findNodeAtLocation(root, [section])).flatMap(([name, value]) =>
      isClientLibrary('npm', name) ? [npmEntry(name, { range: value.value as string }, value)] : [],
    ),
  );
}

/** lockfileVersion 2/3 list installs under "packages" by path; version 1 nests "dependencies". */
export function parsePackageLock(text: string): DependencyEntry[] {
  const root = parseTree(text);
  if (!root) return [];
  const entries: DependencyEntry[] = [];
  const packages = findNodeAtLocation(root, ['packages']);
  for (const property of packages?.children ?? []) {
    const [key, value] = property.children ?? [];
    const path = typeof key?.value === 'string' ? key.value : '';
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const version = value && findNodeAtLocation(value, ['version']);
    if (path.includes('node_modules/') && isClientLibrary('npm', name) && typeof version?.value === 'string')
      entries.push(npmEntry(name, { exact: version.value }, version));
  }
  if (!packages) walkV1(findNodeAtLocation(root, ['dependencies']), entries);
  return entries;
}

function walkV1(dependencies: JsonNode | undefined, entries: DependencyEntry[]): void {
  for (const property of dependencies?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!value || typeof key?.value !== 'string') continue;
    const version = findNodeAtLocation(value, ['version']);
    if (isClientLibrary('npm', key.value) && typeof version?.value === 'string')
      entries.push(npmEntry(key.value, { exact: version.value }, version));
    walkV1(findNodeAtLocation(value, ['dependencies']), entries);
  }
}

/** Yarn Berry lock files are YAML (they start with __metadata); classic ones have their own syntax. */
export function parseYarnLock(text: string): DependencyEntry[] {
  if (/^__metadata:/m.test(text)) return parseYarnBerry(text);
  const parsed = parseYarnClassic(text);
  if (parsed.type !== 'success') return [];
  const entries = new Map<string, DependencyEntry>();
  for (const [key, value] of Object.entries(parsed.object as Record<string, { version?: string }>)) {
    const name = key.slice(0, key.lastIndexOf('@'));
    if (!isClientLibrary('npm', name) || typeof value.version !== 'string') continue;
    const where = findAfter(
      text,
      new RegExp(`^"?${escapeRegExp(key)}`, 'm'),
      new RegExp(`^\\s+version "?(${escapeRegExp(value.version)})"?`, 'm'),
    );
    entries.set(`${name}@${value.version}`, { ecosystem: 'npm', name, spec: { exact: value.version }, ...where });
  }
  return [...entries.values()];
}

function parseYarnBerry(text: string): DependencyEntry[] {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (!isMap(doc.contents)) return [];
  return doc.contents.items.flatMap((pair) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const name = key
      .split(',')[0]
      .trim()
      .replace(/@(npm|patch|workspace|file|git|https?):.*$/, '');
    const version = isMap(pair.value) ? pair.value.get('version', true) : undefined;
    if (!isClientLibrary('npm', name) || !isScalar(version) || !version.range) return [];
    return [{ ecosystem: 'npm' as const, name, spec: { exact: String(version.value) }, ...scalarSpan(version) }];
  });
}

/** pnpm keys: "/name/1.2.3" (v5), "/name@1.2.3" (v6), "name@1.2.3" (v9), with peer suffixes "(…)" or "_…". */
export function parsePnpmLock(text: string): DependencyEntry[] {
  const doc = parseDocument(text, { uniqueKeys: false });
  const packages = isMap(doc.contents) ? doc.contents.get('packages', true) : undefined;
  if (!isMap(packages)) return [];
  return packages.items.flatMap((pair) => {
    if (!isScalar(pair.key)) return [];
    const key = String(pair.key.value).replace(/^\//, '').replace(/\(.*$/, '');
    const at = key.lastIndexOf('@');
    const v5 = /^(.+)\/(\d[^/]*)$/.exec(key);
    const [name, version] = at > 0 ? [key.slice(0, at), key.slice(at + 1)] : v5 ? [v5[1], v5[2]] : ['', ''];
    if (!isClientLibrary('npm', name)) return [];
    return [{ ecosystem: 'npm' as const, name, spec: { exact: version.replace(/_.*$/, '') }, ...scalarSpan(pair.key) }];
  });
}

function stringProperties(object: JsonNode | undefined): [string, JsonNode][] {
  return (object?.children ?? []).flatMap((property) => {
    const [key, value] = property.children ?? [];
    return typeof key?.value === 'string' && value?.type === 'string' ? [[key.value, value] as [string, JsonNode]] : [];
  });
}

function npmEntry(name: string, spec: DependencyEntry['spec'], node: JsonNode): DependencyEntry {
  return { ecosystem: 'npm', name, spec, start: node.offset, end: node.offset + node.length };
}

function scalarSpan(node: Scalar | unknown): { start: number; end: number } {
  const range = (node as Scalar).range;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
}
