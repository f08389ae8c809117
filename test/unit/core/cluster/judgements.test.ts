// The cluster judgements the tree and `sa-token inventory` share (present.test.ts checks how the tree shows them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCleanupCandidate, isRiskyRead, STALE_DAYS, tokenSecretState } from '../../../../src/core/cluster/judgements';
import type { TokenSecretInfo } from '../../../../src/core/cluster/model';
import { inventoryText } from '../../../../src/cli/inventory';

const NOW = new Date('2025-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString().slice(0, 10);
const secret = (overrides: Partial<TokenSecretInfo>): TokenSecretInfo => ({
  namespace: 'ns',
  name: 'app-token',
  serviceAccount: 'app',
  populated: true,
  createdAt: null,
  lastUsed: daysAgo(1),
  invalidSince: null,
  ...overrides,
});

test('stale from STALE_DAYS unused on, by last use or else by creation', () => {
  assert.equal(tokenSecretState(secret({ lastUsed: daysAgo(STALE_DAYS - 1) }), NOW), 'legacy');
  assert.equal(tokenSecretState(secret({ lastUsed: daysAgo(STALE_DAYS) }), NOW), 'stale');
  assert.equal(tokenSecretState(secret({ lastUsed: null, createdAt: daysAgo(STALE_DAYS) }), NOW), 'stale');
  assert.equal(tokenSecretState(secret({ lastUsed: null, createdAt: null }), NOW), 'legacy', 'no date proves nothing');
  assert.equal(tokenSecretState(secret({ populated: false, lastUsed: daysAgo(400) }), NOW), 'empty');
  assert.equal(isCleanupCandidate(secret({ populated: false, lastUsed: daysAgo(400) }), NOW), false);
});

test('only Secret reads are risky; a projected token is not', () => {
  assert.equal(isRiskyRead({ kind: 'env', secretName: 's', key: null, containers: [] }), true);
  assert.equal(isRiskyRead({ kind: 'secret-volume', volume: 'v', secretName: 's', containers: [] }), true);
  assert.equal(
    isRiskyRead({
      kind: 'projected',
      volume: 'v',
      path: 'token',
      audience: null,
      expirationSeconds: null,
      containers: [],
    }),
    false,
  );
});

test('sa-token inventory calls a stale token Secret a cleanup candidate, as the tree does', () => {
  const stale = secret({ lastUsed: daysAgo(200) });
  const account = {
    namespace: 'ns',
    name: 'app',
    uid: 'u',
    automountServiceAccountToken: null,
    tokenSecrets: [stale],
    secretsList: [],
    missingSecrets: [],
    imagePullSecrets: [],
    pods: [],
  };
  const text = inventoryText({ context: 'c', serviceAccounts: [account], staticPods: [], errors: [] }, NOW);
  assert.match(
    text,
    new RegExp(
      `token Secret app-token: legacy non-expiring token, last used ${stale.lastUsed} \\(cleanup candidate\\)`,
    ),
  );
  const fresh = inventoryText(
    { context: 'c', serviceAccounts: [{ ...account, tokenSecrets: [secret({})] }], staticPods: [], errors: [] },
    NOW,
  );
  assert.doesNotMatch(fresh, /cleanup candidate/);
});
