import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAudiences, parseDuration, tokenRequestFrom } from '../../../../src/core/cluster/tokenRequest';

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
