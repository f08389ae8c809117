// SelfSubjectAccessReview (`kubectl auth can-i`): the authorizer's answer for the caller, without doing the request;
// SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules behind those answers.
import { allowed, rulesFor, type UserInfo } from './auth';
import { isObject } from './objects';
import type { RequestInfo } from './request-info';
import { badRequest } from './status';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

function attributesOf(spec: Record<string, unknown>): RequestInfo {
  const base = { query: new URLSearchParams(), apiVersion: 'v1', namespace: '', subresource: '', name: '' };
  if (isObject(spec.nonResourceAttributes)) {
    const { path = '', verb = '' } = spec.nonResourceAttributes as { path?: string; verb?: string };
    return { ...base, path, verb, isResourceRequest: false, apiGroup: '', resource: '' };
  }
  if (!isObject(spec.resourceAttributes))
    throw badRequest(
      'spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  const attributes = spec.resourceAttributes as ResourceAttributes;
  return {
    ...base,
    path: '',
    isResourceRequest: true,
    verb: attributes.verb ?? '',
    apiGroup: attributes.group ?? '',
    namespace: attributes.namespace ?? '',
    resource: attributes.resource ?? '',
    subresource: attributes.subresource ?? '',
    name: attributes.name ?? '',
  };
}

export function createSelfSubjectAccessReview(user: UserInfo, body: unknown) {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const verdict = allowed(user, attributesOf(spec));
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: verdict
      ? { allowed: true, reason: user.groups.includes('system:masters') ? '' : 'RBAC: allowed by RoleBinding' }
      : { allowed: false },
  };
}

/**
 * SelfSubjectRulesReview (`kubectl auth can-i --list`): the caller's rules in spec.namespace, as
 * pkg/registry/authorization/selfsubjectrulesreview/rest.go answers (400 "no namespace on request" without one).
 */
export function createSelfSubjectRulesReview(user: UserInfo, body: unknown) {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
  if (!namespace) throw badRequest('no namespace on request');
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: { ...rulesFor(user, namespace), incomplete: false },
  };
}
