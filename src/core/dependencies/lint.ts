// Rule SAT201: a Kubernetes client library whose version (resolved, or every version its range allows) is below
// the first that re-reads a rotated token. Never throws: a file that does not parse yields no findings.
import { dependencyFileKind, type DependencyFileKind } from './fileKinds';
import { clientLibrary, type ClientLibrary } from './libraries';
import { parseMsbuild } from './parsers/dotnet';
import { parseGoMod, parseGoSum } from './parsers/go';
import { parseGradle, parsePom } from './parsers/jvm';
import { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from './parsers/npm';
import { parseLockPackages, parsePipfileLock, parsePyproject, parseRequirements } from './parsers/python';
import { parseGemfileLock } from './parsers/ruby';
import type { DependencyEntry } from './parsers/types';
import { printable } from '../printable';
import { allBelow, isGoIncompatible } from './versions';

export interface DependencyFinding {
  rule: 'SAT201';
  severity: 'warning';
  start: number;
  end: number;
  message: string;
  /** The library (its id opens its changelog entry from the fixed table). */
  library: ClientLibrary;
}

const PARSERS: Record<DependencyFileKind, (text: string) => DependencyEntry[]> = {
  'go.mod': parseGoMod,
  'go.sum': parseGoSum,
  'package.json': parsePackageJson,
  'package-lock': parsePackageLock,
  'yarn.lock': parseYarnLock,
  'pnpm-lock': parsePnpmLock,
  requirements: parseRequirements,
  pyproject: parsePyproject,
  'poetry.lock': (text) => parseLockPackages(text, 'pypi'),
  'Pipfile.lock': parsePipfileLock,
  pom: parsePom,
  gradle: parseGradle,
  msbuild: parseMsbuild,
  'Gemfile.lock': parseGemfileLock,
  'Cargo.lock': (text) => parseLockPackages(text, 'cargo'),
};

/** The client-library dependencies a file declares (empty for other files). */
export function dependenciesOf(fileName: string, text: string): DependencyEntry[] {
  const kind = dependencyFileKind(fileName);
  if (!kind) return [];
  try {
    return PARSERS[kind](text);
  } catch {
    return [];
  }
}

export function lintDependencyFile(fileName: string, text: string): DependencyFinding[] {
  return dependenciesOf(fileName, text).flatMap((entry) => {
    const library = clientLibrary(entry.ecosystem, entry.name);
    if (!library) return [];
    const tooOld = isTooOld(library, entry);
    return tooOld
      ? [
          {
            rule: 'SAT201',
            severity: 'warning',
            start: entry.start,
            end: entry.end,
            message: message(library, entry),
            library,
          },
        ]
      : [];
  });
}

function isTooOld(library: ClientLibrary, entry: DependencyEntry): boolean {
  // client-go's "+incompatible" majors (v2…v12) are its pre-module numbering, Kubernetes 1.5 … 1.15.0.
  if (library.id === 'client-go' && 'exact' in entry.spec && isGoIncompatible(entry.spec.exact)) return true;
  return allBelow(library.ecosystem, entry.spec, library.firstReloading) === true;
}

const READS_ONCE =
  'reads the service account token once; projected tokens rotate (the kubelet renews them, about every hour), so ' +
  'API calls start failing with 401 once the token it read expires';

/** File text in a message: one line, no control or bidi characters, bounded. */
const shown = (text: string): string => printable(text).slice(0, 80);

function message(library: ClientLibrary, entry: DependencyEntry): string {
  const upgrade = `Upgrade to ${library.firstReloading} or later, the first version that reloads the token file.`;
  if ('exact' in entry.spec) {
    const deadlock =
      library.id === 'kube-rs' && entry.spec.exact === '0.69.0'
        ? ' (0.69.0 reloads it but deadlocks after about a minute in a cluster)'
        : '';
    return `${library.title} ${shown(entry.spec.exact)} ${READS_ONCE}${deadlock}. ${upgrade}`;
  }
  return `Every version "${shown(entry.spec.range)}" allows is older than ${library.firstReloading}: ${library.title} before ${library.firstReloading} ${READS_ONCE}. ${upgrade}`;
}
