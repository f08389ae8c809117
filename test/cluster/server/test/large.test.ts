// The `large` benchmark data set: sized by scale, deterministic, valid tokens, lists served whole and paginated.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as jose from 'jose';
import { connect } from '../../../../src/kube/index';
import { startLocalCluster, type LocalCluster } from '../index';
import { apiRequest, kubectl } from '../../kubectl';

const scale = 0.05;
let cluster: LocalCluster;
const get = async <T>(path: string): Promise<T> => {
  const response = await apiRequest(`${cluster.url}${path}`, cluster.caPem, cluster.tokens.admin);
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body) as T;
};

interface List {
  metadata: { continue?: string; remainingItemCount?: number };
  items: { metadata: { name: string; namespace: string; uid: string }; data?: { token?: string } }[];
}

before(async () => {
  const started = Date.now();
  cluster = await startLocalCluster({ data: 'large', scale });
  console.log(`large data at scale ${scale}: ready in ${Date.now() - started} ms`);
});
after(() => cluster.stop());

describe('large data set', () => {
  it('has the documented size per scale', () => {
    const system = 4; // default, kube-system, kube-public, kube-node-lease
    assert.equal(cluster.store.count('namespaces'), 2000 * scale + system);
    assert.equal(cluster.store.count('serviceaccounts'), 10_000 * scale + system);
    assert.equal(cluster.store.count('secrets'), 10_000 * scale);
    assert.equal(cluster.store.count('pods'), 30_000 * scale);
  });

  it('is deterministic: the same names and uids on every start', async () => {
    const again = await startLocalCluster({ data: 'large', scale });
    try {
      const identities = (target: LocalCluster) =>
        target.store.page('pods', {}).items.map((item) => `${item.key} ${item.uid}`);
      assert.deepEqual(identities(again), identities(cluster));
    } finally {
      await again.stop();
    }
  });

  it('serves every pod exactly once through limit/continue pages', async () => {
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page: List = await get(`/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      for (const item of page.items) seen.add(`${item.metadata.namespace}/${item.metadata.name}`);
      token = page.metadata.continue;
      pages++;
    } while (token);
    assert.equal(seen.size, 30_000 * scale);
    assert.equal(pages, Math.ceil((30_000 * scale) / 500));
    const whole = await kubectl(cluster.kubeconfigPath, ['get', 'pods', '-A', '-o', 'name']);
    assert.equal(whole.stdout.trim().split('\n').length, 30_000 * scale);
  });

  it('fills token Secrets with legacy tokens signed by a key in the cluster JWKS', async () => {
    const secrets: List = await get(
      '/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Fservice-account-token&limit=50',
    );
    assert.equal(secrets.items.length, 50);
    const keys = jose.createLocalJWKSet(await get<jose.JSONWebKeySet>('/openid/v1/jwks'));
    for (const secret of secrets.items.slice(0, 5)) {
      const token = Buffer.from(secret.data?.token ?? '', 'base64').toString();
      const { payload } = await jose.jwtVerify(token, keys);
      assert.equal(payload['kubernetes.io/serviceaccount/secret.name'], secret.metadata.name);
    }
    const review = await apiRequest(
      `${cluster.url}/apis/authentication.k8s.io/v1/tokenreviews`,
      cluster.caPem,
      cluster.tokens.admin,
      {
        method: 'POST',
        body: { spec: { token: Buffer.from(secrets.items[0].data?.token ?? '', 'base64').toString() } },
      },
    );
    assert.equal((JSON.parse(review.body) as { status: { authenticated?: boolean } }).status.authenticated, true);
  });

  it('counts the items left after a page when no selector narrows the list (remainingItemCount)', async () => {
    // etcd3 store.go GetList: remainingItemCount only for unfiltered lists (a selector cannot be counted ahead).
    const page: List = await get('/api/v1/pods?limit=100');
    assert.equal(page.metadata.remainingItemCount, 30_000 * scale - 100);
    const filtered: List = await get('/api/v1/pods?limit=100&fieldSelector=status.phase%3DRunning');
    assert.equal(filtered.metadata.remainingItemCount, undefined);
  });

  it('a continuation whose revision was compacted gets 410 Expired with a fresh token, as kubectl shows', async () => {
    // storage/etcd3/store.go handleCompactedErrorForPaging: 410 Expired, metadata.continue at revision -1.
    const first: List = await get('/api/v1/pods?limit=500');
    cluster.cluster.compact();
    const expired = await apiRequest(
      `${cluster.url}/api/v1/pods?limit=500&continue=${encodeURIComponent(first.metadata.continue ?? '')}`,
      cluster.caPem,
      cluster.tokens.admin,
    );
    assert.equal(expired.status, 410);
    const status = JSON.parse(expired.body) as { reason: string; message: string; metadata: { continue?: string } };
    assert.equal(status.reason, 'Expired');
    assert.match(status.message, /^The provided continue parameter is too old to display a consistent list result\./);
    const fresh = JSON.parse(Buffer.from(status.metadata.continue ?? '', 'base64url').toString()) as { rv: number };
    assert.equal(fresh.rv, -1);
    cluster.setFault('expired-continue');
    try {
      const run = await kubectl(cluster.kubeconfigPath, ['get', 'pods', '-A', '--chunk-size=500', '-o', 'name']);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /Error from server \(Expired\): The provided continue parameter is too old/);
    } finally {
      cluster.setFault(null);
    }
  });

  it('the product restarts an expired list once from the first page, then reports (bug 4)', async () => {
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 20_000 });
    try {
      cluster.cluster.compactBeforeContinues = 1;
      const inventory = await connection.inventory();
      assert.equal(cluster.cluster.compactBeforeContinues, 0, 'a continuation met the compaction');
      const pods = inventory.serviceAccounts.flatMap((sa) => sa.pods.map((pod) => `${sa.namespace}/${pod.name}`));
      assert.equal(pods.length, 30_000 * scale, 'every pod once: the pages before the restart were dropped');
      assert.equal(new Set(pods).size, pods.length);

      cluster.setFault('expired-continue');
      const partial = await connection.inventory();
      // Service accounts and pods take more than one page here; secrets fit in one and are complete.
      assert.deepEqual(
        partial.errors.map((error) => error.reason),
        ['serviceaccounts', 'pods'].map(
          (resource) =>
            `the list expired twice (410: the API server compacted its history while the pages were read) while trying to list ${resource} in all namespaces; try again`,
        ),
      );
    } finally {
      cluster.setFault(null);
      connection.close();
    }
  });
});
