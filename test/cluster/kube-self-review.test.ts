// ClusterConnection.selfReviewAs: SelfSubjectReview + SelfSubjectRulesReview sent as a token alone, to the local API
// server over real TLS. The kubeconfig's own user (here the viewer) must not be what the server sees.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type ClusterConnection } from '../../src/kube/index';
import { startLocalCluster, viewerContext, type LocalCluster } from './server/index';
import { kubectl } from './kubectl';

describe('selfReviewAs: who a token is and what it may do, asked as the token', () => {
  let cluster: LocalCluster;
  let connection: ClusterConnection;
  before(async () => {
    cluster = await startLocalCluster({ data: 'demo' });
    connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, context: viewerContext, timeoutMs: 10_000 });
  });
  after(async () => {
    connection.close();
    await cluster.stop();
  });

  it('a service account token: its own identity and rules, not the kubeconfig user', async () => {
    const token = (
      await kubectl(cluster.kubeconfigPath, ['create', 'token', 'default', '-n', 'modern-app'])
    ).stdout.trim();
    // Asked in custom-audience: in modern-app the demo RBAC lets every account view (system:serviceaccounts:modern-app).
    const review = await connection.selfReviewAs(token, 'custom-audience');
    assert.equal(review.authenticated, true);
    assert.equal(review.user?.username, 'system:serviceaccount:modern-app:default');
    assert.ok(review.user?.groups.includes('system:serviceaccounts:modern-app'));
    assert.deepEqual(review.resourceRules.flatMap((rule) => rule.resources).sort(), [
      'selfsubjectaccessreviews',
      'selfsubjectreviews',
      'selfsubjectrulesreviews',
    ]);
    assert.ok(review.nonResourceRules.some((rule) => rule.nonResourceURLs.includes('/openid/v1/jwks')));
    // The same list kubectl shows for that token.
    const listed = await kubectl(cluster.kubeconfigPath, [
      'auth',
      'can-i',
      '--list',
      '--token',
      token,
      '-n',
      'custom-audience',
    ]);
    assert.match(listed.stdout, /selfsubjectrulesreviews\.authorization\.k8s\.io/);
    assert.doesNotMatch(listed.stdout, /^pods/m);
  });

  it('the admin token: cluster-admin rules', async () => {
    const review = await connection.selfReviewAs(cluster.tokens.admin, 'default');
    assert.equal(review.user?.username, 'demo-admin');
    assert.ok(review.resourceRules.some((rule) => rule.verbs.includes('*') && rule.resources.includes('*')));
  });

  it('a token the cluster rejects: not authenticated, no rules, no error', async () => {
    const review = await connection.selfReviewAs('not-a-token', 'default');
    assert.deepEqual(
      { authenticated: review.authenticated, user: review.user, rules: review.resourceRules.length },
      { authenticated: false, user: null, rules: 0 },
    );
  });
});
