// SelfSubjectReview (`kubectl auth whoami`) and SelfSubjectRulesReview (`kubectl auth can-i --list`) on the local API
// server, checked with the real kubectl. The rules mirror pkg/registry/authorization/selfsubjectrulesreview/rest.go
// (RulesFor the caller in spec.namespace; 400 "no namespace on request") and the bootstrap roles of
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go; every rule listed must agree with `kubectl auth can-i`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalCluster, viewerContext, type LocalCluster } from '../index';
import { apiRequest, kubectl } from '../../kubectl';

interface ListedRule {
  resource: string;
  url: string;
  verbs: string[];
}

/** `kubectl auth can-i --list` table rows: Resources, Non-Resource URLs, Resource Names, Verbs. */
function parseList(stdout: string): ListedRule[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const urlColumn = header.indexOf('Non-Resource URLs');
  const namesColumn = header.indexOf('Resource Names');
  const verbsColumn = header.indexOf('Verbs');
  return rows.map((row) => ({
    resource: row.slice(0, urlColumn).trim(),
    url: row
      .slice(urlColumn, namesColumn)
      .trim()
      .replace(/^\[|\]$/g, ''),
    verbs: row
      .slice(verbsColumn)
      .trim()
      .replace(/^\[|\]$/g, '')
      .split(' '),
  }));
}

describe('SelfSubjectReview and SelfSubjectRulesReview (kubectl auth whoami / can-i --list)', () => {
  let cluster: LocalCluster;
  let saToken: string;
  before(async () => {
    cluster = await startLocalCluster({ data: 'demo' });
    const created = await kubectl(cluster.kubeconfigPath, ['create', 'token', 'default', '-n', 'modern-app']);
    assert.equal(created.code, 0, created.stderr);
    saToken = created.stdout.trim();
  });
  after(() => cluster.stop());

  it('kubectl auth whoami --token: the service account, its groups and credential id', async () => {
    const result = await kubectl(cluster.kubeconfigPath, ['auth', 'whoami', '--token', saToken, '-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const review = JSON.parse(result.stdout);
    assert.equal(review.kind, 'SelfSubjectReview');
    assert.equal(review.status.userInfo.username, 'system:serviceaccount:modern-app:default');
    assert.deepEqual(review.status.userInfo.groups, [
      'system:serviceaccounts',
      'system:serviceaccounts:modern-app',
      'system:authenticated',
    ]);
  });

  it('kubectl auth can-i --list --token: the bootstrap rules of a service account, nothing more', async () => {
    const result = await kubectl(cluster.kubeconfigPath, [
      'auth',
      'can-i',
      '--list',
      '--token',
      saToken,
      // Not modern-app, where the demo RBAC lets every account view (group system:serviceaccounts:modern-app).
      '-n',
      'custom-audience',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const rules = parseList(result.stdout);
    assert.deepEqual(
      rules.filter((rule) => rule.resource).map((rule) => `${rule.resource} ${rule.verbs.join(',')}`),
      [
        'selfsubjectreviews.authentication.k8s.io create',
        'selfsubjectaccessreviews.authorization.k8s.io create',
        'selfsubjectrulesreviews.authorization.k8s.io create',
      ],
    );
    const urls = new Set(rules.filter((rule) => rule.url).map((rule) => rule.url));
    for (const url of ['/openid/v1/jwks', '/.well-known/openid-configuration', '/api', '/version'])
      assert.ok(urls.has(url), url);
  });

  it('the viewer: namespaces everywhere, its per-namespace reads only outside "restricted"', async () => {
    const listed = async (namespace: string) => {
      const result = await kubectl(cluster.kubeconfigPath, [
        '--context',
        viewerContext,
        'auth',
        'can-i',
        '--list',
        '-n',
        namespace,
      ]);
      assert.equal(result.code, 0, result.stderr);
      return parseList(result.stdout).filter((rule) => rule.resource && !rule.resource.includes('.'));
    };
    assert.deepEqual(
      (await listed('restricted')).map((rule) => rule.resource),
      ['namespaces'],
    );
    assert.deepEqual((await listed('modern-app')).map((rule) => rule.resource).sort(), [
      'configmaps',
      'namespaces',
      'pods',
      'serviceaccounts',
    ]);
  });

  it('every listed rule agrees with kubectl auth can-i (SelfSubjectAccessReview)', async () => {
    for (const [context, namespace] of [
      [viewerContext, 'modern-app'],
      [viewerContext, 'restricted'],
    ] as const) {
      const list = await kubectl(cluster.kubeconfigPath, [
        '--context',
        context,
        'auth',
        'can-i',
        '--list',
        '-n',
        namespace,
      ]);
      for (const rule of parseList(list.stdout)) {
        for (const verb of rule.verbs) {
          const target = rule.resource || rule.url.replace(/\*$/, 'anything');
          const check = await kubectl(cluster.kubeconfigPath, [
            '--context',
            context,
            'auth',
            'can-i',
            verb,
            target,
            '-n',
            namespace,
          ]);
          assert.equal(check.stdout.trim(), 'yes', `${context} ${verb} ${target} in ${namespace}`);
        }
      }
      // And what is not listed is refused.
      const secrets = await kubectl(cluster.kubeconfigPath, [
        '--context',
        context,
        'auth',
        'can-i',
        'get',
        'secrets',
        '-n',
        namespace,
      ]);
      assert.equal(secrets.stdout.trim(), 'no');
    }
  });

  it('a review without a namespace is a 400, as in Kubernetes', async () => {
    const response = await apiRequest(
      `${cluster.url}/apis/authorization.k8s.io/v1/selfsubjectrulesreviews`,
      cluster.caPem,
      cluster.tokens.viewer,
      {
        method: 'POST',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} },
      },
    );
    assert.equal(response.status, 400);
    assert.match(JSON.parse(response.body).message, /no namespace on request/);
  });
});
