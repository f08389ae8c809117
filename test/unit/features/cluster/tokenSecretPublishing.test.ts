import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenSecretEntry } from '../../../../src/core/manifests/types';
import type { ClusterTokenSecretSink } from '../../../../src/features/shared/clusterTokenSecrets';
import type { ClusterConnection, KubeEntryPoints } from '../../../../src/features/cluster/kubeApi';
import { ClusterSession } from '../../../../src/features/cluster/session';
import { publishTokenSecrets, tokenSecretsOf } from '../../../../src/features/cluster/tokenSecretPublishing';
import type { Inventory } from '../../../../src/core/cluster/model';
import { inventory } from './fixtures';

/** A sink that records what it is told, in order. */
function recordingSink(): ClusterTokenSecretSink & { told: string[] } {
  const told: string[] = [];
  return {
    told,
    namespaceLoaded: (namespace: string, secrets: readonly TokenSecretEntry[]) =>
      told.push(`loaded ${namespace}: ${secrets.map((secret) => secret.name).join(', ')}`),
    namespaceForgotten: (namespace: string) => told.push(`forgotten ${namespace}`),
    cleared: () => told.push('cleared'),
  };
}

/** A kube module whose inventory listing answers only when `release` is called. */
function slowKube() {
  const pending: ((inventory: Inventory) => void)[] = [];
  const connection = {
    context: 'sa-demo',
    inventory: () => new Promise<Inventory>((resolve) => pending.push(resolve)),
  } as unknown as ClusterConnection;
  const kube: KubeEntryPoints = { connect: async () => connection, listContexts: () => [] };
  return { kube, release: () => pending.shift()?.(inventory) };
}

const settings = () => ({ kubeconfigPath: null, context: null, timeoutMs: 1000 });
const parseJwks = async () => [];
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("the inventory's token Secrets, names only, whatever their state", () => {
  assert.deepEqual(tokenSecretsOf(inventory), [
    { namespace: 'legacy-app', name: 'billing-token-x7k2p', serviceAccount: 'billing' },
    { namespace: 'legacy-app', name: 'billing-old', serviceAccount: 'billing' },
    { namespace: 'legacy-app', name: 'billing-pending', serviceAccount: 'billing' },
  ]);
});

test('a loaded namespace is published; an invalidated one forgotten; a reset clears', async () => {
  const { kube, release } = slowKube();
  const session = new ClusterSession(() => kube, settings, parseJwks);
  const sink = recordingSink();
  publishTokenSecrets(session, sink);
  const loading = session.namespaceInventory('legacy-app');
  await settle();
  release();
  await loading;
  await settle();
  session.invalidateNamespace('legacy-app');
  session.reset();
  assert.deepEqual(sink.told, [
    'loaded legacy-app: billing-token-x7k2p, billing-old, billing-pending',
    'forgotten legacy-app',
    'cleared',
  ]);
});

test('a listing that finishes after a reset is not published (it may be of another context)', async () => {
  const { kube, release } = slowKube();
  const session = new ClusterSession(() => kube, settings, parseJwks);
  const sink = recordingSink();
  publishTokenSecrets(session, sink);
  const stale = session.namespaceInventory('legacy-app');
  await settle();
  session.reset();
  release();
  await stale;
  await settle();
  assert.deepEqual(sink.told, ['cleared']);
});
