// requirements*.txt and pyproject.toml (PEP 508 strings of PEP 621 / PEP 735, Poetry tables), poetry.lock and
// Pipfile.lock. TOML through smol-toml, JSON through jsonc-parser; PEP 440 specifiers are judged by
// @renovatebot/pep440.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { escapeRegExp, find, findAfter, isClientLibrary, lines, type DependencyEntry } from './types';
import type { VersionSpec } from '../versions';

/** PEP 508 without URLs: name, optional extras, the version specifier, optional markers after ";". */
const REQUIREMENT = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(\(?[^;@]*?\)?)\s*(;.*)?$/;

/** "==11.0.0" is one version; anything else (">=10,<12", "~=11.0", "==11.*") is a range. */
export function pep440Spec(specifier: string): VersionSpec | undefined {
  const spec = specifier.replace(/^\(|\)$/g, '').replace(/\s+/g, '');
  if (spec === '') return undefined;
  const exact = /^===?([^,*]+)$/.exec(spec);
  return exact ? { exact: exact[1] } : { range: spec };
}

export function parseRequirements(text: string): DependencyEntry[] {
  const entries: DependencyEntry[] = [];
  let continued = false;
  for (const { line, start } of lines(text)) {
    const wasContinued = continued;
    continued = /\\\s*$/.test(line);
    if (wasContinued) continue; // --hash options of the previous requirement
    const code = line
      .replace(/(^|\s)#.*$/, '')
      .replace(/\\\s*$/, '')
      .replace(/\s--\S+.*$/, '');
    if (code.trim() === '' || code.trim().startsWith('-')) continue;
    const entry = requirementEntry(code, start);
    if (entry) entries.push(entry);
  }
  return entries;
}

function requirementEntry(requirement: string, offset: number): DependencyEntry | undefined {
  const found = REQUIREMENT.exec(requirement);
  if (!found || !isClientLibrary('pypi', found[1])) return undefined;
  const spec = pep440Spec(found[3]);
  if (!spec) return undefined;
  const at = requirement.indexOf(found[3].trim(), found[1].length);
  return { ecosystem: 'pypi', name: found[1], spec, start: offset + at, end: offset + at + found[3].trim().length };
}

export function parsePyproject(text: string): DependencyEntry[] {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const project = table(data.project);
  const poetry = table(table(data.tool).poetry);
  const pep508 = [
    ...strings(project.dependencies),
    ...Object.values(table(project['optional-dependencies'])).flatMap(strings),
    ...Object.values(table(data['dependency-groups'])).flatMap(strings),
  ];
  const entries = pep508.flatMap((requirement) => {
    const where = find(text, new RegExp(`["']\\s*(${escapeRegExp(requirement.trim())})`));
    const entry = requirementEntry(requirement, 0);
    return entry && where ? [{ ...entry, start: where.start, end: where.end }] : [];
  });
  const poetryTables = [
    table(poetry.dependencies),
    table(poetry['dev-dependencies']),
    ...Object.values(table(poetry.group)).map((group) => table(table(group).dependencies)),
  ];
  for (const dependencies of poetryTables) {
    for (const [name, value] of Object.entries(dependencies)) {
      const constraint = typeof value === 'string' ? value : table(value).version;
      if (!isClientLibrary('pypi', name) || typeof constraint !== 'string') continue;
      const spec = poetrySpec(constraint);
      if (!spec) continue;
      const where = findAfter(text, new RegExp(`^\\s*["']?${escapeRegExp(name)}["']?\\s*=`, 'm'), constraint);
      entries.push({ ecosystem: 'pypi', name, spec, ...where });
    }
  }
  return entries;
}

/** Poetry's constraint syntax as PEP 440: ^1.2 → >=1.2,<2.0.0; ~1.2 → >=1.2,<1.3; 1.2.* and bare versions. */
export function poetrySpec(constraint: string): VersionSpec | undefined {
  // Alternatives ("||") and "*" are left alone: they are never judged too old here.
  if (constraint.includes('||') || constraint.trim() === '*') return undefined;
  const clauses = constraint
    .split(/\s*,\s*|\s+(?=[<>=!~^])/)
    .filter(Boolean)
    .map(poetryClause);
  if (clauses.some((clause) => clause === undefined)) return undefined;
  const joined = clauses.join(',');
  return /^==[^,*]+$/.test(joined) ? { exact: joined.slice(2) } : { range: joined };
}

function poetryClause(clause: string): string | undefined {
  const caret = /^\^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(clause);
  if (caret) {
    const [major, minor, patch] = [caret[1], caret[2], caret[3]].map((part) =>
      part === undefined ? undefined : Number(part),
    );
    const upper =
      major! > 0 || minor === undefined
        ? `${major! + 1}.0.0`
        : minor > 0 || patch === undefined
          ? `0.${minor + 1}.0`
          : `0.0.${patch + 1}`;
    return `>=${clause.slice(1)},<${upper}`;
  }
  const tilde = /^~(?!=)(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(clause);
  if (tilde)
    return `>=${clause.slice(1)},<${tilde[2] === undefined ? `${Number(tilde[1]) + 1}.0.0` : `${tilde[1]}.${Number(tilde[2]) + 1}.0`}`;
  if (/^\d[\w.]*(\.\*)?$/.test(clause)) return `==${clause}`;
  if (/^(==|!=|<=|>=|<|>|~=)\s*\d[\w.*]*$/.test(clause)) return clause.replace(/\s+/g, '');
  return undefined;
}

/** poetry.lock (and Cargo.lock): [[package]] tables with name and version. */
export function parseLockPackages(text: string, ecosystem: 'pypi' | 'cargo'): DependencyEntry[] {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const packages = Array.isArray(data.package) ? (data.package as Record<string, unknown>[]) : [];
  return packages.flatMap((entry) => {
    const { name, version } = entry;
    if (typeof name !== 'string' || typeof version !== 'string' || !isClientLibrary(ecosystem, name)) return [];
    const where = findAfter(
      text,
      new RegExp(`^name\\s*=\\s*"${escapeRegExp(name)}"\\s*$`, 'm'),
      new RegExp(`^version\\s*=\\s*"(${escapeRegExp(version)})"`, 'm'),
    );
    return [{ ecosystem, name, spec: { exact: version }, ...where }];
  });
}

export function parsePipfileLock(text: string): DependencyEntry[] {
  const root = parseTree(text);
  if (!root) return [];
  return ['default', 'develop'].flatMap((section) =>
    (findNodeAtLocation(root, [section])?.children ?? []).flatMap((property) => {
      const [key, value] = property.children ?? [];
      const version = value && findNodeAtLocation(value, ['version']);
      if (typeof key?.value !== 'string' || !isClientLibrary('pypi', key.value) || typeof version?.value !== 'string')
        return [];
      const spec = pep440Spec(version.value);
      return spec
        ? [
            {
              ecosystem: 'pypi' as const,
              name: key.value,
              spec,
              start: version.offset,
              end: version.offset + version.length,
            },
          ]
        : [];
    }),
  );
}

const table = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
