import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leanPod, leanServiceAccount, leanTokenSecret } from '../../../../src/core/cluster/lean';
import { kubeApiAccessVolume, pod, serviceAccount, tokenSecret } from '../../kube/fixtures';

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

  it('counts ephemeral containers (kubectl debug) that read a token Secret or mount a token, after the others', () => {
    const lean = leanPod(
      pod('ns', 'p', {
        volumes: [kubeApiAccessVolume],
        containers: [{ name: 'app' }],
        ephemeralContainers: [
          {
            name: 'debugger',
            volumeMounts: [
              { name: kubeApiAccessVolume.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount/' },
            ],
            env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'legacy-token', key: 'token' } } }],
          },
        ],
        initContainers: [
          {
            name: 'init',
            volumeMounts: [
              { name: kubeApiAccessVolume.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(
      lean?.sources.map((source) => source.containers),
      [
        [
          { name: 'init', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
          { name: 'debugger', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
        ],
        [{ name: 'debugger', env: 'TOKEN' }],
      ],
    );
  });

  it('defaults the service account of a pod to "default"', () => {
    assert.equal(leanPod(pod('ns', 'p', { containers: [{ name: 'c' }] }))?.serviceAccount, 'default');
  });
});
