// The local API server's RBAC authorizer against Kubernetes' own test tables (test/fixtures/rbac/kubernetes-cases.json)
// — the same data the product's evaluator is checked against, so neither is checked against the other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appliesTo, authorizeRbac, ruleAllows, rulesFor, type Attributes, type RbacLister } from '../rbac/authorizer';
import {
  describeReference,
  kubernetesCases,
  ruleKey,
  type CaseRequest,
  type RawObjects,
} from '../../../fixtures/rbac/cases';

function listerOf(objects: RawObjects): RbacLister {
  return {
    clusterRoleBindings: () => objects.clusterRoleBindings,
    roleBindings: (namespace) => objects.roleBindings.filter((binding) => binding.metadata.namespace === namespace),
    role: (namespace, name) =>
      objects.roles.find((role) => role.metadata.namespace === namespace && role.metadata.name === name),
    clusterRole: (name) => objects.clusterRoles.find((role) => role.metadata.name === name),
  };
}

const attributes = (request: CaseRequest): Attributes => ({
  verb: request.verb,
  isResourceRequest: request.resourceRequest,
  namespace: request.namespace ?? '',
  apiGroup: request.apiGroup ?? '',
  resource: request.resource ?? '',
  subresource: request.subresource ?? '',
  name: request.name ?? '',
  path: request.path ?? '',
});

describe('server authorizer: Kubernetes TestAuthorizer', () => {
  for (const testCase of kubernetesCases.authorizer) {
    it(describeReference(testCase.reference), () => {
      const lister = listerOf(testCase);
      for (const { user, ...request } of testCase.shouldPass)
        assert.equal(
          authorizeRbac(lister, { username: user.name, groups: user.groups }, attributes(request)).allowed,
          true,
          `incorrectly restricted ${JSON.stringify({ user, request })}`,
        );
      for (const { user, ...request } of testCase.shouldFail)
        assert.equal(
          authorizeRbac(lister, { username: user.name, groups: user.groups }, attributes(request)).allowed,
          false,
          `incorrectly passed ${JSON.stringify({ user, request })}`,
        );
    });
  }
});

describe('server authorizer: Kubernetes TestRuleMatches', () => {
  for (const testCase of kubernetesCases.ruleMatches) {
    it(describeReference(testCase.reference), () => {
      for (const { request, expected } of testCase.requests)
        assert.equal(ruleAllows(attributes(request), testCase.rule), expected, JSON.stringify(request));
    });
  }
});

describe('server authorizer: Kubernetes TestDefaultRuleResolver', () => {
  const lister = listerOf(kubernetesCases.defaultRuleResolver.objects);
  for (const testCase of kubernetesCases.defaultRuleResolver.cases) {
    it(describeReference(testCase.reference), () => {
      const user = { username: testCase.user.name, groups: testCase.user.groups };
      assert.deepEqual(
        rulesFor(lister, user, testCase.namespace)
          .map((rule) => ruleKey({ ...rule, verbs: rule.verbs ?? [] }))
          .sort(),
        testCase.effectiveRules.map(ruleKey).sort(),
      );
    });
  }
});

describe('server authorizer: Kubernetes TestAppliesTo', () => {
  for (const testCase of kubernetesCases.appliesTo) {
    it(describeReference(testCase.reference), () => {
      const user = { username: testCase.user.name, groups: testCase.user.groups };
      assert.equal(appliesTo(user, testCase.subjects, testCase.namespace) >= 0, testCase.appliesTo);
    });
  }
});

describe('server authorizer: evaluation_helpers.go branches', () => {
  for (const testCase of kubernetesCases.helpers) {
    it(`${describeReference(testCase.reference)}: ${testCase.why}`, () => {
      assert.equal(ruleAllows(attributes(testCase.request), testCase.rule), testCase.expected);
    });
  }
});
