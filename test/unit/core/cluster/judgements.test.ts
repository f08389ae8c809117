// The cluster judgements the tree and `sa-token inventory` share (present.test.ts checks how the tree shows them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeCleanup,
  isCleanupCandidate,
  isRiskyRead,
  legacyCleanup,
  STALE_DAYS,
  tokenSecretState,
} from '../../../../src/core/cluster/judgements';
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
  const listed = { listedInSecrets: true, readBy: [] };
  assert.equal(isCleanupCandidate(secret({ populated: false, lastUsed: daysAgo(400) }), listed, NOW), false);
});

test('the legacy token cleaner rules: listed in .secrets, read by no pod, unused and created a period ago', () => {
  // legacy_serviceaccount_token_cleaner.go evaluateSATokens, with the default one-year period.
  const listed = { listedInSecrets: true, readBy: [] };
  const old = secret({ createdAt: '2023-01-01T00:00:00Z', lastUsed: '2024-05-31', invalidSince: null });
  assert.deepEqual(legacyCleanup(old, listed, 365), {
    exempt: null,
    invalidated: null,
    invalidatedOnOrAfter: '2025-06-01',
    deletedOnOrAfter: '2026-06-02',
  });
  assert.equal(isCleanupCandidate(old, listed, NOW), true, 'lastUsed < format(now - period)');
  assert.equal(isCleanupCandidate({ ...old, lastUsed: '2024-06-01' }, listed, NOW), false, 'used on the boundary day');
  assert.equal(isCleanupCandidate(old, { listedInSecrets: false, readBy: [] }, NOW), false, 'not auto-generated');
  assert.equal(isCleanupCandidate(old, { listedInSecrets: true, readBy: ['api-0'] }, NOW), false, 'mounted');
  assert.equal(isCleanupCandidate(old, listed, NOW, 400), false, 'a longer clean-up period');
  const invalidated = { ...old, invalidSince: '2025-03-02' };
  assert.equal(
    describeCleanup(legacyCleanup(invalidated, listed, 365)),
    'invalidated 2025-03-02, deleted on or after 2026-03-03',
  );
  assert.equal(
    describeCleanup(legacyCleanup(old, { listedInSecrets: false, readBy: [] }, 365)),
    'the legacy token cleaner leaves it alone (not listed in its ServiceAccount’s .secrets)',
  );
});

test("the cleaner waits for tracking to have run a whole period (the tracking ConfigMap's since)", () => {
  // evaluateSATokens: nothing while now < since + 1 day + period; otherwise the same rules.
  const old = secret({ createdAt: '2023-01-01T00:00:00Z', lastUsed: null, invalidSince: null });
  const usage = (trackedSince: string | null) => ({ listedInSecrets: true, readBy: [], trackedSince });
  assert.equal(legacyCleanup(old, usage(null), 365).invalidatedOnOrAfter, '2024-01-02');
  assert.equal(legacyCleanup(old, usage('2024-09-10'), 365).invalidatedOnOrAfter, '2025-09-11');
  assert.equal(legacyCleanup(old, usage('2024-09-10'), 365).deletedOnOrAfter, '2026-09-12');
  assert.equal(isCleanupCandidate(old, usage('2025-01-01'), NOW), false, 'tracking too recent');
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

test('sa-token inventory calls a token Secret the cleaner would invalidate a cleanup candidate, with the dates', () => {
  const stale = secret({ lastUsed: daysAgo(400), createdAt: '2020-01-01T00:00:00Z' });
  const account = {
    namespace: 'ns',
    name: 'app',
    uid: 'u',
    automountServiceAccountToken: null,
    tokenSecrets: [stale],
    secretsList: ['app-token'],
    missingSecrets: [],
    imagePullSecrets: [],
    pods: [],
  };
  const text = inventoryText({ context: 'c', serviceAccounts: [account], staticPods: [], errors: [] }, NOW);
  assert.match(
    text,
    new RegExp(
      `token Secret app-token: cleanup candidate · unused since ${stale.lastUsed}; invalidated on or after \\d{4}-\\d\\d-\\d\\d, deleted on or after \\d{4}-\\d\\d-\\d\\d\n`,
    ),
  );
  const fresh = inventoryText(
    { context: 'c', serviceAccounts: [{ ...account, tokenSecrets: [secret({})] }], staticPods: [], errors: [] },
    NOW,
  );
  assert.doesNotMatch(fresh, /cleanup candidate/);
});
