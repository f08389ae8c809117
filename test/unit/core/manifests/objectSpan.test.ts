import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findObjectSpan } from '../../../../src/core/manifests/objects';

const manifest = `# tokens
apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
  namespace: ci
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    type: kubernetes.io/service-account-token
    metadata:
      name: builder-token
      namespace: ci
`;

const lineOf = (offset: number) => manifest.slice(0, offset).split('\n').length;

test('findObjectSpan: the object of that kind, name and namespace; one without a namespace matches any, after', () => {
  const inCi = findObjectSpan(manifest, { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' });
  assert.equal(lineOf(inCi!.start), 7, 'the one that names namespace ci, though another comes first');
  const elsewhere = findObjectSpan(manifest, { kind: 'ServiceAccount', namespace: 'prod', name: 'builder' });
  assert.equal(lineOf(elsewhere!.start), 2, 'applied to any namespace');
  const listed = findObjectSpan(manifest, { kind: 'Secret', namespace: 'ci', name: 'builder-token' });
  assert.equal(lineOf(listed!.start), 16, 'an item of a kind: List');
  assert.equal(findObjectSpan(manifest, { kind: 'Secret', namespace: 'prod', name: 'builder-token' }), undefined);
  assert.equal(findObjectSpan(manifest, { kind: 'Pod', namespace: 'ci', name: 'builder' }), undefined);
  assert.equal(findObjectSpan('not: [yaml', { kind: 'Pod', namespace: 'ci', name: 'x' }), undefined);
});
