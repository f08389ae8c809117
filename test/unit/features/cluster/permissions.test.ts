// The Permissions node's children: bindings via their subject with risks, forbidden RBAC lists as such, rules below.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RbacIndex, rbacInputFrom } from '../../../../src/core/rbac/index';
import { childrenOf, type ClusterNode } from '../../../../src/features/cluster/nodes';
import { permissionsChildren } from '../../../../src/features/cluster/permissions';
import { present } from '../../../../src/features/cluster/present';
import type { ServiceAccountInfo } from '../../../../src/core/cluster/model';

const account = { namespace: 'shop', name: 'web' } as ServiceAccountInfo;
const { objects, serviceAccounts } = rbacInputFrom([
  {
    kind: 'ClusterRole',
    metadata: { name: 'secret-reader' },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
  },
  {
    kind: 'RoleBinding',
    metadata: { name: 'web-secrets', namespace: 'shop' },
    roleRef: { kind: 'ClusterRole', name: 'secret-reader' },
    subjects: [{ kind: 'Group', name: 'system:serviceaccounts:shop' }],
  },
]);

test('bindings apply via their subject, risky ones flagged, rules below', () => {
  const children = permissionsChildren(account, { index: new RbacIndex(objects), serviceAccounts, errors: [] });
  assert.equal(children.length, 1);
  const view = present(children[0], new Date());
  assert.equal(view.label, 'ClusterRole secret-reader');
  assert.match(
    view.description ?? '',
    /RoleBinding shop\/web-secrets · via group system:serviceaccounts:shop · in shop · read-secrets/,
  );
  assert.equal(view.icon.tone, 'warning');
  const rules = childrenOf(children[0], undefined) as Extract<ClusterNode, { type: 'rule' }>[];
  assert.equal(present(rules[0], new Date()).label, 'get, list secrets');
});

test('a 403 on an RBAC list is shown as such, the rest still listed', () => {
  const children = permissionsChildren(account, {
    index: new RbacIndex(objects),
    serviceAccounts,
    errors: [{ resource: 'clusterrolebindings', forbidden: true, reason: 'forbidden' }],
  });
  assert.deepEqual(
    children.map((node) => node.type),
    ['binding', 'forbidden'],
  );
  assert.match(present(children[1], new Date()).label, /cannot list clusterrolebindings \(403\)/);
});

test('no binding says so', () => {
  const none = permissionsChildren({ namespace: 'x', name: 'y' } as ServiceAccountInfo, {
    index: new RbacIndex(objects),
    serviceAccounts,
    errors: [],
  });
  assert.deepEqual(none, [{ type: 'message', text: 'No RBAC binding applies', tone: 'info' }]);
});
