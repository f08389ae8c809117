// Pod admission and defaulting as kube-apiserver does them, checked through the real kubectl (v1.32): the
// ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go), volume defaults
// (pkg/apis/core/v1/defaults.go) and projected token validation (pkg/apis/core/validation/validation.go).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { startLocalCluster, type LocalCluster } from '../index';
import { apiRequest, kubectl } from '../../kubectl';

let cluster: LocalCluster;
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);

interface PodJson {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    serviceAccountName?: string;
    imagePullSecrets?: { name: string }[];
    volumes?: {
      name: string;
      projected?: { defaultMode?: number; sources: { serviceAccountToken?: { expirationSeconds?: number } }[] };
      secret?: { defaultMode?: number };
    }[];
    containers: { volumeMounts?: { name: string; mountPath: string }[] }[];
  };
}

async function create(pod: Record<string, unknown>) {
  return run(
    ['create', '-n', 'default', '-f', '-', '-o', 'json'],
    stringify({ apiVersion: 'v1', kind: 'Pod', ...pod }),
  );
}

async function created(pod: Record<string, unknown>): Promise<PodJson> {
  const result = await create(pod);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as PodJson;
}

const containers = [{ name: 'main', image: 'busybox:1.36' }];

before(async () => {
  cluster = await startLocalCluster({ data: 'demo' });
});
after(() => cluster.stop());

describe('ServiceAccount admission and pod defaults', () => {
  it('a mirror pod gets no service account, no token volume; one that names a service account is forbidden', async () => {
    // admission.go Admit: mirror pods are not modified; Validate forbids service accounts, Secrets, token projections.
    const mirror = await created({
      metadata: { name: 'static-web-node-1', annotations: { 'kubernetes.io/config.mirror': 'abc123' } },
      spec: { containers },
    });
    assert.equal(mirror.spec.serviceAccountName, undefined);
    assert.equal(mirror.spec.volumes, undefined);
    const cases: [Record<string, unknown>, string][] = [
      [{ serviceAccountName: 'default' }, 'a mirror pod may not reference service accounts'],
      [{ volumes: [{ name: 's', secret: { secretName: 'x' } }] }, 'a mirror pod may not reference secrets'],
      [
        { volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] },
        'a mirror pod may not use ServiceAccountToken volume projections',
      ],
    ];
    for (const [extra, why] of cases) {
      const result = await create({
        metadata: { name: 'static-bad', annotations: { 'kubernetes.io/config.mirror': 'abc123' } },
        spec: { containers, ...extra },
      });
      assert.notEqual(result.code, 0);
      assert.equal(
        result.stderr.trim(),
        `Error from server (Forbidden): error when creating "STDIN": pods "static-bad" is forbidden: ${why}`,
      );
    }
  });

  it("copies the service account's imagePullSecrets into a pod that has none, never over the pod's own", async () => {
    // The server has no update/patch: set the field through the store, as an edit would.
    const account = cluster.store.read('serviceaccounts', 'default', 'default')!;
    cluster.store.put('serviceaccounts', { ...account, imagePullSecrets: [{ name: 'registry' }] });
    const copied = await created({ metadata: { name: 'pulls' }, spec: { containers } });
    assert.deepEqual(copied.spec.imagePullSecrets, [{ name: 'registry' }]);
    const own = await created({
      metadata: { name: 'pulls-own' },
      spec: { containers, imagePullSecrets: [{ name: 'mine' }] },
    });
    assert.deepEqual(own.spec.imagePullSecrets, [{ name: 'mine' }]);
  });

  it('reuses a kube-api-access-* volume the pod already has instead of adding a second', async () => {
    // admission.go mountServiceAccountToken: an existing volume with the prefix is mounted, not duplicated.
    const pod = await created({
      metadata: { name: 'own-api-access' },
      spec: { containers, volumes: [{ name: 'kube-api-access-mine', emptyDir: {} }] },
    });
    assert.deepEqual(
      pod.spec.volumes?.map((volume) => volume.name),
      ['kube-api-access-mine'],
    );
    assert.deepEqual(pod.spec.containers[0].volumeMounts, [
      { name: 'kube-api-access-mine', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ]);
  });

  it('defaults projected expirationSeconds to 3600 and defaultMode to 420', async () => {
    const pod = await created({
      metadata: { name: 'projected-defaults' },
      spec: {
        automountServiceAccountToken: false,
        containers,
        volumes: [
          { name: 'vault', projected: { sources: [{ serviceAccountToken: { audience: 'vault', path: 'token' } }] } },
          { name: 'creds', secret: { secretName: 'creds' } },
        ],
      },
    });
    const [vault, creds] = pod.spec.volumes ?? [];
    assert.equal(vault.projected?.defaultMode, 420);
    assert.equal(vault.projected?.sources[0].serviceAccountToken?.expirationSeconds, 3600);
    assert.equal(creds.secret?.defaultMode, 420);
  });

  it('rejects a projected token under 10 minutes with the real message', async () => {
    const result = await create({
      metadata: { name: 'short-token' },
      spec: {
        containers,
        volumes: [
          { name: 't', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 599, path: 'token' } }] } },
        ],
      },
    });
    assert.notEqual(result.code, 0);
    assert.equal(
      result.stderr.trim(),
      'The Pod "short-token" is invalid: spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
  });
});

describe('metadata-only reads', () => {
  it('serves PartialObjectMetadata for a get and a list when asked: labels without Secret data', async () => {
    const accept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
    const single = await apiRequest(
      `${cluster.url}/api/v1/namespaces/legacy-app/secrets/legacy-api-token-x7k2p`,
      cluster.caPem,
      cluster.tokens.admin,
      { accept },
    );
    assert.equal(single.status, 200, single.body);
    const object = JSON.parse(single.body) as {
      kind: string;
      apiVersion: string;
      data?: unknown;
      metadata: { labels: Record<string, string> };
    };
    assert.equal(object.kind, 'PartialObjectMetadata');
    assert.equal(object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(object.data, undefined);
    assert.ok(object.metadata.labels['kubernetes.io/legacy-token-last-used']);
    const list = await apiRequest(
      `${cluster.url}/api/v1/namespaces/legacy-app/secrets`,
      cluster.caPem,
      cluster.tokens.admin,
      {
        accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      },
    );
    const items = JSON.parse(list.body) as { kind: string; items: { kind: string; data?: unknown }[] };
    assert.equal(items.kind, 'PartialObjectMetadataList');
    assert.ok(
      items.items.length > 0 && items.items.every((item) => item.kind === 'PartialObjectMetadata' && !item.data),
    );
  });
});
