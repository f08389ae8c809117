// The local API server's RBAC checked with the real kubectl: RBAC objects (list/get/create/delete, Table columns,
// validation), the aggregation controller, impersonation (`--as`), `auth can-i`, `auth whoami`, SubjectAccessReview.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { startLocalCluster, type LocalCluster } from '../index';
import { apiRequest, kubectl } from '../../kubectl';

let cluster: LocalCluster;
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);
const asReporter = '--as=system:serviceaccount:legacy-app:reporter';

before(async () => {
  cluster = await startLocalCluster({ data: 'demo' });
});
after(() => cluster.stop());

describe('RBAC objects', () => {
  it('lists bindings with the server-side columns kubectl prints', async () => {
    const result = await run(['get', 'rolebindings', '-n', 'legacy-app', '-o', 'wide']);
    assert.equal(result.code, 0, result.stderr);
    const line = result.stdout.split('\n').find((row) => row.startsWith('reporter-reads-secrets'));
    // SubjectsStrings prints the subject's own namespace: empty for a RoleBinding's local ServiceAccount.
    assert.match(line ?? '', /^reporter-reads-secrets\s+ClusterRole\/secret-reader\s+\S+\s+\/reporter\s*$/);
    const cluster = await run(['get', 'clusterrolebindings', 'vault-client-tokenreview', '-o', 'json']);
    assert.equal(JSON.parse(cluster.stdout).subjects[0].namespace, 'custom-audience');
  });

  it('fills aggregated ClusterRoles, and refills them when a labelled role is added or removed', async () => {
    const view = JSON.parse((await run(['get', 'clusterrole', 'view', '-o', 'json'])).stdout);
    assert.ok(view.rules.some((rule: { resources?: string[] }) => rule.resources?.includes('pods')));
    const edit = JSON.parse((await run(['get', 'clusterrole', 'edit', '-o', 'json'])).stdout);
    // view aggregates into edit, which aggregates into admin.
    assert.ok(edit.rules.some((rule: { resources?: string[] }) => rule.resources?.includes('pods')));
    const extra = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
    };
    assert.equal((await run(['create', '-f', '-'], stringify(extra))).code, 0);
    const admin = JSON.parse((await run(['get', 'clusterrole', 'admin', '-o', 'json'])).stdout);
    assert.ok(admin.rules.some((rule: { resources?: string[] }) => rule.resources?.includes('widgets')));
    assert.equal((await run(['delete', 'clusterrole', 'widgets-view'])).code, 0);
    const again = JSON.parse((await run(['get', 'clusterrole', 'view', '-o', 'json'])).stdout);
    assert.ok(!again.rules.some((rule: { resources?: string[] }) => rule.resources?.includes('widgets')));
  });

  it('creates and deletes bindings that take effect at once', async () => {
    const grant = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'cm-writer', namespace: 'custom-audience' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'cm-writer', namespace: 'custom-audience' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-writer' },
        subjects: [{ kind: 'ServiceAccount', name: 'vault-client' }],
      },
    ];
    const canCreate = ['auth', 'can-i', 'create', 'configmaps', '-n', 'custom-audience'];
    const asVault = '--as=system:serviceaccount:custom-audience:vault-client';
    assert.equal((await run([...canCreate, asVault])).code, 1);
    const created = await run(['create', '-f', '-'], grant.map((item) => stringify(item)).join('---\n'));
    assert.equal(created.code, 0, created.stderr);
    assert.equal((await run([...canCreate, asVault])).stdout.trim(), 'yes');
    assert.equal((await run(['delete', 'rolebinding', 'cm-writer', '-n', 'custom-audience'])).code, 0);
    assert.equal((await run([...canCreate, asVault])).stdout.trim(), 'no');
    assert.equal((await run(['delete', 'role', 'cm-writer', '-n', 'custom-audience'])).code, 0);
  });

  it('takes the protobuf bodies of kubectl create role|clusterrole|rolebinding|clusterrolebinding', async () => {
    const asVault = '--as=system:serviceaccount:custom-audience:vault-client';
    const steps = [
      ['create', 'role', 'cm-reader', '-n', 'custom-audience', '--verb=get,list', '--resource=configmaps'],
      [
        'create',
        'rolebinding',
        'cm-reader',
        '-n',
        'custom-audience',
        '--role=cm-reader',
        '--serviceaccount=custom-audience:vault-client',
      ],
      ['create', 'clusterrole', 'node-reader', '--verb=get', '--resource=nodes', '--resource-name=worker-1'],
      [
        'create',
        'clusterrolebinding',
        'node-reader',
        '--clusterrole=node-reader',
        '--group=system:serviceaccounts:custom-audience',
      ],
      ['create', 'clusterrole', 'aggregated', '--aggregation-rule=example.com/aggregate=true'],
    ];
    for (const step of steps) {
      const created = await run(step);
      assert.equal(created.code, 0, `${step.join(' ')}: ${created.stderr}`);
    }
    assert.equal(
      (await run(['auth', 'can-i', 'list', 'configmaps', '-n', 'custom-audience', asVault])).stdout.trim(),
      'yes',
    );
    assert.equal((await run(['auth', 'can-i', 'get', 'nodes/worker-1', asVault])).stdout.trim(), 'yes');
    assert.equal((await run(['auth', 'can-i', 'get', 'nodes/worker-2', asVault])).stdout.trim(), 'no');
    const binding = JSON.parse(
      (await run(['get', 'rolebinding', 'cm-reader', '-n', 'custom-audience', '-o', 'json'])).stdout,
    );
    assert.deepEqual(binding.subjects, [
      { kind: 'ServiceAccount', name: 'vault-client', namespace: 'custom-audience' },
    ]);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' });
    const aggregated = JSON.parse((await run(['get', 'clusterrole', 'aggregated', '-o', 'json'])).stdout);
    assert.deepEqual(aggregated.aggregationRule, {
      clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' } }],
    });
    for (const [kind, name, ...namespace] of [
      ['rolebinding', 'cm-reader', '-n', 'custom-audience'],
      ['role', 'cm-reader', '-n', 'custom-audience'],
      ['clusterrolebinding', 'node-reader'],
      ['clusterrole', 'node-reader'],
      ['clusterrole', 'aggregated'],
    ])
      assert.equal((await run(['delete', kind, name, ...namespace])).code, 0);
  });

  it('rejects what kube-apiserver rejects (pkg/apis/rbac/validation)', async () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'broken' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' },
      subjects: [{ kind: 'ServiceAccount', apiGroup: 'rbac.authorization.k8s.io', name: 'a' }],
    };
    const result = await run(['create', '-f', '-'], stringify(binding));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /The ClusterRoleBinding "broken" is invalid/);
    assert.match(result.stderr, /roleRef\.kind: Unsupported value: "Role": supported values: "ClusterRole"/);
    assert.match(result.stderr, /subjects\[0\]\.apiGroup: Unsupported value: "rbac.authorization.k8s.io"/);
    assert.match(result.stderr, /subjects\[0\]\.namespace: Required value/);
  });
});

describe('kubectl auth can-i / whoami with --as', () => {
  it('answers as the ServiceAccount, RoleBinding namespace included', async () => {
    const yes = await run(['auth', 'can-i', 'list', 'secrets', '-n', 'legacy-app', asReporter]);
    assert.deepEqual([yes.code, yes.stdout.trim()], [0, 'yes']);
    const no = await run(['auth', 'can-i', 'list', 'secrets', '-n', 'modern-app', asReporter]);
    assert.deepEqual([no.code, no.stdout.trim()], [1, 'no']);
    // Group subject system:serviceaccounts:modern-app → view.
    const web = await run([
      'auth',
      'can-i',
      'list',
      'pods',
      '-n',
      'modern-app',
      '--as=system:serviceaccount:modern-app:web',
    ]);
    assert.equal(web.stdout.trim(), 'yes');
    // The wrong-namespace binding grants nothing to the account it was meant for.
    const vault = await run([
      'auth',
      'can-i',
      'get',
      'configmaps/vault-agent-config',
      '-n',
      'custom-audience',
      '--as=system:serviceaccount:custom-audience:vault-client',
    ]);
    assert.equal(vault.stdout.trim(), 'no');
  });

  it('whoami shows the impersonated ServiceAccount with its groups', async () => {
    const result = await run(['auth', 'whoami', asReporter, '-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).status.userInfo, {
      username: 'system:serviceaccount:legacy-app:reporter',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:legacy-app', 'system:authenticated'],
    });
  });

  it('refuses impersonation to a user without the impersonate verb', async () => {
    const result = await run(['--context', 'sa-demo-restricted', 'auth', 'can-i', 'list', 'pods', asReporter]);
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /serviceaccounts "reporter" is forbidden: User "demo-viewer" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "legacy-app"/,
    );
  });
});

describe('SubjectAccessReview', () => {
  const review = (spec: object) =>
    apiRequest(
      `${cluster.url}/apis/authorization.k8s.io/v1/subjectaccessreviews`,
      cluster.caPem,
      cluster.tokens.admin,
      {
        method: 'POST',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
      },
    );

  it('decides for exactly the user and groups given, naming the granting binding', async () => {
    const attributes = { resourceAttributes: { namespace: 'legacy-app', verb: 'list', resource: 'secrets' } };
    const allowed = await review({ user: 'system:serviceaccount:legacy-app:reporter', ...attributes });
    assert.equal(allowed.status, 201);
    assert.deepEqual(JSON.parse(allowed.body).status, {
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "reporter-reads-secrets/legacy-app" of ClusterRole "secret-reader" to ServiceAccount "reporter/legacy-app"',
    });
    // Group-only grants need the groups in the spec: SubjectAccessReview adds none.
    const web = { resourceAttributes: { namespace: 'modern-app', verb: 'list', resource: 'pods' } };
    assert.equal(
      JSON.parse((await review({ user: 'system:serviceaccount:modern-app:web', ...web })).body).status.allowed,
      false,
    );
    const withGroups = await review({
      user: 'system:serviceaccount:modern-app:web',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:modern-app', 'system:authenticated'],
      ...web,
    });
    assert.equal(JSON.parse(withGroups.body).status.allowed, true);
  });

  it('is forbidden to the viewer and invalid without a user or group', async () => {
    const viewer = await apiRequest(
      `${cluster.url}/apis/authorization.k8s.io/v1/subjectaccessreviews`,
      cluster.caPem,
      cluster.tokens.viewer,
      { method: 'POST', body: { spec: { user: 'x', resourceAttributes: { verb: 'get', resource: 'pods' } } } },
    );
    assert.equal(viewer.status, 403);
    const invalid = await review({ resourceAttributes: { verb: 'get', resource: 'pods' } });
    assert.equal(invalid.status, 422);
    assert.match(JSON.parse(invalid.body).message, /at least one of user or group must be specified/);
  });
});
