// NamespaceWatches with a fake connection: what it starts, how it batches redraws and what it reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { ClusterConnection } from '../../../../src/features/cluster/kubeApi';
import { MAX_WATCHED_NAMESPACES, NamespaceWatches, REDRAW_DELAY_MS } from '../../../../src/features/cluster/watches';
import type { WatchOptions, WatchedResource } from '../../../../src/kube/index';

type AnyWatch = WatchOptions<WatchedResource> & { resource: WatchedResource };

/** A connection whose watches are recorded; `refuse` makes a resource's start fail with that error kind. */
function fakeConnection(refuse: Partial<Record<WatchedResource, string>> = {}) {
  const watches: AnyWatch[] = [];
  const connection = {
    watch: async (resource: WatchedResource, options: WatchOptions<WatchedResource>) => {
      const kind = refuse[resource];
      if (kind) throw Object.assign(new Error(`${kind}: cannot list ${resource}`), { name: 'ClusterError', kind });
      watches.push({ ...options, resource });
    },
  } as unknown as ClusterConnection;
  return { connection, watches };
}

function harness() {
  const invalidated: string[] = [];
  const redraws: string[][] = [];
  const problems: string[] = [];
  const watches = new NamespaceWatches(
    (namespace) => invalidated.push(namespace),
    () => ({ changed: (namespaces) => redraws.push(namespaces), problem: (message) => problems.push(message) }),
  );
  return { watches, invalidated, redraws, problems };
}

test('three watches per namespace, started once; changes in two namespaces become one redraw after the delay', async () => {
  const { watches, invalidated, redraws } = harness();
  const fake = fakeConnection();
  await watches.watch(fake.connection, 'a');
  await watches.watch(fake.connection, 'a');
  await watches.watch(fake.connection, 'b');
  assert.deepEqual(
    fake.watches.map((watch) => `${watch.namespace}/${watch.resource}`),
    ['a/serviceaccounts', 'a/secrets', 'a/pods', 'b/serviceaccounts', 'b/secrets', 'b/pods'],
  );
  fake.watches[0].onEvent('ADDED', {} as never);
  fake.watches[5].onEvent('DELETED', {} as never);
  fake.watches[2].onResync?.();
  assert.deepEqual(invalidated, [], 'nothing dropped before the delay');
  await delay(REDRAW_DELAY_MS + 100);
  assert.deepEqual(invalidated, ['a', 'b']);
  assert.deepEqual(redraws, [['a', 'b']]);
  watches.stopAll();
  assert.ok(
    fake.watches.every((watch) => watch.signal.aborted),
    'stopAll aborts every watch',
  );
});

test('forbidden starts are silent (the inventory shows them); other start failures and stopped watches are reported', async () => {
  const { watches, problems } = harness();
  const fake = fakeConnection({ secrets: 'forbidden', pods: 'timeout' });
  await watches.watch(fake.connection, 'team');
  assert.deepEqual(problems, ['not watching pods in namespace team: timeout: cannot list pods; press Refresh']);
  fake.watches[0].onClose({ kind: 'stopped', message: 'watch stopped: connection reset' });
  fake.watches[0].onClose({ kind: 'cancelled' });
  assert.equal(problems.length, 2);
  assert.equal(watches.problem, 'watch stopped: connection reset; press Refresh');
  watches.stopAll();
  assert.equal(watches.problem, undefined);
});

test('after stopAll, late events and closes of the old watches are ignored', async () => {
  const { watches, redraws, problems } = harness();
  const fake = fakeConnection();
  await watches.watch(fake.connection, 'a');
  watches.stopAll();
  fake.watches[0].onEvent('ADDED', {} as never);
  fake.watches[1].onClose({ kind: 'stopped', message: 'watch stopped: late' });
  await delay(REDRAW_DELAY_MS + 100);
  assert.deepEqual([redraws, problems], [[], []]);
});

test(`at most ${MAX_WATCHED_NAMESPACES} namespaces are watched; beyond that the view says Refresh updates them`, async () => {
  const { watches, problems } = harness();
  const fake = fakeConnection();
  for (let index = 0; index <= MAX_WATCHED_NAMESPACES; index++) await watches.watch(fake.connection, `ns-${index}`);
  assert.equal(fake.watches.length, 3 * MAX_WATCHED_NAMESPACES);
  assert.deepEqual(problems, [
    `watching the first ${MAX_WATCHED_NAMESPACES} namespaces loaded only; press Refresh to update ns-${MAX_WATCHED_NAMESPACES}`,
  ]);
  watches.stopAll();
});
