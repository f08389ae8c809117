// The `large` benchmark data set: sized by scale, deterministic, valid tokens, lists served whole and paginated.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as jose from 'jose';
import { startLocalCluster, type LocalCluster } from './server/index';
import { apiRequest, kubectl } from './server/kubectl';

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
});
