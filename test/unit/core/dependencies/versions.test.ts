// Property tests: our version comparison agrees with each ecosystem's own ordering rules, written here from the
// specifications as reference orderings over generated versions (SemVer 2.0.0 §11, PEP 440 "Summary of permitted
// suffixes and relative ordering", Maven's ComparableVersion documentation), and a range judged "all below" never
// allows a version at or above the threshold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import { allBelow, compareVersions } from '../../../../src/core/dependencies/versions';
import { SEED } from '../../reliability/figures';

const runs = { seed: SEED, numRuns: 400 };
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const compareTuples = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return sign(d);
  }
  return 0;
};
const part = fc.integer({ min: 0, max: 30 });

describe('SemVer ordering (npm, Cargo, Go modules)', () => {
  // SemVer §11: numeric major.minor.patch; a pre-release sorts before its release; identifiers compare numerically
  // when numeric, lexically otherwise, numeric below alphanumeric; more identifiers win when all before are equal.
  const identifier = fc.oneof(fc.nat({ max: 20 }).map(String), fc.constantFrom('alpha', 'beta', 'rc', 'x'));
  const version = fc.record({
    release: fc.tuple(part, part, part),
    pre: fc.array(identifier, { maxLength: 3 }),
  });
  const text = (v: { release: number[]; pre: string[] }) =>
    `${v.release.join('.')}${v.pre.length ? `-${v.pre.join('.')}` : ''}`;
  const comparePre = (a: string[], b: string[]): number => {
    if (a.length === 0 || b.length === 0) return sign(b.length - a.length);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const [x, y] = [a[i], b[i]];
      const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
      if (nx && ny && Number(x) !== Number(y)) return sign(Number(x) - Number(y));
      if (nx !== ny) return nx ? -1 : 1;
      if (!nx && x !== y) return x < y ? -1 : 1;
    }
    return sign(a.length - b.length);
  };
  const reference = (a: { release: number[]; pre: string[] }, b: { release: number[]; pre: string[] }) =>
    compareTuples(a.release, b.release) || comparePre(a.pre, b.pre);

  for (const ecosystem of ['npm', 'cargo'] as const) {
    it(`${ecosystem}: agrees with SemVer §11`, () => {
      fc.assert(
        fc.property(version, version, (a, b) => compareVersions(ecosystem, text(a), text(b)) === reference(a, b)),
        runs,
      );
    });
  }

  it('go: the same with a "v", and untagged v0.0.0 pseudo-versions are unknown', () => {
    fc.assert(
      fc.property(version, version, (a, b) => compareVersions('go', `v${text(a)}`, `v${text(b)}`) === reference(a, b)),
      runs,
    );
    assert.equal(compareVersions('go', 'v0.0.0-20190918160344-1fbdaa4c8d90', 'v0.15.7'), undefined);
  });

  it('nuget: four numeric parts (missing ones are 0), then SemVer labels', () => {
    const nuget = fc.record({
      release: fc.array(part, { minLength: 1, maxLength: 4 }),
      pre: fc.array(identifier, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(nuget, nuget, (a, b) => compareVersions('nuget', text(a), text(b)) === reference(a, b)),
      runs,
    );
  });
});

describe('PEP 440 ordering (PyPI)', () => {
  // Within a release: .devN < aN < bN < rcN < (release) < .postN; releases compare numerically with trailing
  // zeros ignored (1.0 == 1.0.0); spelling variants normalise (1.0RC1 == 1.0rc1, 1.0-post1 == 1.0.post1).
  const version = fc.record({
    release: fc.array(part, { minLength: 1, maxLength: 3 }),
    phase: fc.constantFrom('dev', 'a', 'b', 'rc', 'final', 'post'),
    n: fc.nat({ max: 9 }),
  });
  const PHASES = ['dev', 'a', 'b', 'rc', 'final', 'post'];
  type V = { release: number[]; phase: string; n: number };
  const text = (v: V) =>
    v.release.join('.') +
    (v.phase === 'final' ? '' : v.phase === 'dev' || v.phase === 'post' ? `.${v.phase}${v.n}` : `${v.phase}${v.n}`);
  const reference = (a: V, b: V) =>
    compareTuples(a.release, b.release) ||
    sign(PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase)) ||
    (a.phase === 'final' ? 0 : sign(a.n - b.n));

  it('agrees with PEP 440 relative ordering', () => {
    fc.assert(
      fc.property(version, version, (a, b) => compareVersions('pypi', text(a), text(b)) === reference(a, b)),
      runs,
    );
  });

  it('normalises spellings', () => {
    assert.equal(compareVersions('pypi', '1.0', '1.0.0'), 0);
    assert.equal(compareVersions('pypi', '1.0RC1', '1.0rc1'), 0);
    assert.equal(compareVersions('pypi', '1.0-post1', '1.0.post1'), 0);
    assert.equal(compareVersions('pypi', 'v12.0.0', '12.0.0'), 0);
  });
});

describe('Maven ComparableVersion ordering', () => {
  // Numeric parts compare numerically, trailing zeros ignored; qualifiers order
  // alpha < beta < milestone < rc < snapshot < "" (release) < sp, unknown qualifiers after all of them
  // (lexically); aliases a/b/m (before a digit), cr = rc, ga = final = release = "".
  const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
  const version = fc.record({
    release: fc.array(part, { minLength: 1, maxLength: 3 }),
    qualifier: fc.constantFrom(...QUALIFIERS),
  });
  type V = { release: number[]; qualifier: string };
  const text = (v: V) => `${v.release.join('.')}${v.qualifier ? `-${v.qualifier}` : ''}`;
  const reference = (a: V, b: V) =>
    compareTuples(a.release, b.release) || sign(QUALIFIERS.indexOf(a.qualifier) - QUALIFIERS.indexOf(b.qualifier));

  it('agrees with the qualifier order and numeric parts', () => {
    fc.assert(
      fc.property(version, version, (a, b) => compareVersions('maven', text(a), text(b)) === reference(a, b)),
      runs,
    );
  });

  it('knows the aliases', () => {
    assert.equal(compareVersions('maven', '1.0-cr1', '1.0-rc1'), 0);
    assert.equal(compareVersions('maven', '1.0-a1', '1.0-alpha1'), 0);
    assert.equal(compareVersions('maven', '1.0.ga', '1.0'), 0);
    assert.equal(compareVersions('maven', '1.0-final', '1.0.0'), 0);
    assert.equal(compareVersions('maven', '1.0-foo', '1.0-sp'), 1);
  });
});

describe('Gem::Version ordering (RubyGems)', () => {
  it('compares segments numerically; a letter makes a pre-release', () => {
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 4 }),
        fc.array(part, { minLength: 1, maxLength: 4 }),
        (a, b) => compareVersions('rubygems', a.join('.'), b.join('.')) === compareTuples(a, b),
      ),
      runs,
    );
    assert.equal(compareVersions('rubygems', '4.10.0.pre', '4.10.0'), -1);
    assert.equal(compareVersions('rubygems', '4.9.3', '4.10.0'), -1);
  });
});

describe('ranges: "all below" is never wrong', () => {
  const triple = fc.tuple(part, part, part).map((t) => t.join('.'));

  it('npm/Cargo: no version the range allows is at or above the threshold', () => {
    const range = fc.oneof(
      triple.map((v) => `^${v}`),
      triple.map((v) => `~${v}`),
      fc.tuple(triple, triple).map(([a, b]) => `>=${a} <${b}`),
      triple.map((v) => `<=${v}`),
      triple.map((v) => `${v.split('.')[0]}.x`),
    );
    fc.assert(
      fc.property(range, triple, triple, (r, threshold, probe) => {
        if (allBelow('npm', { range: r }, threshold) !== true) return true;
        return !(semver.satisfies(probe, r) && semver.gte(probe, threshold)) && !semver.satisfies(threshold, r);
      }),
      runs,
    );
  });

  it('PyPI: the same for PEP 440 specifiers', () => {
    const release = fc.array(part, { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
    const clause = fc.oneof(
      release.map((v) => `<${v}`),
      release.map((v) => `<=${v}`),
      release.map((v) => `>=${v}`),
      release.map((v) => `>${v}`),
      release.map((v) => `==${v}`),
      release.map((v) => `!=${v}`),
      fc.tuple(part, part).map(([a, b]) => `~=${a}.${b}`),
      part.map((a) => `==${a}.*`),
    );
    const specifier = fc.array(clause, { minLength: 1, maxLength: 3 }).map((c) => c.join(','));
    fc.assert(
      fc.property(specifier, release, release, (spec, threshold, probe) => {
        if (allBelow('pypi', { range: spec }, threshold) !== true) return true;
        return !(pep440.satisfies(probe, spec) && pep440.gte(probe, threshold));
      }),
      { ...runs, numRuns: 1500 },
    );
  });

  it('Maven intervals: judged by their upper bounds', () => {
    assert.equal(allBelow('maven', { range: '[8.0,9.0)' }, '9.0.0'), true);
    assert.equal(allBelow('maven', { range: '[8.0,9.0]' }, '9.0.0'), false);
    assert.equal(allBelow('maven', { range: '(,8.0.2],[8.1,8.9)' }, '9.0.0'), true);
    assert.equal(allBelow('maven', { range: '[8.0,)' }, '9.0.0'), false);
    assert.equal(allBelow('maven', { range: ']8.0,9.0[' }, '9.0.0'), true);
    assert.equal(allBelow('maven', { range: '8.+' }, '9.0.0'), true);
    assert.equal(allBelow('maven', { range: '9.+' }, '9.0.0'), false);
    assert.equal(allBelow('maven', { range: 'latest.release' }, '9.0.0'), undefined);
    assert.equal(allBelow('nuget', { range: '[1.0,2.0)' }, '2.0.22'), true);
  });
});
