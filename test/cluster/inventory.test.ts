// The inventory of the demo data against what the real kubectl reports for the same server: kubectl is the oracle.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { connect } from '../../src/kube/index';
import type { Inventory, ServiceAccountInfo } from '../../src/core/cluster/model';
import { startLocalCluster, viewerContext, type LocalCluster } from './server/index';

const run = promisify(execFile);
const TOKEN_TYPE = 'kubernetes.io/service-account-token';

interface KubeItem {
  kind: string;
  type?: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
  secrets?: { name: string }[];
  imagePullSecrets?: { name: string }[];
  spec?: {
    serviceAccountName?: string;
    automountServiceAccountToken?: boolean;
    volumes?: {
      name: string;
      secret?: { secretName: string };
      projected?: {
        sources: { serviceAccountToken?: { path: string; audience?: string; expirationSeconds?: number } }[];
      };
    }[];
  };
}

/** The CLI as users run it (through tsx here), with its exit code and both streams. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('inventory against the local API server, checked with kubectl', () => {
  let cluster: LocalCluster;
  let kubectlItems: KubeItem[];
  let inventory: Inventory;

  before(async () => {
    cluster = await startLocalCluster({
      data: 'demo',
      kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sa-inv-')), 'kubeconfig'),
    });
    // What a kubelet posts for a static pod: the mirror annotation, no service account (admission adds none).
    await cluster.cluster.create('pods', 'kube-system', {
      metadata: { name: 'kube-apiserver-demo-node', annotations: { 'kubernetes.io/config.mirror': '3f2a9c' } },
      spec: {
        nodeName: 'demo-node',
        containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.32.4' }],
      },
    });
    const { stdout } = await run(
      'kubectl',
      ['--kubeconfig', cluster.kubeconfigPath, 'get', 'serviceaccounts,secrets,pods', '-A', '-o', 'json'],
      {
        maxBuffer: 64 << 20,
      },
    );
    kubectlItems = (JSON.parse(stdout) as { items: KubeItem[] }).items;
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 10_000 });
    inventory = await connection.inventory();
    connection.close();
  });
  after(() => cluster.stop());

  const account = (namespace: string, name: string): ServiceAccountInfo => {
    const found = inventory.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === name);
    assert.ok(found, `service account ${namespace}/${name} is in the inventory`);
    return found;
  };
  const ofKind = (kind: string) => kubectlItems.filter((item) => item.kind === kind);

  it('lists exactly the service accounts kubectl lists, field by field', () => {
    const accounts = ofKind('ServiceAccount');
    assert.ok(accounts.length >= 10);
    assert.deepEqual(inventory.errors, []);
    assert.equal(inventory.serviceAccounts.length, accounts.length);
    for (const item of accounts) {
      const sa = account(item.metadata.namespace, item.metadata.name);
      assert.equal(sa.uid, item.metadata.uid);
      assert.equal(sa.automountServiceAccountToken, item.automountServiceAccountToken ?? null);
      assert.deepEqual(
        sa.secretsList,
        (item.secrets ?? []).map((s) => s.name),
      );
      assert.deepEqual(
        sa.imagePullSecrets,
        (item.imagePullSecrets ?? []).map((s) => s.name),
      );
    }
  });

  it('attaches every token Secret with its populated state and cleanup labels, and no other Secret', () => {
    const tokenSecrets = ofKind('Secret').filter((item) => item.type === TOKEN_TYPE);
    assert.ok(tokenSecrets.length >= 3);
    const listed = inventory.serviceAccounts.flatMap((sa) => sa.tokenSecrets);
    assert.equal(listed.length, tokenSecrets.length);
    for (const item of tokenSecrets) {
      const owner = item.metadata.annotations?.['kubernetes.io/service-account.name'] ?? '';
      const secret = account(item.metadata.namespace, owner).tokenSecrets.find((s) => s.name === item.metadata.name);
      assert.ok(secret, `${item.metadata.name} under ${owner}`);
      assert.equal(secret.populated, Boolean(item.data?.token));
      assert.equal(secret.lastUsed, item.metadata.labels?.['kubernetes.io/legacy-token-last-used'] ?? null);
      assert.equal(secret.invalidSince, item.metadata.labels?.['kubernetes.io/legacy-token-invalid-since'] ?? null);
    }
    assert.ok(
      listed.some((s) => s.invalidSince),
      'the demo has a cleanup candidate',
    );
  });

  it('shows mirror pods as static pods with no token, not under <ns>/default (bug 3)', () => {
    const mirrors = ofKind('Pod').filter((item) => item.metadata.annotations?.['kubernetes.io/config.mirror']);
    assert.deepEqual(
      inventory.staticPods,
      mirrors.map((item) => ({ namespace: item.metadata.namespace, name: item.metadata.name })),
    );
    assert.equal(mirrors.length, 1);
    assert.ok(!account('kube-system', 'default').pods.some((pod) => pod.name === 'kube-apiserver-demo-node'));
  });

  it('places every pod under its service account with effective automount and every projected token', () => {
    const pods = ofKind('Pod').filter((item) => !item.metadata.annotations?.['kubernetes.io/config.mirror']);
    assert.equal(inventory.serviceAccounts.flatMap((sa) => sa.pods).length, pods.length);
    for (const item of pods) {
      const spec = item.spec ?? {};
      const sa = account(item.metadata.namespace, spec.serviceAccountName ?? 'default');
      const pod = sa.pods.find((p) => p.name === item.metadata.name);
      assert.ok(pod, `pod ${item.metadata.name}`);
      assert.equal(pod.automount, spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true);
      const expected = (spec.volumes ?? []).flatMap((volume) =>
        (volume.projected?.sources ?? []).flatMap((source) =>
          source.serviceAccountToken
            ? [
                [
                  volume.name,
                  source.serviceAccountToken.path,
                  source.serviceAccountToken.audience ?? null,
                  source.serviceAccountToken.expirationSeconds ?? null,
                ],
              ]
            : [],
        ),
      );
      const projected = pod.tokenSources.flatMap((s) =>
        s.kind === 'projected' ? [[s.volume, s.path, s.audience, s.expirationSeconds]] : [],
      );
      assert.deepEqual(projected, expected, `projected tokens of ${item.metadata.name}`);
    }
  });

  it('finds the legacy pod reading its token Secret as a volume and from env', () => {
    const readers = inventory.serviceAccounts
      .flatMap((sa) => sa.pods)
      .filter((pod) => pod.tokenSources.some((s) => s.kind !== 'projected'));
    assert.ok(readers.length >= 1);
    const kinds = new Set(readers.flatMap((pod) => pod.tokenSources.map((s) => s.kind)));
    assert.ok(kinds.has('secret-volume') && kinds.has('env'));
    for (const pod of readers) {
      for (const source of pod.tokenSources) {
        if (source.kind === 'projected') continue;
        const namespaceOfPod = inventory.serviceAccounts.find((sa) => sa.pods.includes(pod))?.namespace;
        const target = kubectlItems.find(
          (item) =>
            item.kind === 'Secret' &&
            item.metadata.name === source.secretName &&
            item.metadata.namespace === namespaceOfPod,
        );
        assert.equal(target?.type, TOKEN_TYPE, `${source.secretName} is a token Secret`);
      }
    }
  });

  it('sa-token inventory --json prints exactly the contract and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['inventory', '--kubeconfig', cluster.kubeconfigPath, '--json']);
    assert.equal(code, 0, stderr);
    const printed = JSON.parse(stdout);
    assert.deepEqual(Object.keys(printed), [
      'context',
      'legacyTokenTrackingSince',
      'serviceAccounts',
      'staticPods',
      'errors',
    ]);
    assert.deepEqual(printed.staticPods, [{ namespace: 'kube-system', name: 'kube-apiserver-demo-node' }]);
    assert.deepEqual(Object.keys(printed.serviceAccounts[0]), [
      'namespace',
      'name',
      'uid',
      'automountServiceAccountToken',
      'tokenSecrets',
      'secretsList',
      'pods',
    ]);
    const secret = printed.serviceAccounts.flatMap((sa: ServiceAccountInfo) => sa.tokenSecrets)[0];
    assert.deepEqual(Object.keys(secret), ['name', 'populated', 'lastUsed', 'invalidSince', 'cleanup']);
    assert.deepEqual(Object.keys(secret.cleanup), ['exempt', 'invalidatedOnOrAfter', 'deletedOnOrAfter']);
    assert.equal(printed.serviceAccounts.length, inventory.serviceAccounts.length);
    assert.ok(!stdout.includes('eyJ') && !stdout.includes('ZXlK'), 'no token value in the output');
  });

  it('the restricted user gets a partial inventory: what it may list, why the rest is missing, exit 1', async () => {
    const { code, stdout } = await cli([
      'inventory',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--context',
      viewerContext,
      '--json',
    ]);
    assert.equal(code, 1);
    const printed = JSON.parse(stdout) as Inventory;
    // The restricted user may list service accounts and pods namespace by namespace, except in `restricted`.
    assert.deepEqual(
      new Set(printed.serviceAccounts.map((sa) => sa.namespace)),
      new Set(inventory.serviceAccounts.map((sa) => sa.namespace).filter((namespace) => namespace !== 'restricted')),
    );
    assert.ok(printed.serviceAccounts.some((sa) => sa.pods.length > 0));
    assert.ok(printed.serviceAccounts.every((sa) => sa.tokenSecrets.length === 0));
    assert.deepEqual(printed.errors, [
      {
        resource: 'serviceaccounts',
        namespace: 'restricted',
        reason: 'forbidden: cannot list serviceaccounts in namespace restricted',
      },
      {
        resource: 'secrets',
        namespace: null,
        reason: 'forbidden: can list serviceaccounts and pods but not secrets in any namespace',
      },
      { resource: 'pods', namespace: 'restricted', reason: 'forbidden: cannot list pods in namespace restricted' },
    ]);
  });

  it('names what is forbidden in a namespace the restricted user cannot read', async () => {
    const { code, stdout } = await cli([
      'inventory',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--context',
      viewerContext,
      '-n',
      'restricted',
    ]);
    assert.equal(code, 1);
    assert.match(stdout, /forbidden: cannot list serviceaccounts in namespace restricted/);
  });

  it('an unusable kubeconfig or cluster is one stderr line and exit 2', async () => {
    const missing = await cli(['inventory', '--kubeconfig', '/nonexistent/kubeconfig']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'sa-token: kubeconfig /nonexistent/kubeconfig does not exist\n');
    const typo = await cli(['inventory', '--kubeconfig', cluster.kubeconfigPath, '-n', 'no-such-namespace']);
    assert.equal(typo.code, 2);
    assert.equal(typo.stderr, 'sa-token: namespace "no-such-namespace" does not exist\n');
    const badContext = await cli(['inventory', '--kubeconfig', cluster.kubeconfigPath, '--context', 'nope']);
    assert.equal(badContext.code, 2);
    assert.equal(badContext.stderr.trim().split('\n').length, 1);
  });
});
