import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterConnection, KubeEntryPoints } from '../../../../src/features/cluster/kubeApi';
import { ClusterSession, JWKS_FORBIDDEN } from '../../../../src/features/cluster/session';
import { inventory } from './fixtures';

/** A kube module whose connection counts calls and can be told to fail. */
function fakeKube(overrides: Partial<ClusterConnection> = {}) {
  const calls = {
    connect: 0,
    listNamespaces: 0,
    inventory: 0,
    fetchIssuerKeys: 0,
    contexts: [] as (string | undefined)[],
  };
  let failNext = false;
  const connection = {
    context: 'sa-demo',
    server: 'https://127.0.0.1:6443',
    namespaceChoice: async () => {
      calls.listNamespaces++;
      if (failNext) {
        failNext = false;
        throw new Error('cannot reach https://127.0.0.1:6443 (connection refused)');
      }
      return { names: ['default', 'legacy-app'] };
    },
    inventory: async () => {
      calls.inventory++;
      return inventory;
    },
    fetchIssuerKeys: async () => {
      calls.fetchIssuerKeys++;
      return { jwks: { keys: [{ kid: 'k1' }] }, issuer: 'https://kubernetes.default.svc.cluster.local' };
    },
    ...overrides,
  } as unknown as ClusterConnection;
  const kube: KubeEntryPoints = {
    connect: async (options) => {
      calls.connect++;
      calls.contexts.push(options.context);
      return connection;
    },
    listContexts: () => [{ name: 'sa-demo', cluster: 'c', user: 'u', current: true }],
  };
  return { kube, calls, failOnce: () => (failNext = true) };
}

const settings = () => ({ kubeconfigPath: null, context: null, timeoutMs: 1000 });
const parseJwks = async (jwks: string, label: string) => [{ jwks: JSON.parse(jwks) as unknown, label }];

test('connects once and caches namespaces and inventories until reset', async () => {
  const { kube, calls } = fakeKube();
  const session = new ClusterSession(() => kube, settings, parseJwks);
  assert.equal(session.current, undefined);
  assert.deepEqual(await session.namespaces(), ['default', 'legacy-app']);
  await session.namespaces();
  await session.namespaceInventory('legacy-app');
  await session.namespaceInventory('legacy-app');
  assert.deepEqual([calls.connect, calls.listNamespaces, calls.inventory], [1, 1, 1]);
  assert.equal(session.loadedInventory('legacy-app'), inventory);
  session.invalidateNamespace('legacy-app');
  assert.equal(session.loadedInventory('legacy-app'), undefined);
  await session.namespaceInventory('legacy-app');
  assert.equal(calls.inventory, 2);
  session.reset();
  await session.namespaces();
  assert.deepEqual([calls.connect, calls.listNamespaces], [2, 2]);
});

test('a failed load is not cached: the next call retries', async () => {
  const { kube, calls, failOnce } = fakeKube();
  const session = new ClusterSession(() => kube, settings, parseJwks);
  failOnce();
  await assert.rejects(session.namespaces(), /connection refused/);
  assert.deepEqual(await session.namespaces(), ['default', 'legacy-app']);
  assert.equal(calls.listNamespaces, 2);
});

test('switching context reconnects with the picked context', async () => {
  const { kube, calls } = fakeKube();
  const session = new ClusterSession(
    () => kube,
    () => ({ ...settings(), context: 'from-settings' }),
    parseJwks,
  );
  await session.connection();
  session.switchContext('sa-demo-restricted');
  await session.connection();
  assert.deepEqual(calls.contexts, ['from-settings', 'sa-demo-restricted']);
});

test('another kubeconfig file forgets the context picked for the previous one (issue 18 item 6)', async () => {
  const { kube, calls } = fakeKube();
  let kubeconfigPath = '/home/me/.kube/first';
  const session = new ClusterSession(
    () => kube,
    () => ({ ...settings(), kubeconfigPath }),
    parseJwks,
  );
  session.switchContext('only-in-first');
  await session.connection();
  // What Pick Kubeconfig File does: a new path in the settings, then a reset.
  kubeconfigPath = '/home/me/.kube/second';
  session.reset();
  assert.equal(session.contextChoice(), undefined, "the new file's current-context applies");
  await session.connection();
  assert.deepEqual(calls.contexts, ['only-in-first', undefined]);
});

test('issuer keys: never connect, fetched once per connection, 403 reported as forbidden', async () => {
  const { kube, calls } = fakeKube();
  const session = new ClusterSession(() => kube, settings, parseJwks);
  assert.equal(session.clusterKeys(), undefined, 'no connection, no fetch');
  assert.equal(calls.connect, 0);
  await session.connection();
  const keys = await session.clusterKeys();
  assert.deepEqual(keys, { context: 'sa-demo', keys: [{ jwks: { keys: [{ kid: 'k1' }] }, label: 'cluster sa-demo' }] });
  await session.clusterKeys();
  assert.equal(calls.fetchIssuerKeys, 1);

  const forbidden = fakeKube({ fetchIssuerKeys: async () => ({ forbidden: true }) });
  const viewer = new ClusterSession(() => forbidden.kube, settings, parseJwks);
  await viewer.connection();
  assert.deepEqual(await viewer.clusterKeys(), { context: 'sa-demo', unavailable: JWKS_FORBIDDEN });
});

test('RBAC lists: fetched on first use only, shared until Refresh, a failed fetch not kept', async () => {
  let snapshots = 0;
  let failNext = false;
  const { kube } = fakeKube({
    rbacSnapshot: async () => {
      snapshots++;
      if (failNext) {
        failNext = false;
        throw new Error('cannot reach https://127.0.0.1:6443 (connection refused)');
      }
      return {
        objects: { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] },
        serviceAccounts: [{ namespace: 'legacy-app', name: 'reporter' }],
        errors: [],
      };
    },
  });
  const session = new ClusterSession(() => kube, settings, parseJwks);
  await session.namespaces();
  await session.namespaceInventory('legacy-app');
  assert.equal(snapshots, 0, 'the tree alone lists no RBAC object');
  const [first, second] = await Promise.all([session.rbac(), session.rbac()]);
  assert.equal(first, second);
  assert.equal((await session.rbac()).index, first.index, 'one index for every Permissions node and command');
  assert.equal(snapshots, 1);
  session.reset();
  failNext = true;
  await assert.rejects(session.rbac(), /connection refused/);
  assert.deepEqual((await session.rbac()).serviceAccounts, [{ namespace: 'legacy-app', name: 'reporter' }]);
  assert.equal(snapshots, 3);
});
