// The ServiceAccount questions on top of the authorizer: which bindings apply (every subject form), scopes, risks,
// who-can, token obtainers, aggregation of manifests, the typed question and the scaffolded grant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  attributesOf,
  bindingRisks,
  canI,
  parseQuestion,
  permissionsOf,
  QuestionError,
  RbacIndex,
  rbacInputFrom,
  scaffoldGrant,
  serviceAccountUser,
  tokenObtainers,
  tokenRisks,
  whoCan,
  type AppliedBinding,
  type PolicyRule,
  type RbacObjects,
  type Role,
  type ServiceAccountRef,
  type Subject,
  type UserInfo,
} from '../../../../src/core/rbac/index';

const rules = (...list: object[]) => list;
const role = (name: string, namespace: string | undefined, ...ruleList: object[]) => ({
  kind: namespace ? 'Role' : 'ClusterRole',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  rules: rules(...ruleList),
});
const binding = (name: string, namespace: string | undefined, roleRef: [string, string], ...subjects: object[]) => ({
  kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleRef[0], name: roleRef[1] },
  subjects,
});
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', metadata: { namespace, name } });

const { objects, serviceAccounts } = rbacInputFrom([
  sa('team-a', 'app'),
  sa('team-a', 'other'),
  sa('team-b', 'app'),
  role('pod-reader', 'team-a', { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }),
  role('secret-reader', undefined, { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }),
  role('cluster-admin', undefined, { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }),
  role('view-config', undefined, { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }),
  // ServiceAccount subject without namespace in a RoleBinding: the binding's namespace.
  binding('pods', 'team-a', ['Role', 'pod-reader'], { kind: 'ServiceAccount', name: 'app' }),
  // RoleBinding to a ClusterRole: only in team-a.
  binding('secrets', 'team-a', ['ClusterRole', 'secret-reader'], {
    kind: 'User',
    apiGroup: 'rbac.authorization.k8s.io',
    name: 'system:serviceaccount:team-a:app',
  }),
  binding('config', undefined, ['ClusterRole', 'view-config'], {
    kind: 'Group',
    name: 'system:serviceaccounts:team-b',
  }),
  binding('everyone', undefined, ['ClusterRole', 'view-config'], { kind: 'Group', name: 'system:authenticated' }),
  // ServiceAccount subject without namespace in a ClusterRoleBinding names nobody.
  binding('nobody', undefined, ['ClusterRole', 'cluster-admin'], { kind: 'ServiceAccount', name: 'app' }),
  // The classic wrong-namespace binding: names team-b's app, lives in team-a.
  binding('wrong-ns', 'team-a', ['Role', 'pod-reader'], { kind: 'ServiceAccount', name: 'app', namespace: 'team-b' }),
  binding('missing-role', 'team-a', ['Role', 'nope'], { kind: 'Group', name: 'system:serviceaccounts' }),
]);
const teamAApp = { namespace: 'team-a', name: 'app' };
const teamBApp = { namespace: 'team-b', name: 'app' };

describe('bindings that apply to a ServiceAccount', () => {
  it('finds every subject form, with the subject it matched and the scope', () => {
    const permissions = permissionsOf(teamAApp, objects);
    assert.deepEqual(
      permissions.bindings.map(({ binding, via, scope }) => [binding.kind, binding.name, via, scope]),
      [
        ['ClusterRoleBinding', 'everyone', 'group:system:authenticated', 'cluster'],
        ['RoleBinding', 'pods', 'serviceaccount', 'team-a'],
        ['RoleBinding', 'secrets', 'user', 'team-a'],
        ['RoleBinding', 'missing-role', 'group:system:serviceaccounts', 'team-a'],
      ],
    );
    assert.deepEqual(permissions.errors, ['RoleBinding missing-role: role.rbac.authorization.k8s.io "nope" not found']);
    const secretRule = permissions.rules.find((rule) => rule.resources.includes('secrets'));
    assert.deepEqual(secretRule?.grantedBy, { kind: 'RoleBinding', namespace: 'team-a', name: 'secrets' });
    assert.equal(secretRule?.scope, 'team-a');
  });

  it('does not give a wrong-namespace binding to the account in the binding namespace', () => {
    assert.equal(
      permissionsOf({ namespace: 'team-a', name: 'other' }, objects).bindings.some(
        (b) => b.binding.name === 'wrong-ns',
      ),
      false,
    );
    assert.ok(permissionsOf(teamBApp, objects).bindings.some((b) => b.binding.name === 'wrong-ns'));
  });
});

describe('canI', () => {
  it('names the granting binding, role and rule, or says nothing grants it', () => {
    const allowed = canI(teamAApp, attributesOf('list', 'secrets', undefined, 'team-a'), objects);
    assert.equal(allowed.allowed, true);
    assert.equal(
      allowed.reason,
      'RBAC: allowed by RoleBinding "secrets/team-a" of ClusterRole "secret-reader" to User "system:serviceaccount:team-a:app"',
    );
    const denied = canI(teamAApp, attributesOf('list', 'secrets', undefined, 'team-b'), objects);
    assert.deepEqual([denied.allowed, denied.reason], [false, 'no RBAC rule grants it']);
    // A RoleBinding never grants cluster-scope requests (all-namespaces lists).
    assert.equal(canI(teamAApp, attributesOf('list', 'pods', undefined, ''), objects).allowed, false);
    assert.equal(canI(teamBApp, attributesOf('get', 'configmaps', 'x', 'team-b'), objects).allowed, true);
  });
});

describe('token-escalation risks', () => {
  it('flags secret readers with the granting binding and scope', () => {
    assert.deepEqual(
      tokenRisks(teamAApp, objects).map(({ code, scope, grantedBy }) => [code, scope, grantedBy.name]),
      [['read-secrets', 'team-a', 'secrets']],
    );
  });

  it('flags workloads, tokens, impersonation, escalation, wildcards and cluster-admin', () => {
    const input = rbacInputFrom([
      role('ops', 'x', { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }),
      role('minter', 'x', { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }),
      role('imp', undefined, { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }),
      role('esc', undefined, {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles'],
        verbs: ['bind'],
      }),
      role('wild', 'x', { apiGroups: ['batch'], resources: ['*'], verbs: ['get'] }),
      role('cluster-admin', undefined, { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }),
      binding('b1', 'x', ['Role', 'ops'], { kind: 'ServiceAccount', name: 'a' }),
      binding('b2', 'x', ['Role', 'minter'], { kind: 'ServiceAccount', name: 'a' }),
      binding('b3', undefined, ['ClusterRole', 'imp'], { kind: 'ServiceAccount', name: 'a', namespace: 'x' }),
      binding('b4', undefined, ['ClusterRole', 'esc'], { kind: 'ServiceAccount', name: 'a', namespace: 'x' }),
      binding('b5', 'x', ['Role', 'wild'], { kind: 'ServiceAccount', name: 'a' }),
      binding('b6', 'x', ['ClusterRole', 'cluster-admin'], { kind: 'ServiceAccount', name: 'a' }),
    ]);
    assert.deepEqual(
      tokenRisks({ namespace: 'x', name: 'a' }, input.objects).map(
        ({ code, grantedBy }) => `${grantedBy.name}:${code}`,
      ),
      ['b3:impersonate', 'b4:escalate', 'b1:create-pods', 'b2:create-tokens', 'b5:wildcard', 'b6:cluster-admin'],
    );
  });

  it('does not flag a rule limited to named secrets as reading every token', () => {
    const input = rbacInputFrom([
      role('one', 'x', { apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['get'] }),
      binding('b', 'x', ['Role', 'one'], { kind: 'ServiceAccount', name: 'a' }),
    ]);
    assert.deepEqual(tokenRisks({ namespace: 'x', name: 'a' }, input.objects), []);
  });
});

describe('who can', () => {
  it('expands groups to the known accounts and keeps how each is reached', () => {
    const entries = whoCan(attributesOf('get', 'configmaps', undefined, 'team-b'), objects, serviceAccounts);
    assert.deepEqual(
      entries.map((entry) => [
        `${entry.serviceAccount.namespace}/${entry.serviceAccount.name}`,
        entry.grantedBy.map((g) => `${g.binding.name}:${g.via}`),
      ]),
      [
        ['team-a/app', ['everyone:group:system:authenticated']],
        ['team-a/other', ['everyone:group:system:authenticated']],
        ['team-b/app', ['config:group:system:serviceaccounts:team-b', 'everyone:group:system:authenticated']],
      ],
    );
  });

  it('agrees with canI for every account and a grid of requests', () => {
    const index = new RbacIndex(objects);
    for (const verb of ['get', 'list', 'create'])
      for (const resource of ['pods', 'secrets', 'configmaps'])
        for (const namespace of ['team-a', 'team-b', '']) {
          const attributes = attributesOf(verb, resource, undefined, namespace);
          const allowedSet = new Set(
            whoCan(attributes, index, serviceAccounts).map(
              (e) => `${e.serviceAccount.namespace}/${e.serviceAccount.name}`,
            ),
          );
          for (const account of serviceAccounts)
            assert.equal(
              allowedSet.has(`${account.namespace}/${account.name}`),
              canI(account, attributes, index).allowed,
              `${verb} ${resource} ${namespace} ${account.name}`,
            );
        }
  });

  it('lists who can obtain an account token', () => {
    const obtainers = tokenObtainers(
      { namespace: 'team-a', name: 'other' },
      ['other-token-abc'],
      objects,
      serviceAccounts,
    );
    assert.deepEqual(
      obtainers.map(({ how, who }) => [how, who.map((entry) => entry.serviceAccount.name)]),
      [
        ['get secrets/other-token-abc', ['app']],
        ['list secrets', ['app']],
        ['watch secrets', ['app']],
      ],
    );
  });
});

describe('aggregated ClusterRoles in manifests', () => {
  it('fills rules from the labelled roles, as the aggregation controller does', () => {
    const input = rbacInputFrom([
      {
        kind: 'ClusterRole',
        metadata: { name: 'monitoring' },
        aggregationRule: {
          clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }],
        },
        rules: [],
      },
      {
        kind: 'ClusterRole',
        metadata: { name: 'monitoring-endpoints', labels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } },
        rules: [{ apiGroups: [''], resources: ['endpoints'], verbs: ['get'] }],
      },
      binding('m', 'x', ['ClusterRole', 'monitoring'], { kind: 'ServiceAccount', name: 'a' }),
    ]);
    const attributes = attributesOf('get', 'endpoints', undefined, 'x');
    const account = { namespace: 'x', name: 'a' };
    assert.equal(canI(account, attributes, new RbacIndex(input.objects, { aggregate: true })).allowed, true);
    assert.equal(canI(account, attributes, input.objects).allowed, false);
  });
});

describe('questions as typed', () => {
  it('reads kubectl-style questions', () => {
    assert.deepEqual(parseQuestion('list pods -n team-a', 'default'), {
      verb: 'list',
      resourceRequest: true,
      namespace: 'team-a',
      apiGroup: '',
      resource: 'pods',
      subresource: '',
      name: '',
    });
    assert.equal(parseQuestion('create deploy', 'default').apiGroup, 'apps');
    assert.equal(parseQuestion('create serviceaccounts/token builder', 'ns').subresource, 'token');
    assert.equal(parseQuestion('get widgets.example.com -A', 'ns').apiGroup, 'example.com');
    assert.equal(parseQuestion('get widgets.example.com -A', 'ns').namespace, '');
    assert.deepEqual(parseQuestion('get /healthz', 'ns'), { verb: 'get', resourceRequest: false, path: '/healthz' });
    assert.throws(() => parseQuestion('list', 'ns'), QuestionError);
    assert.throws(() => parseQuestion('list pods --bogus', 'ns'), QuestionError);
  });
});

describe('scaffolded grant', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  it('is valid YAML that grants exactly the request it was made for', () => {
    fc.assert(
      fc.property(
        name,
        name,
        fc.constantFrom('get', 'list', 'create', 'delete'),
        fc.constantFrom('pods', 'secrets', 'serviceaccounts/token', 'deployments'),
        fc.option(name, { nil: undefined }),
        fc.boolean(),
        (namespace, account, verb, resource, objectName, clusterScope) => {
          const attributes = attributesOf(verb, resource, objectName, clusterScope ? '' : namespace);
          const yaml = scaffoldGrant({ namespace, name: account }, attributes);
          const documents = parseAllDocuments(yaml);
          assert.ok(Array.isArray(documents) && documents.every((doc) => doc.errors.length === 0));
          const input = rbacInputFrom(documents.map((doc) => doc.toJS()));
          assert.equal(canI({ namespace, name: account }, attributes, input.objects).allowed, true);
          // Nothing more than asked: another verb, or another account, gets nothing.
          assert.equal(
            canI({ namespace, name: account }, { ...attributes, verb: 'patch' }, input.objects).allowed,
            false,
          );
          assert.equal(canI({ namespace, name: `${account}x` }, attributes, input.objects).allowed, false);
        },
      ),
    );
  });
});

// The index's shortcuts (group bindings merged once per namespace, accounts looked up by namespace and name, a
// binding's rules and risks made once) against the definition, binding by binding: DefaultRuleResolver.VisitRulesFor
// visits ClusterRoleBindings then RoleBindings, each binding's first subject that appliesTo the user
// (pkg/registry/rbac/validation/rule.go; serviceaccount.MatchesUsername compares the whole username).
describe('every account of a cluster at once', () => {
  const clusterRole = (name: string, ...ruleList: PolicyRule[]): Role => ({
    kind: 'ClusterRole',
    name,
    namespace: '',
    labels: {},
    rules: ruleList,
  });
  const policy = (verbs: string[], resources: string[]): PolicyRule => ({
    verbs,
    apiGroups: [''],
    resources,
    resourceNames: [],
    nonResourceURLs: [],
  });
  const roles: Role[] = [
    { ...clusterRole('reader', policy(['get'], ['pods'])), kind: 'Role', namespace: 'a' },
    { ...clusterRole('reader', policy(['list'], ['secrets'])), kind: 'Role', namespace: 'c:d' },
  ];
  const clusterRoles = [
    clusterRole('cluster-admin', policy(['*'], ['*'])),
    clusterRole('secrets', policy(['get', 'watch'], ['secrets']), policy(['create'], ['pods'])),
    clusterRole('view', policy(['get'], ['configmaps'])),
  ];
  // Malformed names too (`:` or empty): they must be found by their username exactly as before.
  const namespace = fc.constantFrom('a', 'b', 'c:d', '');
  const name = fc.constantFrom('x', 'y', 'x:y', '');
  const subject = fc.oneof(
    fc.record({ kind: fc.constant('ServiceAccount'), name, namespace: fc.option(namespace, { nil: undefined }) }),
    fc.record({
      kind: fc.constant('User'),
      name: fc.oneof(
        fc.tuple(namespace, name).map(([ns, account]) => `system:serviceaccount:${ns}:${account}`),
        fc.constantFrom('system:serviceaccount:a', 'alice'),
      ),
    }),
    fc.record({
      kind: fc.constant('Group'),
      name: fc.oneof(
        fc.constantFrom('system:serviceaccounts', 'system:authenticated', 'team'),
        namespace.map((ns) => `system:serviceaccounts:${ns}`),
      ),
    }),
  );
  const binding = fc.record({
    kind: fc.constantFrom('RoleBinding' as const, 'ClusterRoleBinding' as const),
    name: fc.constantFrom('one', 'two'),
    namespace: fc.constantFrom('a', 'b', 'c:d'),
    subjects: fc.array(subject, { maxLength: 3 }),
    roleRef: fc.record({
      kind: fc.constantFrom('Role', 'ClusterRole'),
      name: fc.constantFrom('reader', 'cluster-admin', 'secrets', 'view', 'missing'),
    }),
  });
  const account = fc.record({ namespace, name });

  const appliesTo = (subject: Subject, user: UserInfo, bindingNamespace: string): boolean => {
    if (subject.kind === 'User') return subject.name === user.name;
    if (subject.kind === 'Group') return user.groups.includes(subject.name);
    if (subject.kind !== 'ServiceAccount') return false;
    const accountNamespace = subject.namespace || bindingNamespace;
    return accountNamespace !== '' && user.name === `system:serviceaccount:${accountNamespace}:${subject.name}`;
  };

  function byDefinition(of: ServiceAccountRef, objects: RbacObjects) {
    const user = serviceAccountUser(of);
    const all = [...objects.clusterRoleBindings, ...objects.roleBindings];
    const index = new RbacIndex(objects); // only for roleOf, the role lookup the authorizer tests cover
    const bindings = all.flatMap((candidate, order) => {
      const subjectIndex = candidate.subjects.findIndex((subject) => appliesTo(subject, user, candidate.namespace));
      if (subjectIndex < 0) return [];
      const subject = candidate.subjects[subjectIndex];
      const { role, error } = index.roleOf(candidate);
      const via =
        subject.kind === 'ServiceAccount'
          ? 'serviceaccount'
          : subject.kind === 'User'
            ? 'user'
            : `group:${subject.name}`;
      const scope = candidate.kind === 'ClusterRoleBinding' ? 'cluster' : candidate.namespace;
      return [{ binding: candidate, subject, via, scope, role, roleError: error, order } as AppliedBinding];
    });
    const grantedBy = (applied: AppliedBinding) => ({
      kind: applied.binding.kind,
      namespace: applied.binding.namespace || null,
      name: applied.binding.name,
    });
    return {
      serviceAccount: of,
      bindings,
      rules: bindings.flatMap((applied) =>
        (applied.role?.rules ?? []).map((rule) => ({ ...rule, scope: applied.scope, grantedBy: grantedBy(applied) })),
      ),
      risks: bindings.flatMap((applied) => bindingRisks(applied)),
      errors: bindings.flatMap((applied) =>
        applied.roleError ? [`${applied.binding.kind} ${applied.binding.name}: ${applied.roleError}`] : [],
      ),
    };
  }

  it('finds for each account what the definition finds, from one shared index', () => {
    fc.assert(
      fc.property(fc.array(binding, { maxLength: 12 }), fc.array(account, { maxLength: 8 }), (bindings, accounts) => {
        const objects: RbacObjects = {
          roles,
          clusterRoles,
          roleBindings: bindings.filter((b) => b.kind === 'RoleBinding'),
          clusterRoleBindings: bindings
            .filter((b) => b.kind === 'ClusterRoleBinding')
            .map((b) => ({ ...b, namespace: '' })),
        };
        const index = new RbacIndex(objects);
        for (const of of accounts) {
          const expected = byDefinition(of, objects);
          assert.deepEqual(permissionsOf(of, index), expected);
          assert.deepEqual(index.bindingsFor(serviceAccountUser(of)), expected.bindings);
          assert.deepEqual(tokenRisks(of, index), expected.risks);
        }
      }),
    );
  });
});
