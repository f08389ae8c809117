// What `sa-token inventory` prints: the --json contract and the text tree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryJson, inventoryText } from '../../../src/cli/inventory';
import { DEFAULT_CLEAN_UP_PERIOD_DAYS } from '../../../src/core/cluster/judgements';
import type { Inventory } from '../../../src/core/cluster/model';
import { childrenOf } from '../../../src/features/cluster/nodes';
import { present } from '../../../src/features/cluster/present';
import { inventory as treeInventory, NOW } from '../features/cluster/fixtures';

const inventory: Inventory = {
  context: 'kind-dev',
  serviceAccounts: [
    {
      namespace: 'legacy-app',
      name: 'legacy-api',
      uid: 'u1',
      automountServiceAccountToken: null,
      tokenSecrets: [
        {
          namespace: 'legacy-app',
          name: 'legacy-api-token-x7k2p',
          serviceAccount: 'legacy-api',
          populated: true,
          createdAt: null,
          lastUsed: '2024-03-01',
          invalidSince: '2025-01-15',
        },
      ],
      secretsList: ['legacy-api-token-x7k2p', 'legacy-api-token-gone1'],
      missingSecrets: ['legacy-api-token-gone1'],
      imagePullSecrets: ['registry'],
      pods: [
        {
          name: 'api-0',
          automount: true,
          tokenSources: [
            {
              kind: 'env',
              secretName: 'legacy-api-token-x7k2p',
              key: 'token',
              containers: [{ name: 'api', env: 'KUBE_TOKEN' }],
            },
            {
              kind: 'projected',
              volume: 'kube-api-access-abcde',
              path: 'token',
              audience: null,
              expirationSeconds: 3607,
              containers: [{ name: 'api', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
            },
          ],
        },
      ],
    },
  ],
  staticPods: [],
  errors: [
    {
      resource: 'secrets',
      namespace: 'team-b',
      reason: 'forbidden: can list serviceaccounts and pods but not secrets in namespace team-b',
    },
  ],
};

describe('inventory renderings', () => {
  it('--json keeps exactly the contract keys', () => {
    const printed = inventoryJson(inventory);
    assert.deepEqual(printed.serviceAccounts[0].tokenSecrets, [
      {
        name: 'legacy-api-token-x7k2p',
        populated: true,
        lastUsed: '2024-03-01',
        invalidSince: '2025-01-15',
        // Invalidated, but a pod still reads it: the cleaner never deletes a Secret pods read.
        cleanup: { exempt: 'read-by-pods', invalidatedOnOrAfter: null, deletedOnOrAfter: null },
      },
    ]);
    assert.ok(!('missingSecrets' in printed.serviceAccounts[0]));
    assert.deepEqual(printed.errors, inventory.errors);
  });

  it('the text tree shows every token source, missing Secrets and what could not be listed', () => {
    assert.equal(
      inventoryText(inventory),
      [
        'context kind-dev',
        'legacy-app/legacy-api',
        // The tree's words; the tooltip's word on the cleaner follows (it never deletes a Secret pods read).
        '  token Secret legacy-api-token-x7k2p: invalidated 2025-01-15; the legacy token cleaner leaves it alone (pods read it)',
        '  .secrets: legacy-api-token-x7k2p, legacy-api-token-gone1 (missing)',
        '  imagePullSecrets: registry',
        '  pod api-0 (automount on)',
        '    env from Secret legacy-api-token-x7k2p key token → api:$KUBE_TOKEN',
        '    projected kube-api-access-abcde/token (audience API server, 1h 7s) → api:/var/run/secrets/kubernetes.io/serviceaccount',
        '',
        'incomplete:',
        '  forbidden: can list serviceaccounts and pods but not secrets in namespace team-b',
        '',
      ].join('\n'),
    );
  });
  it("says of each token Secret what the Clusters view's row says (one wording, from the core)", () => {
    const text = inventoryText(treeInventory, NOW);
    let checked = 0;
    for (const account of treeInventory.serviceAccounts)
      for (const node of childrenOf({ type: 'group', group: 'tokenSecrets', account }, treeInventory)) {
        const row = present(node, NOW, DEFAULT_CLEAN_UP_PERIOD_DAYS);
        assert.ok(text.includes(`  token Secret ${row.label}: ${row.description}`), `${row.description}\n${text}`);
        checked++;
      }
    assert.ok(checked >= 2, 'the fixture has token Secrets in more than one state');
  });
});
