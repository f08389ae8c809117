// The default ClusterRoles every cluster has (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), reduced to
// the rules that matter for token-escalation findings: bindings in manifests name them without defining them.
import type { PolicyRule, Role } from './types';

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
  resourceNames: [],
  nonResourceURLs: [],
});
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const role = (name: string, rules: PolicyRule[]): Role => ({
  kind: 'ClusterRole',
  name,
  namespace: '',
  labels: {},
  rules,
});

/** edit (and admin, which aggregates it): secrets, pods, workloads, tokens and ServiceAccount impersonation. */
const editRules = [
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(write, [''], ['pods', 'secrets', 'serviceaccounts', 'replicationcontrollers']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(['get', 'list', 'watch'], [''], ['secrets']),
  rule(write, ['apps'], ['daemonsets', 'deployments', 'replicasets', 'statefulsets']),
  rule(write, ['batch'], ['cronjobs', 'jobs']),
];

export const BUILT_IN_CLUSTER_ROLES: readonly Role[] = [
  role('cluster-admin', [rule(['*'], ['*'], ['*'])]),
  role('admin', [
    ...editRules,
    rule([...write, 'get', 'list', 'watch'], ['rbac.authorization.k8s.io'], ['roles', 'rolebindings']),
  ]),
  role('edit', editRules),
  role('view', [rule(['get', 'list', 'watch'], [''], ['pods', 'configmaps', 'serviceaccounts', 'services'])]),
];
