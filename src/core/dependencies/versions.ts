// Version ordering and ranges per ecosystem, through each ecosystem's well-kept implementation: node-semver (npm,
// Cargo, Go modules), @renovatebot/pep440 (PyPI), mvncmp (Maven's ComparableVersion), @renovatebot/ruby-semver
// (Gem::Version). NuGet has none on npm: its four-part numbers are compared numerically, labels as SemVer.
import * as pep440 from '@renovatebot/pep440';
import * as ruby from '@renovatebot/ruby-semver';
import { compare as mavenCompare } from 'mvncmp';
import semver from 'semver';
import type { Ecosystem } from './libraries';

/** What a dependency file says about a version: exactly one, or a constraint that allows several. */
export type VersionSpec = { exact: string } | { range: string };

/** -1, 0, 1; undefined when either side is not a version of that ecosystem. */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  switch (ecosystem) {
    case 'npm':
    case 'cargo':
      return semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : undefined;
    case 'go':
      return compareGo(a, b);
    case 'pypi':
      return pep440.valid(a) && pep440.valid(b) ? sign(pep440.compare(a, b)) : undefined;
    case 'maven':
      return MAVEN_VERSION.test(a) && MAVEN_VERSION.test(b) ? sign(mavenCompare(a, b)) : undefined;
    case 'nuget':
      return compareNuget(a, b);
    case 'rubygems':
      return ruby.valid(a) && ruby.valid(b) ? (ruby.lt(a, b) ? -1 : ruby.gt(a, b) ? 1 : 0) : undefined;
  }
}

/**
 * true when every version the spec allows is below `threshold`, false when some is not, undefined when the spec
 * cannot be read (then it proves nothing and nothing is flagged).
 */
export function allBelow(ecosystem: Ecosystem, spec: VersionSpec, threshold: string): boolean | undefined {
  if ('exact' in spec) {
    const order = compareVersions(ecosystem, spec.exact, threshold);
    return order === undefined ? undefined : order < 0;
  }
  const range = spec.range.trim();
  switch (ecosystem) {
    case 'npm':
    case 'cargo':
      return semver.validRange(range) ? !semver.intersects(range, `>=${threshold}`) : undefined;
    case 'pypi':
      return pep440AllBelow(range, threshold);
    case 'maven':
    case 'nuget':
      return intervalsAllBelow(ecosystem, range, threshold);
    default:
      return undefined;
  }
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

// ---- Go: module versions are SemVer with a "v"; pseudo-versions of v0.0.0 name an untagged commit (unknown). ----

function compareGo(a: string, b: string): number | undefined {
  const [x, y] = [goSemver(a), goSemver(b)];
  return x && y ? semver.compare(x, y) : undefined;
}

function goSemver(version: string): string | undefined {
  if (/^v0\.0\.0-\d{14}-[0-9a-f]{12}$/.test(version)) return undefined;
  const plain = version.replace(/^v/, '');
  return semver.valid(plain) ?? undefined;
}

/** client-go's v2.0.0 … v12.0.0 (+incompatible) tags are Kubernetes 1.5 … 1.15.0: older than v0.15.7 whatever
 * SemVer says. The caller decides what an incompatible major means for its library. */
export const isGoIncompatible = (version: string): boolean => /\+incompatible$/.test(version);

// ---- PEP 440 ranges: is any allowed version at or above the threshold? Checked at the threshold, at every version
// the specifier names, just above each, and far above; a specifier is an intersection of intervals (and `!=`
// holes), so a version it allows at or above the threshold exists iff one of these is allowed. ----

function pep440AllBelow(specifier: string, threshold: string): boolean | undefined {
  if (!pep440.validRange(specifier)) return undefined;
  const named = [...specifier.matchAll(/(\d+(?:\.\d+)*)/g)].map((m) => m[1]);
  const candidates = [threshold, '999999', ...named.flatMap((version) => [version, `${version}.1`, bump(version)])];
  return !candidates.some(
    (candidate) =>
      pep440.valid(candidate) && pep440.gte(candidate, threshold) && pep440.satisfies(candidate, specifier),
  );
}

/** The next release after every version with this prefix: 11.2 → 11.3. */
function bump(version: string): string {
  const parts = version.split('.').map(Number);
  parts[parts.length - 1] += 1;
  return parts.join('.');
}

// ---- Maven and NuGet interval notation: [1.0,2.0) (,1.0] [1.0] and unions "[1,2),[3,)"; Gradle also writes
// ]1.0,2.0[ and prefixes like 8.+ ----

const MAVEN_VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]*$/;

function intervalsAllBelow(ecosystem: Ecosystem, range: string, threshold: string): boolean | undefined {
  const prefix = /^(\d+(?:\.\d+)*)\.\+$/.exec(range);
  if (prefix) {
    const order = compareVersions(ecosystem, bump(prefix[1]), threshold);
    return order === undefined ? undefined : order <= 0;
  }
  let all = true;
  let rest = range;
  while (rest.length > 0) {
    const interval = INTERVAL.exec(rest);
    if (!interval) return undefined;
    rest = rest.slice(interval[0].length);
    const [, open, low, comma, high, close] = interval;
    if (!comma && (open !== '[' || close !== ']' || !low)) return undefined;
    const upper = comma ? high : low;
    if (!upper) return false; // no upper bound: newer versions are allowed
    const order = compareVersions(ecosystem, upper, threshold);
    if (order === undefined) return undefined;
    all &&= order < 0 || (order === 0 && close !== ']');
  }
  return all;
}

/** One interval and the comma that joins it to the next; "]" opening or "[" closing is Gradle's exclusive bound. */
const INTERVAL = /^\s*([[(\]])\s*([^,[\]()\s]*)\s*(?:(,)\s*([^,[\]()\s]*)\s*)?([\])[])\s*(?:,\s*(?=[[(\]])|$)/;

// ---- NuGet: up to four numeric parts, then an optional SemVer pre-release label. ----

function compareNuget(a: string, b: string): number | undefined {
  const [x, y] = [nugetParts(a), nugetParts(b)];
  if (!x || !y) return undefined;
  for (let i = 0; i < 4; i++) if (x.numbers[i] !== y.numbers[i]) return x.numbers[i] < y.numbers[i] ? -1 : 1;
  if (x.label === y.label) return 0;
  if (!x.label) return 1;
  if (!y.label) return -1;
  return semver.compare(`0.0.0-${x.label}`, `0.0.0-${y.label}`);
}

function nugetParts(version: string): { numbers: number[]; label: string } | undefined {
  const found = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!found || (found[5] && !semver.valid(`0.0.0-${found[5]}`))) return undefined;
  return { numbers: [1, 2, 3, 4].map((i) => Number(found[i] ?? 0)), label: found[5] ?? '' };
}
