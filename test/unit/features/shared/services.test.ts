import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManifestEngine } from '../../../../src/core/manifests/engine';
import { parseKeys } from '../../../../src/core/tokens/verify';
import { InProcessManifestEngine } from '../../../../src/features/shared/manifestEngine';
import { Services } from '../../../../src/features/shared/services';

const engine = new InProcessManifestEngine(new ManifestEngine());

test('each Services object holds its own registries: nothing is shared through module state', () => {
  const one = new Services(parseKeys, engine);
  const other = new Services(parseKeys, engine);
  one.clusterTokenSecrets.namespaceLoaded('team-a', [
    { name: 'app-token', namespace: 'team-a', serviceAccount: 'app' },
  ]);
  assert.equal(one.clusterTokenSecrets.secrets.length, 1);
  assert.equal(other.clusterTokenSecrets.secrets.length, 0);
  assert.notEqual(one.clusterKeys, other.clusterKeys);
});

test('the decoded token view is offered until withdrawn; a later offer survives an older withdrawal', async () => {
  const services = new Services(parseKeys, engine);
  assert.equal(services.decodedTokenView, undefined);
  const shown: string[] = [];
  const older = services.provideDecodedTokenView(async (token) => shown.push(`older ${token}`));
  const newer = services.provideDecodedTokenView(async (token) => shown.push(`newer ${token}`));
  older.dispose();
  const view = services.decodedTokenView as ((token: string) => Promise<unknown>) | undefined;
  await view?.('t');
  assert.deepEqual(shown, ['newer t']);
  newer.dispose();
  assert.equal(services.decodedTokenView, undefined);
});
