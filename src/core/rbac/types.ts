// The RBAC objects the evaluator reads, normalized from API answers or manifests (rbac.authorization.k8s.io/v1).

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelSelectorRequirement[];
}

export interface Role {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** Empty for a ClusterRole. */
  namespace: string;
  labels: Record<string, string>;
  rules: PolicyRule[];
  /** ClusterRoles only: the selectors whose roles' rules the aggregation controller copies in. */
  aggregationRule?: { clusterRoleSelectors: LabelSelector[] };
}

export interface Binding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  /** Empty for a ClusterRoleBinding. */
  namespace: string;
  subjects: Subject[];
  roleRef: RoleRef;
}

export interface RbacObjects {
  roles: Role[];
  clusterRoles: Role[];
  roleBindings: Binding[];
  clusterRoleBindings: Binding[];
}

/** `user.Info` as the authorizer sees it. */
export interface UserInfo {
  name: string;
  groups: readonly string[];
}

/** `authorizer.Attributes`: a resource request, or a non-resource request (`path`). */
export interface RequestAttributes {
  verb: string;
  resourceRequest: boolean;
  /** Empty for a cluster-scoped request. */
  namespace?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  path?: string;
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** Where a binding or rule comes from: `{"kind","namespace"|null,"name"}` of the JSON contract. */
export interface ObjectRef {
  kind: string;
  namespace: string | null;
  name: string;
}

/** `cluster`, or the namespace a RoleBinding limits its rules to. */
export type Scope = string;
export const CLUSTER_SCOPE = 'cluster';
