import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseKeys } from '../../../../src/core/tokens/verify';
import { ClusterKeyService } from '../../../../src/features/shared/clusterKeys';

const service = new ClusterKeyService(parseKeys);
const getClusterKeys = (timeoutMs?: number) => service.get(timeoutMs);
const registerClusterKeySource: ClusterKeyService['provide'] = (source) => service.provide(source);

test('no registered source: nothing to say, and nothing is fetched', async () => {
  assert.equal(await getClusterKeys(), undefined);
});

test('a registered source answers until it is disposed', async () => {
  const registration = registerClusterKeySource(async () => ({ context: 'kind-dev', keys: [] }));
  assert.deepEqual(await getClusterKeys(), { context: 'kind-dev', keys: [] });
  registration.dispose();
  assert.equal(await getClusterKeys(), undefined);
});

test('a failing source becomes "unavailable" with its reason, never a rejection', async () => {
  const registration = registerClusterKeySource(async () => {
    throw new Error('forbidden: cannot get /openid/v1/jwks');
  });
  assert.deepEqual(await getClusterKeys(), {
    context: 'the connected cluster',
    unavailable: 'forbidden: cannot get /openid/v1/jwks',
  });
  registration.dispose();
});

test('a slow source does not hold a hover: unavailable after the timeout', async () => {
  const registration = registerClusterKeySource(() => new Promise(() => {}));
  const started = Date.now();
  assert.deepEqual(await getClusterKeys(50), { context: 'the connected cluster', unavailable: 'no answer in time' });
  assert.ok(Date.now() - started < 2000);
  registration.dispose();
});

test('disposing an older registration leaves a newer one in place', async () => {
  const older = registerClusterKeySource(async () => ({ context: 'old', keys: [] }));
  const newer = registerClusterKeySource(async () => ({ context: 'new', keys: [] }));
  older.dispose();
  assert.equal((await getClusterKeys())?.context, 'new');
  newer.dispose();
});
