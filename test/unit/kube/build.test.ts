import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInventory } from '../../../src/kube/build';
import { leanPod, leanServiceAccount, leanTokenSecret, type LeanPod } from '../../../src/kube/lean';
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

describe('lean reduction of API objects', () => {
  it('keeps only model fields of a service account', () => {
    const lean = leanServiceAccount(
      serviceAccount('team-a', 'builder', {
        automountServiceAccountToken: false,
        secrets: [{ name: 'builder-token-abcde' }],
        imagePullSecrets: [{ name: 'registry' }],
      }),
    );
    assert.deepEqual(lean, {
      namespace: 'team-a',
      name: 'builder',
      uid: 'uid-team-a-builder',
      automountServiceAccountToken: false,
      secrets: ['builder-token-abcde'],
      imagePullSecrets: ['registry'],
    });
  });

  it('reduces a token Secret to whether data.token exists, never its value', () => {
    const lean = leanTokenSecret(
      tokenSecret('team-a', 'builder-token-abcde', 'builder', {
        labels: { 'kubernetes.io/legacy-token-last-used': '2024-05-01' },
      }),
    );
    assert.deepEqual(lean, {
      namespace: 'team-a',
      name: 'builder-token-abcde',
      serviceAccount: 'builder',
      populated: true,
      createdAt: '2024-02-01T00:00:00Z',
      lastUsed: '2024-05-01',
      invalidSince: null,
    });
    assert.ok(!JSON.stringify(lean).includes('ZXlK'));
    assert.equal(leanTokenSecret(tokenSecret('team-a', 'empty', 'builder', { populated: false }))?.populated, false);
  });

  it('reads a metadata-only token Secret (PartialObjectMetadata): populated by the uid annotation', () => {
    // tokens_controller.go generateTokenIfNeeded writes data.token and the uid annotation in one update.
    const partial = (annotations: Record<string, string>) => ({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {
        name: 'builder-token-abcde',
        namespace: 'team-a',
        creationTimestamp: '2024-02-01T00:00:00Z',
        annotations,
      },
    });
    const filled = leanTokenSecret(
      partial({ 'kubernetes.io/service-account.name': 'builder', 'kubernetes.io/service-account.uid': 'u-1' }),
    );
    assert.equal(filled?.populated, true);
    assert.equal(filled?.serviceAccount, 'builder');
    assert.equal(leanTokenSecret(partial({ 'kubernetes.io/service-account.name': 'builder' }))?.populated, false);
    // managedFields, when present, say who wrote data.token: a creator's uid annotation alone proves nothing.
    const withFields = (managedFields: object[]) => {
      const item = partial({ 'kubernetes.io/service-account.name': 'b', 'kubernetes.io/service-account.uid': 'u-1' });
      return { ...item, metadata: { ...item.metadata, managedFields } };
    };
    const created = { manager: 'sa-token-inspector', operation: 'Create', fieldsV1: { 'f:type': {} } };
    const filler = {
      manager: 'kube-controller-manager',
      operation: 'Update',
      fieldsV1: { 'f:data': { 'f:token': {} } },
    };
    assert.equal(leanTokenSecret(withFields([created]))?.populated, false);
    assert.equal(leanTokenSecret(withFields([created, filler]))?.populated, true);
    // No `type` in metadata: a Secret without the annotation every token Secret must carry is not one.
    assert.equal(leanTokenSecret(partial({})), null);
  });

  it('ignores Secrets of other types (a server that ignores the field selector)', () => {
    assert.equal(leanTokenSecret({ ...tokenSecret('a', 'b', 'c'), type: 'Opaque' }), null);
  });

  it('rejects objects without a name instead of throwing', () => {
    for (const junk of [null, 42, 'x', [], {}, { metadata: {} }, { metadata: { name: 7 } }]) {
      assert.equal(leanServiceAccount(junk), null);
      assert.equal(leanTokenSecret(junk), null);
      assert.equal(leanPod(junk), null);
    }
  });

  it('finds the admission-injected projected token and which containers mount it', () => {
    const lean = leanPod(
      pod('team-a', 'web', {
        serviceAccountName: 'web',
        volumes: [kubeApiAccessVolume],
        initContainers: [
          {
            name: 'init',
            volumeMounts: [
              { name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
            ],
          },
        ],
        containers: [
          {
            name: 'app',
            volumeMounts: [
              {
                name: 'kube-api-access-x7k2p',
                mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
                readOnly: true,
              },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(lean?.sources, [
      {
        kind: 'projected',
        volume: 'kube-api-access-x7k2p',
        path: 'token',
        audience: null,
        expirationSeconds: 3607,
        containers: [
          { name: 'init', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
          { name: 'app', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
        ],
      },
    ]);
  });

  it('finds custom-audience projections, secret volumes, env and envFrom reads', () => {
    const lean = leanPod(
      pod('team-a', 'legacy', {
        serviceAccountName: 'legacy',
        automountServiceAccountToken: false,
        volumes: [
          {
            name: 'vault',
            projected: {
              sources: [{ serviceAccountToken: { path: 'vault-token', audience: 'vault', expirationSeconds: 600 } }],
            },
          },
          { name: 'sa-token', secret: { secretName: 'legacy-token-abcde' } },
        ],
        containers: [
          {
            name: 'app',
            volumeMounts: [
              { name: 'vault', mountPath: '/vault' },
              { name: 'sa-token', mountPath: '/token' },
            ],
            env: [
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'legacy-token-abcde', key: 'token' } } },
              { name: 'PLAIN', value: 'x' },
            ],
          },
          {
            name: 'sidecar',
            env: [{ name: 'K8S_TOKEN', valueFrom: { secretKeyRef: { name: 'legacy-token-abcde', key: 'token' } } }],
            envFrom: [{ prefix: 'SA_', secretRef: { name: 'legacy-token-abcde' } }],
          },
        ],
      }),
    );
    assert.equal(lean?.automount, false);
    assert.deepEqual(lean?.sources, [
      {
        kind: 'projected',
        volume: 'vault',
        path: 'vault-token',
        audience: 'vault',
        expirationSeconds: 600,
        containers: [{ name: 'app', mountPath: '/vault' }],
      },
      {
        kind: 'secret-volume',
        volume: 'sa-token',
        secretName: 'legacy-token-abcde',
        containers: [{ name: 'app', mountPath: '/token' }],
      },
      {
        kind: 'env',
        secretName: 'legacy-token-abcde',
        key: 'token',
        containers: [
          { name: 'app', env: 'TOKEN' },
          { name: 'sidecar', env: 'K8S_TOKEN' },
        ],
      },
      { kind: 'env', secretName: 'legacy-token-abcde', key: null, containers: [{ name: 'sidecar', env: 'SA_*' }] },
    ]);
  });

  it('defaults the service account of a pod to "default"', () => {
    assert.equal(leanPod(pod('ns', 'p', { containers: [{ name: 'c' }] }))?.serviceAccount, 'default');
  });
});

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
