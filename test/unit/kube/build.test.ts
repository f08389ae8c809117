import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInventory } from '../../../src/kube/build';
import { leanPod, leanServiceAccount, leanTokenSecret, type LeanPod } from '../../../src/core/cluster/lean';
import type { TokenSecretInfo } from '../../../src/core/cluster/model';
import { kubeApiAccessVolume, pod, serviceAccount, tokenSecret } from './fixtures';

const present = <T>(value: T | null): value is T => value !== null;

function inventoryOf(items: { accounts: unknown[]; secrets: unknown[]; pods: unknown[] }, secretsKnown = true) {
  return buildInventory(
    'ctx',
    {
      serviceAccounts: items.accounts.map(leanServiceAccount).filter(present),
      tokenSecrets: items.secrets.map(leanTokenSecret).filter(present) as TokenSecretInfo[],
      pods: items.pods.map(leanPod).filter(present) as LeanPod[],
      secretsKnownIn: () => secretsKnown,
    },
    [],
  );
}

describe('buildInventory', () => {
  const accounts = [
    serviceAccount('team-b', 'default'),
    serviceAccount('team-a', 'legacy', {
      secrets: [{ name: 'legacy-token-abcde' }, { name: 'legacy-token-gone1' }],
      automountServiceAccountToken: false,
    }),
    serviceAccount('team-a', 'default'),
  ];
  const secrets = [
    tokenSecret('team-a', 'legacy-token-abcde', 'legacy', {
      labels: { 'kubernetes.io/legacy-token-invalid-since': '2024-06-01' },
    }),
    tokenSecret('team-a', 'orphan-token-zzzzz', 'deleted-sa', { populated: false }),
  ];
  const pods = [
    pod('team-a', 'reader', {
      serviceAccountName: 'legacy',
      volumes: [
        { name: 'token', secret: { secretName: 'legacy-token-abcde' } },
        { name: 'config', secret: { secretName: 'app-config' } },
      ],
      containers: [
        {
          name: 'app',
          volumeMounts: [
            { name: 'token', mountPath: '/t' },
            { name: 'config', mountPath: '/c' },
          ],
        },
      ],
    }),
    pod('team-a', 'mounts-again', {
      serviceAccountName: 'legacy',
      automountServiceAccountToken: true,
      volumes: [kubeApiAccessVolume],
      containers: [{ name: 'app' }],
    }),
    pod('team-a', 'a-default', { containers: [{ name: 'app' }] }),
  ];

  it('attaches token Secrets and pods to their service accounts, sorted', () => {
    const inventory = inventoryOf({ accounts, secrets, pods });
    assert.deepEqual(
      inventory.serviceAccounts.map((account) => `${account.namespace}/${account.name}`),
      ['team-a/default', 'team-a/deleted-sa', 'team-a/legacy', 'team-b/default'],
    );
    const legacy = inventory.serviceAccounts.find((account) => account.name === 'legacy');
    assert.deepEqual(
      legacy?.tokenSecrets.map((secret) => [secret.name, secret.invalidSince]),
      [['legacy-token-abcde', '2024-06-01']],
    );
    assert.deepEqual(legacy?.missingSecrets, ['legacy-token-gone1']);
    assert.deepEqual(
      legacy?.pods.map((p) => p.name),
      ['mounts-again', 'reader'],
    );
    assert.equal(inventory.serviceAccounts[0].pods[0].name, 'a-default');
  });

  it('computes effective automount: pod over service account over the default true', () => {
    const inventory = inventoryOf({ accounts, secrets, pods });
    const automount = Object.fromEntries(
      inventory.serviceAccounts.flatMap((account) => account.pods.map((p) => [p.name, p.automount])),
    );
    assert.deepEqual(automount, { reader: false, 'mounts-again': true, 'a-default': true });
  });

  it('keeps reads of token Secrets only, not of other Secrets', () => {
    const reader = inventoryOf({ accounts, secrets, pods })
      .serviceAccounts.flatMap((a) => a.pods)
      .find((p) => p.name === 'reader');
    assert.deepEqual(
      reader?.tokenSources.map((source) => source.kind === 'secret-volume' && source.secretName),
      ['legacy-token-abcde'],
    );
  });

  it('keeps an orphaned token Secret visible under a placeholder service account', () => {
    const orphan = inventoryOf({ accounts, secrets, pods }).serviceAccounts.find(
      (account) => account.name === 'deleted-sa',
    );
    assert.equal(orphan?.uid, '');
    assert.deepEqual(
      orphan?.tokenSecrets.map((secret) => [secret.name, secret.populated]),
      [['orphan-token-zzzzz', false]],
    );
  });

  it('does not claim Secrets are missing where Secrets could not be listed', () => {
    const legacy = inventoryOf({ accounts, secrets: [], pods }, false).serviceAccounts.find(
      (account) => account.name === 'legacy',
    );
    assert.deepEqual(legacy?.missingSecrets, []);
  });

  it('shows a mirror (static) pod as a static pod with no token, not under <ns>/default with automount on', () => {
    // The kubelet's mirror pod: no serviceAccountName (ServiceAccount admission skips mirror pods), the mirror annotation.
    const mirror = pod('kube-system', 'kube-apiserver-node-1', { containers: [{ name: 'kube-apiserver' }] });
    (mirror.metadata as Record<string, unknown>).annotations = { 'kubernetes.io/config.mirror': 'b5f0a7e1' };
    const inventory = inventoryOf({ accounts: [], secrets: [], pods: [mirror] });
    assert.deepEqual(inventory.staticPods, [{ namespace: 'kube-system', name: 'kube-apiserver-node-1' }]);
    assert.deepEqual(inventory.serviceAccounts, [], 'not attributed to kube-system/default');
  });
});
