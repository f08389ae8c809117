// `sa-token rbac` and `who-can` against the local API server as users run the bundle, checked by kubectl (impersonation
// and the server's own authorizer); the exit codes of all three RBAC commands on a cluster (0 answer, 1 partial answer,
// 2 cluster or usage error); and the kubeconfig Generate Kubeconfig builds, used by kubectl as the ServiceAccount.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { serviceAccountKubeconfig } from '../../src/core/cluster/kubeconfig';
import { inspectToken, isTokenError } from '../../src/core/tokens/inspect';
import { connect } from '../../src/kube/index';
import { buildCli, runCli } from '../unit/reliability/cli';
import { developerContext, startLocalCluster, viewerContext, type LocalCluster } from './server/index';
import { kubectl } from './kubectl';

let cluster: LocalCluster;
let cli: string;
const scratch = mkdtempSync(join(tmpdir(), 'sa-token-rbac-cli-'));

before(async () => {
  [cluster, cli] = await Promise.all([startLocalCluster({ data: 'demo' }), buildCli()]);
});
after(() => cluster.stop());

const run = (args: string[], kubeconfig = cluster.kubeconfigPath) =>
  runCli(cli, args, { env: { ...process.env, KUBECONFIG: kubeconfig } });
const asAccount = (account: string) => `--as=system:serviceaccount:${account.replace('/', ':')}`;
const admin = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);

interface RbacJson {
  serviceAccount: { namespace: string; name: string };
  bindings: Array<{ kind: string; namespace: string | null; name: string; roleRef: object; via: string }>;
  rules: Array<{
    verbs: string[];
    apiGroups: string[];
    resources: string[];
    resourceNames: string[];
    nonResourceURLs: string[];
    scope: string;
  }>;
  risks: Array<{ code: string; scope: string; grantedBy: { name: string } }>;
  errors: Array<{ source: string; message: string }>;
}

describe('sa-token rbac on a cluster', () => {
  it('gives the JSON of the issue, and kubectl allows what every listed rule grants', async () => {
    const result = await run(['rbac', 'legacy-app/reporter', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as RbacJson;
    assert.deepEqual(Object.keys(json), ['serviceAccount', 'bindings', 'rules', 'risks', 'errors']);
    assert.deepEqual(json.errors, []);
    const via = Object.fromEntries(json.bindings.map((binding) => [binding.name, binding.via]));
    assert.equal(via['reporter-reads-secrets'], 'serviceaccount');
    // The bootstrap bindings of every cluster reach it through the groups every ServiceAccount token carries.
    assert.equal(via['system:basic-user'], 'group:system:authenticated');
    assert.equal(via['system:service-account-issuer-discovery'], 'group:system:serviceaccounts');
    assert.deepEqual(
      json.risks.map((risk) => [risk.code, risk.scope, risk.grantedBy.name]),
      [['read-secrets', 'legacy-app', 'reporter-reads-secrets']],
    );
    assert.ok(json.rules.length >= 4, `rules: ${json.rules.length}`);
    for (const rule of json.rules) {
      const [verb] = rule.verbs;
      const target = rule.nonResourceURLs.length
        ? [rule.nonResourceURLs[0]]
        : [
            [rule.resources[0].split('/')[0], rule.apiGroups[0]].filter(Boolean).join('.'),
            ...(rule.resources[0].includes('/') ? ['--subresource', rule.resources[0].split('/')[1]] : []),
            ...rule.resourceNames.slice(0, 1),
          ];
      const where = rule.nonResourceURLs.length ? [] : rule.scope === 'cluster' ? ['-A'] : ['-n', rule.scope];
      const answer = await admin(['auth', 'can-i', verb, ...target, ...where, asAccount('legacy-app/reporter')]);
      assert.equal(answer.stdout.trim(), 'yes', `${JSON.stringify(rule)}: ${answer.stderr}`);
    }
  });

  it('names a User subject "user" and flags what the deployer can do to other tokens', async () => {
    const result = await run(['rbac', 'legacy-app/deployer', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as RbacJson;
    assert.equal(json.bindings.find((binding) => binding.name === 'deployer')?.via, 'user');
    assert.deepEqual(json.risks.map((risk) => risk.code).sort(), ['create-pods', 'create-tokens']);
  });
});

describe('sa-token who-can on a cluster', () => {
  it('lists exactly the ServiceAccounts kubectl says may do it', async () => {
    const result = await run(['who-can', 'list', 'secrets', '-n', 'legacy-app', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const listed = new Set(
      (
        JSON.parse(result.stdout) as { serviceAccounts: Array<{ namespace: string; name: string }> }
      ).serviceAccounts.map((entry) => `${entry.namespace}/${entry.name}`),
    );
    assert.ok(listed.has('legacy-app/reporter'), [...listed].join(', '));
    const accounts = (
      JSON.parse((await admin(['get', 'serviceaccounts', '-A', '-o', 'json'])).stdout) as {
        items: Array<{ metadata: { namespace: string; name: string } }>;
      }
    ).items.map(({ metadata }) => `${metadata.namespace}/${metadata.name}`);
    for (const account of accounts) {
      const answer = await admin(['auth', 'can-i', 'list', 'secrets', '-n', 'legacy-app', asAccount(account)]);
      assert.equal(listed.has(account), answer.stdout.trim() === 'yes', account);
    }
  });
});

describe('exit codes of the RBAC commands on a cluster', () => {
  it('1 with the forbidden list named when only some lists can be read', async () => {
    // The developer may read the RBAC objects but not list ServiceAccounts.
    const granted = await admin(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: 'rbac-lister' },
            rules: [
              {
                apiGroups: ['rbac.authorization.k8s.io'],
                resources: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'],
                verbs: ['list'],
              },
            ],
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'developer-lists-rbac' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'rbac-lister' },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'demo-developer' }],
          },
        ],
      }),
    );
    assert.equal(granted.code, 0, granted.stderr);
    const rbac = await run(['rbac', 'legacy-app/reporter', '--json', '--context', developerContext]);
    assert.equal(rbac.status, 1, rbac.stderr);
    const json = JSON.parse(rbac.stdout) as RbacJson;
    assert.deepEqual(
      json.errors.map((error) => error.source),
      ['serviceaccounts'],
    );
    assert.ok(json.bindings.some((binding) => binding.name === 'reporter-reads-secrets'));
    const whoCan = await run(['who-can', 'list', 'secrets', '-n', 'legacy-app', '--context', developerContext]);
    assert.equal(whoCan.status, 1, whoCan.stderr);
    assert.match(whoCan.stdout, /legacy-app\/reporter/);
    assert.match(whoCan.stdout, /warning: serviceaccounts: /);
  });

  it('2 with one line when no RBAC list can be read, or the cluster cannot be reached', async () => {
    for (const args of [
      ['rbac', 'legacy-app/reporter'],
      ['who-can', 'list', 'secrets', '-n', 'legacy-app'],
      ['can-i', 'list', 'secrets', '-n', 'legacy-app', '--as-sa', 'legacy-app/reporter'],
    ]) {
      const viewer = await run([...args, '--context', viewerContext]);
      assert.equal(viewer.status, 2, `${args[0]} as the viewer: ${viewer.stdout}${viewer.stderr}`);
      assert.match(viewer.stderr, /cannot read RBAC objects/);
      const unreachable = join(scratch, 'unreachable');
      writeFileSync(
        unreachable,
        (await kubectl(cluster.kubeconfigPath, ['config', 'view', '--raw'])).stdout.replace(`:${cluster.port}`, ':1'),
      );
      const away = await run([...args, '--timeout', '5'], unreachable);
      assert.equal(away.status, 2, `${args[0]} without a cluster: ${away.stdout}${away.stderr}`);
      assert.equal(away.stderr.trim().split('\n').length, 1, away.stderr);
    }
  });
});

describe('Generate Kubeconfig: the document it opens', () => {
  it('lets kubectl act as the ServiceAccount in its namespace until the expiry it states', async () => {
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 10_000 });
    try {
      const token = await connection.requestToken('legacy-app', 'reporter', { expirationSeconds: 3600 });
      const report = inspectToken(token);
      assert.ok(!isTokenError(report) && report.expiresAt);
      const expiresAt = new Date(report.expiresAt);
      const text = serviceAccountKubeconfig({
        cluster: connection.clusterAccess(),
        namespace: 'legacy-app',
        serviceAccount: 'reporter',
        token,
        expiresAt,
        source: 'TokenRequest',
      });
      assert.match(text, new RegExp(`^# Expires: ${expiresAt.toISOString().replace(/\./g, '\\.')} `, 'm'));
      assert.equal((parse(text) as { 'current-context': string })['current-context'], 'legacy-app-reporter@sa-demo');
      const file = join(scratch, 'reporter.kubeconfig');
      writeFileSync(file, text);
      const whoami = await kubectl(file, ['auth', 'whoami', '-o', 'json']);
      assert.equal(whoami.code, 0, whoami.stderr);
      const { status } = JSON.parse(whoami.stdout) as { status: { userInfo: { username: string; groups: string[] } } };
      assert.equal(status.userInfo.username, 'system:serviceaccount:legacy-app:reporter');
      assert.ok(status.userInfo.groups.includes('system:serviceaccounts:legacy-app'));
      // The context's namespace is the account's: it reads the Secrets there, and nothing in modern-app.
      assert.equal((await kubectl(file, ['auth', 'can-i', 'list', 'secrets'])).stdout.trim(), 'yes');
      assert.equal((await kubectl(file, ['get', 'secrets', '-o', 'name'])).code, 0);
      const elsewhere = await kubectl(file, ['get', 'secrets', '-n', 'modern-app']);
      assert.notEqual(elsewhere.code, 0);
      assert.match(elsewhere.stderr, /forbidden/);
    } finally {
      connection.close();
    }
  });
});
