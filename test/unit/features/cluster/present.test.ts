import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PodTokenSource } from '../../../../src/core/cluster/model';
import { childrenOf, type ClusterNode } from '../../../../src/features/cluster/nodes';
import { accountRisks, isCleanupCandidate, tokenSecretState } from '../../../../src/core/cluster/judgements';
import { present } from '../../../../src/features/cluster/present';
import { api, billing, inventory, NOW } from './fixtures';

const secretNodes = childrenOf({ type: 'group', group: 'tokenSecrets', account: billing }, inventory);
const view = (node: ClusterNode) => present(node, NOW);

test('a live legacy token Secret warns and explains why', () => {
  const live = view(secretNodes[0]);
  assert.equal(live.contextValue, 'tokenSecret');
  assert.deepEqual(live.icon, { id: 'warning', tone: 'warning' });
  assert.equal(live.description, 'never expires · last used 2025-05-31');
  assert.match(live.tooltip!, /Never expires: a legacy token/);
  assert.match(live.tooltip!, /Last used: 2025-05-31 \(label kubernetes.io\/legacy-token-last-used/);
  assert.match(live.tooltip!, /Created: 2025-05-30 12:00:00 UTC/);
  assert.match(live.tooltip!, /Read by pods: billing-7d9f, other-reader/);
});

test('invalidated and empty token Secrets', () => {
  const invalidated = view(secretNodes[1]);
  // Listed in .secrets? No (only billing-token-x7k2p is): the cleaner does not delete what it did not generate.
  assert.equal(invalidated.description, 'invalidated 2025-01-10');
  assert.equal(invalidated.icon.id, 'trash');
  assert.match(invalidated.tooltip!, /Invalidated: 2025-01-10 \(label kubernetes.io\/legacy-token-invalid-since/);
  const empty = view(secretNodes[2]);
  assert.equal(empty.contextValue, 'emptyTokenSecret', 'nothing to decode or copy yet');
  assert.equal(empty.description, 'empty: no token yet');
  assert.deepEqual(empty.icon, { id: 'key', tone: 'muted' });
});

test('token Secret descriptions: the state first, dates not ages, each part explained in the tooltip', () => {
  const [live] = secretNodes as Extract<ClusterNode, { type: 'tokenSecret' }>[];
  const node = (secret: Partial<typeof live.secret>, listedInSecrets = true, readers: string[] = []): ClusterNode => ({
    ...live,
    secret: { ...live.secret, ...secret },
    listedInSecrets,
    readers,
  });
  // Drawn today or a year from now, a row says the same true thing: no "2d" that silently becomes false.
  const later = new Date('2026-06-01T12:00:00Z');
  const neverUsed = node({ lastUsed: null, createdAt: '2025-05-30T12:00:00Z' }, false);
  assert.equal(present(neverUsed, NOW).description, 'never expires · created 2025-05-30');
  assert.match(present(neverUsed, NOW).tooltip!, /Last used: no record/);
  const stale = node({ lastUsed: '2025-01-01' }, false);
  assert.equal(present(stale, NOW).description, 'never expires · unused since 2025-01-01');
  assert.match(present(stale, NOW).tooltip!, /unused for 90\+ days/);
  // Listed in .secrets, read by no pod, unused for more than the clean-up period: the cleaner's next run takes it.
  const candidate = node({ lastUsed: '2024-01-01', createdAt: '2023-01-01T00:00:00Z' });
  assert.equal(present(candidate, NOW).description, 'cleanup candidate · unused since 2024-01-01');
  assert.match(present(candidate, NOW).tooltip!, /^Cleanup candidate: the legacy token cleaner invalidates it/m);
  assert.match(present(candidate, NOW).tooltip!, /invalidated on or after 2025-01-01, deleted on or after 2026-01-02/);
  const invalidated = node({ invalidSince: '2025-01-10' });
  assert.equal(present(invalidated, NOW).description, 'invalidated 2025-01-10 · deleted from 2026-01-11');
  assert.equal(present(invalidated, later).description, 'invalidated 2025-01-10 · deleted from 2026-01-11');
  // Every description stays short enough for a normal sidebar: the state word leads, one date follows.
  for (const secretNode of [neverUsed, stale, candidate, invalidated, ...secretNodes])
    assert.ok(present(secretNode, NOW).description!.length <= 48, present(secretNode, NOW).description);
});

test('token secret states and cleanup candidates', () => {
  const base = billing.tokenSecrets[0];
  assert.equal(tokenSecretState(base, NOW), 'legacy');
  const unusedForMonths = { ...base, lastUsed: '2025-01-01' };
  assert.equal(tokenSecretState(unusedForMonths, NOW), 'stale');
  const listed = { listedInSecrets: true, readBy: [] };
  // The cleaner's rules: a year unused (and old enough) before it is a candidate; 90 days is only "stale".
  assert.equal(isCleanupCandidate(unusedForMonths, listed, NOW), false);
  const unusedForYears = { ...base, lastUsed: '2023-01-01', createdAt: '2022-01-01T00:00:00Z' };
  assert.ok(isCleanupCandidate(unusedForYears, listed, NOW));
  const neverUsedButNew = { ...base, lastUsed: null, createdAt: '2025-05-20T00:00:00Z' };
  assert.equal(isCleanupCandidate(neverUsedButNew, listed, NOW), false);
});

test('service account summary and risks', () => {
  const node = view({ type: 'serviceAccount', account: billing });
  assert.equal(node.contextValue, 'serviceAccount');
  assert.equal(node.description, '3 token secrets · 1 pod');
  assert.equal(node.icon.tone, 'warning');
  assert.deepEqual(accountRisks(billing), [
    '⚠ 1 legacy non-expiring token in Secrets',
    '⚠ .secrets names missing Secrets: billing-token-gone',
    '⚠ pods reading token Secrets: billing-7d9f',
  ]);
  const quiet = view({ type: 'serviceAccount', account: { ...api, pods: [api.pods[0]] } });
  assert.equal(quiet.icon.tone, undefined);
  assert.equal(quiet.description, '1 pod · automount off');
});

test('pods, token sources and containers', () => {
  const [podNode] = childrenOf({ type: 'group', group: 'pods', account: billing }, inventory);
  const pod = view(podNode);
  assert.equal(pod.description, 'automount on · 3 token sources');
  assert.equal(pod.icon.id, 'warning');
  const [env, volume, projected] = childrenOf(podNode, inventory).map(view);
  assert.equal(env.label, 'env ← billing-token-x7k2p');
  assert.equal(env.contextValue, 'secretRead');
  assert.match(env.tooltip!, /legacy non-expiring token via env from Secret billing-token-x7k2p \(key token\)/);
  assert.equal(volume.description, 'secret volume · billing-token-x7k2p');
  assert.equal(projected.description, 'projected · token · aud API server (default) · 1h 7s');
  assert.match(projected.tooltip!, /injected by ServiceAccount admission/);
  const custom: PodTokenSource = api.pods[0].tokenSources[0];
  assert.equal(
    view({ type: 'tokenSource', namespace: 'x', pod: 'api-0', source: custom }).description,
    'projected · vault · aud vault · 10m',
  );
  const container = view({ type: 'container', namespace: 'x', pod: 'p', use: { name: 'app', env: 'API_TOKEN' } });
  assert.equal(container.description, 'env API_TOKEN');
});

test('missing .secrets entries and forbidden resources', () => {
  const missing = view({
    type: 'secretRef',
    namespace: 'legacy-app',
    serviceAccount: 'reporter',
    name: 'gone',
    list: 'secrets',
    missing: true,
  });
  assert.equal(missing.contextValue, 'missingSecret');
  assert.equal(missing.icon.tone, 'error');
  const forbidden = view({ type: 'forbidden', error: inventory.errors[0] });
  assert.equal(forbidden.contextValue, 'forbidden');
  assert.equal(forbidden.label, 'forbidden: can list serviceaccounts but not secrets in namespace legacy-app');
});

test('problems have their own icon and roll up to the namespace row (issue 18: icons and roll-ups)', () => {
  assert.ok(accountRisks(billing).length > 0);
  assert.deepEqual(view({ type: 'serviceAccount', account: billing }).icon, { id: 'warning', tone: 'warning' });
  const namespace: ClusterNode = { type: 'namespace', namespace: 'payments' };
  assert.equal(present(namespace, NOW, undefined, 2).description, '2 service accounts to review');
  assert.equal(present(namespace, NOW, undefined, 0).description, undefined);
  assert.equal(present(namespace, NOW).description, undefined, 'not loaded: nothing claimed');
});
