// The product's RBAC evaluator against Kubernetes' own test tables (test/fixtures/rbac/kubernetes-cases.json).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyRule } from '../../../../src/core/rbac/objects';
import { RbacIndex, ruleAllows, type Binding, type RbacObjects, type Role } from '../../../../src/core/rbac/index';
import {
  describeReference,
  kubernetesCases,
  ruleKey,
  type RawBinding,
  type RawObjects,
  type RawRole,
  type RawRule,
} from '../../../fixtures/rbac/cases';

const rule = (raw: RawRule) => policyRule(raw as unknown as Record<string, unknown>);
// The Go tests leave binding names empty, which the product's reader of API objects would drop: build directly.
const role = (raw: RawRole, kind: Role['kind']): Role => ({
  kind,
  name: raw.metadata.name,
  namespace: raw.metadata.namespace ?? '',
  labels: {},
  rules: raw.rules.map(rule),
});
const binding = (raw: RawBinding, kind: Binding['kind']): Binding => ({
  kind,
  name: raw.metadata.name,
  namespace: raw.metadata.namespace ?? '',
  subjects: raw.subjects,
  roleRef: raw.roleRef,
});
const objectsOf = (raw: RawObjects): RbacObjects => ({
  roles: raw.roles.map((item) => role(item, 'Role')),
  clusterRoles: raw.clusterRoles.map((item) => role(item, 'ClusterRole')),
  roleBindings: raw.roleBindings.map((item) => binding(item, 'RoleBinding')),
  clusterRoleBindings: raw.clusterRoleBindings.map((item) => binding(item, 'ClusterRoleBinding')),
});

describe('RBAC evaluator: Kubernetes TestAuthorizer', () => {
  for (const testCase of kubernetesCases.authorizer) {
    it(describeReference(testCase.reference), () => {
      const index = new RbacIndex(objectsOf(testCase));
      for (const { user, ...request } of testCase.shouldPass)
        assert.equal(
          index.authorize(user, request).allowed,
          true,
          `incorrectly restricted ${JSON.stringify({ user, request })}`,
        );
      for (const { user, ...request } of testCase.shouldFail)
        assert.equal(
          index.authorize(user, request).allowed,
          false,
          `incorrectly passed ${JSON.stringify({ user, request })}`,
        );
    });
  }
});

describe('RBAC evaluator: Kubernetes TestRuleMatches', () => {
  for (const testCase of kubernetesCases.ruleMatches) {
    it(describeReference(testCase.reference), () => {
      for (const { request, expected } of testCase.requests)
        assert.equal(ruleAllows(request, rule(testCase.rule)), expected, JSON.stringify(request));
    });
  }
});

describe('RBAC evaluator: Kubernetes TestDefaultRuleResolver', () => {
  const index = new RbacIndex(objectsOf(kubernetesCases.defaultRuleResolver.objects));
  for (const testCase of kubernetesCases.defaultRuleResolver.cases) {
    it(describeReference(testCase.reference), () => {
      const actual = index.rulesFor(testCase.user, testCase.namespace).map(ruleKey).sort();
      assert.deepEqual(actual, testCase.effectiveRules.map(ruleKey).sort());
    });
  }
});

describe('RBAC evaluator: Kubernetes TestAppliesTo', () => {
  for (const testCase of kubernetesCases.appliesTo) {
    it(describeReference(testCase.reference), () => {
      // appliesTo(user, subjects, namespace): a RoleBinding there, or a ClusterRoleBinding for no namespace.
      const kind = testCase.namespace ? 'RoleBinding' : 'ClusterRoleBinding';
      const raw = {
        metadata: { name: 'case', namespace: testCase.namespace || undefined },
        subjects: testCase.subjects,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'any' },
      };
      const objects: RbacObjects = {
        roles: [],
        clusterRoles: [],
        roleBindings: kind === 'RoleBinding' ? [binding(raw, kind)] : [],
        clusterRoleBindings: kind === 'ClusterRoleBinding' ? [binding(raw, kind)] : [],
      };
      assert.equal(new RbacIndex(objects).bindingsFor(testCase.user).length > 0, testCase.appliesTo);
    });
  }
});

describe('RBAC evaluator: evaluation_helpers.go branches', () => {
  for (const testCase of kubernetesCases.helpers) {
    it(`${describeReference(testCase.reference)}: ${testCase.why}`, () => {
      assert.equal(ruleAllows(testCase.request, rule(testCase.rule)), testCase.expected);
    });
  }
});
