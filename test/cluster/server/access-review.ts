// SelfSubjectAccessReview (`kubectl auth can-i`) and SubjectAccessReview: the authorizer's answer for the caller, or
// for the user the spec names, without doing the request (pkg/registry/authorization/*subjectaccessreview);
// SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules behind those answers.
import { decide, rulesFor, type UserInfo } from './auth';
import type { Cluster } from './cluster';
import { isObject } from './objects';
import type { RequestInfo } from './request-info';
import { badRequest, invalid } from './status';

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

function status(cluster: Cluster, user: UserInfo, spec: Record<string, unknown>) {
  const verdict = decide(cluster, user, attributesOf(spec));
  return verdict.allowed
    ? { allowed: true, ...(verdict.reason ? { reason: verdict.reason } : {}) }
    : { allowed: false, ...(verdict.reason ? { reason: verdict.reason } : {}) };
}

export function createSelfSubjectAccessReview(cluster: Cluster, user: UserInfo, body: unknown) {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: status(cluster, user, spec),
  };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];

/** The reviewed user is exactly spec.user and spec.groups: nothing is added (no SA groups, no system:authenticated). */
export function createSubjectAccessReview(cluster: Cluster, body: unknown) {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const username = typeof spec.user === 'string' ? spec.user : '';
  const groups = strings(spec.groups);
  if (!username && groups.length === 0)
    throw invalid(
      'SubjectAccessReview',
      '',
      [{ field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' }],
      'authorization.k8s.io',
    );
  return {
    kind: 'SubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: status(cluster, { username, groups }, spec),
  };
}

/**
 * SelfSubjectRulesReview (`kubectl auth can-i --list`): the caller's rules in spec.namespace, as
 * pkg/registry/authorization/selfsubjectrulesreview/rest.go answers (400 "no namespace on request" without one).
 */
export function createSelfSubjectRulesReview(cluster: Cluster, user: UserInfo, body: unknown) {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
  if (!namespace) throw badRequest('no namespace on request');
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: { ...rulesFor(cluster, user, namespace), incomplete: false },
  };
}
