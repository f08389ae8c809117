// `sa-token rbac`, `can-i` and `who-can` over manifests (--from), as users run the bundle: JSON shapes of the issue,
// exit codes like kubectl auth can-i (0 yes, 1 no, 2 usage), the scaffolded grant.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildCli, runCli } from '../reliability/cli';

const manifests = join(import.meta.dirname, '..', '..', 'fixtures', 'rbac', 'manifests');
let cli: string;
before(async () => {
  cli = await buildCli();
});
const run = (...args: string[]) => runCli(cli, [...args, '--from', manifests]);

describe('sa-token rbac --from', () => {
  it('prints bindings with their subject, scoped rules and risks in the JSON shape of the issue', async () => {
    const result = await run('rbac', 'team-a/reader', '--json');
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(json.serviceAccount, { namespace: 'team-a', name: 'reader' });
    assert.deepEqual(json.bindings, [
      {
        kind: 'ClusterRoleBinding',
        namespace: null,
        name: 'all-accounts-monitoring',
        roleRef: { kind: 'ClusterRole', name: 'monitoring' },
        via: 'group:system:serviceaccounts:team-a',
      },
      {
        kind: 'RoleBinding',
        namespace: 'team-a',
        name: 'reader-secrets',
        roleRef: { kind: 'ClusterRole', name: 'secret-reader' },
        via: 'serviceaccount',
      },
    ]);
    assert.deepEqual(json.rules[0], {
      verbs: ['get', 'list', 'watch'],
      apiGroups: [''],
      resources: ['pods'],
      resourceNames: [],
      nonResourceURLs: [],
      scope: 'cluster',
      grantedBy: { kind: 'ClusterRoleBinding', namespace: null, name: 'all-accounts-monitoring' },
    });
    assert.deepEqual(
      json.risks.map((risk: { code: string; scope: string }) => [risk.code, risk.scope]),
      [['read-secrets', 'team-a']],
    );
    assert.deepEqual(json.errors, []);
  });

  it('refuses a malformed account with exit 2 and one line', async () => {
    const result = await run('rbac', 'team-a');
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});

describe('sa-token can-i --from', () => {
  it('says yes with exit 0 and names the granting binding', async () => {
    const result = await run('can-i', 'list', 'secrets', '-n', 'team-a', '--as-sa', 'team-a/reader', '--json');
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.allowed, true);
    assert.equal(json.source, 'rbac');
    assert.equal(json.suggestion, null);
    assert.deepEqual(json.grantedBy[0].binding, { kind: 'RoleBinding', namespace: 'team-a', name: 'reader-secrets' });
    const plain = await run('can-i', 'get', 'pods', '-A', '--as-sa', 'team-a/builder');
    assert.deepEqual([plain.status, plain.stdout], [0, 'yes\n']);
  });

  it('says no with exit 1 and scaffolds the smallest grant', async () => {
    const result = await run(
      'can-i',
      'create',
      'serviceaccounts/token',
      'reader',
      '-n',
      'team-a',
      '--as-sa',
      'team-a/builder',
      '--json',
    );
    assert.equal(result.status, 1, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.allowed, false);
    assert.match(json.reason, /no RBAC rule grants it/);
    const [role, binding] = parseAllDocuments(json.suggestion).map((document) => document.toJS());
    assert.deepEqual(role.rules, [
      { apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['reader'], verbs: ['create'] },
    ]);
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'builder', namespace: 'team-a' }]);
    const plain = await run('can-i', 'delete', 'pods', '-n', 'team-a', '--as-sa', 'team-a/builder');
    assert.deepEqual([plain.status, plain.stdout], [1, 'no\n']);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await run('can-i', 'get', 'pods')).status, 2);
    assert.equal((await run('can-i', 'get', 'pods/x/y', '--as-sa', 'a/b')).status, 2);
  });
});

describe('sa-token who-can --from', () => {
  it('lists the accounts and how they get there', async () => {
    const result = await run('who-can', 'get', 'secrets', '-n', 'team-a', '--json');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).serviceAccounts, [
      {
        namespace: 'team-a',
        name: 'reader',
        exists: true,
        grantedBy: [
          {
            binding: { kind: 'RoleBinding', namespace: 'team-a', name: 'reader-secrets' },
            roleRef: { kind: 'ClusterRole', name: 'secret-reader' },
            via: 'serviceaccount',
          },
        ],
      },
    ]);
  });
});
