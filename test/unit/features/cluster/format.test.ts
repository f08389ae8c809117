import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ageOf,
  formatAge,
  formatSeconds,
  parseAudiences,
  parseDuration,
  tokenRequestFrom,
  validateObjectName,
} from '../../../../src/features/cluster/format';

const now = new Date('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

test('formatAge reads like kubectl AGE', () => {
  assert.equal(formatAge(ago(45_000), now), '45s');
  assert.equal(formatAge(ago(5 * 60_000), now), '5m');
  assert.equal(formatAge(ago(5 * 3_600_000), now), '5h');
  assert.equal(formatAge(ago(12 * 86_400_000), now), '12d');
  assert.equal(formatAge(ago(800 * 86_400_000), now), '2y');
  assert.equal(formatAge(new Date(now.getTime() + 10_000), now), '0s', 'clock skew never gives a negative age');
});

test('ageOf tolerates missing and invalid timestamps', () => {
  assert.equal(ageOf(null, now), undefined);
  assert.equal(ageOf('not a date', now), undefined);
  assert.equal(ageOf('2025-05-31T12:00:00Z', now), '24h');
});

test('formatSeconds', () => {
  assert.equal(formatSeconds(3607), '1h 7s');
  assert.equal(formatSeconds(600), '10m');
  assert.equal(formatSeconds(31_536_000), '365d');
  assert.equal(formatSeconds(0), '0s');
});

test('parseDuration accepts kubectl-style durations and enforces the API limits', () => {
  assert.deepEqual(parseDuration('1h'), { seconds: 3600 });
  assert.deepEqual(parseDuration(' 1h30m '), { seconds: 5400 });
  assert.deepEqual(parseDuration('600'), { seconds: 600 });
  assert.deepEqual(parseDuration('10m'), { seconds: 600 });
  assert.match((parseDuration('9m59s') as { error: string }).error, /minimum token lifetime is 10 minutes/);
  assert.match((parseDuration('2000000h') as { error: string }).error, /maximum/);
  for (const bad of ['', 'soon', '1d', '-1h', 'h', '1.5h']) assert.ok('error' in parseDuration(bad), bad);
});

test('parseAudiences splits, trims and de-duplicates', () => {
  assert.deepEqual(parseAudiences(''), []);
  assert.deepEqual(parseAudiences(' vault , ,https://kubernetes.default.svc,vault'), [
    'vault',
    'https://kubernetes.default.svc',
  ]);
});

test('validateObjectName', () => {
  assert.equal(validateObjectName('my-pod-0'), undefined);
  assert.ok(validateObjectName(''));
  assert.ok(validateObjectName('Bad_Name'));
  assert.ok(validateObjectName('x'.repeat(254)));
});

test('tokenRequestFrom validates prompt answers like typed input', () => {
  assert.deepEqual(tokenRequestFrom({ duration: '1h', audiences: 'vault, api' }), {
    expirationSeconds: 3600,
    audiences: ['vault', 'api'],
  });
  assert.deepEqual(tokenRequestFrom({ duration: '15m', boundObject: { kind: 'Pod', name: ' web-0 ' } }), {
    expirationSeconds: 900,
    audiences: [],
    boundObject: { kind: 'Pod', name: 'web-0' },
  });
  assert.throws(() => tokenRequestFrom({ duration: '5m' }), /minimum token lifetime is 10 minutes/);
  assert.throws(
    () => tokenRequestFrom({ duration: '1h', boundObject: { kind: 'Secret', name: 'Not_Valid' } }),
    /Not a valid Kubernetes name/,
  );
});
