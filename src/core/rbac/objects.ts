// Reads RBAC objects (and ServiceAccounts) from untrusted JSON/YAML values: anything malformed is dropped, never thrown.
import type { Binding, LabelSelector, PolicyRule, RbacObjects, Role, ServiceAccountRef, Subject } from './types';

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const records = (value: unknown): Raw[] => (Array.isArray(value) ? value.filter(isRecord) : []);

function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isRecord(value)) return result;
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') result[key] = item;
  return result;
}

export const emptyRbacObjects = (): RbacObjects => ({
  roles: [],
  clusterRoles: [],
  roleBindings: [],
  clusterRoleBindings: [],
});

export function policyRule(raw: Raw): PolicyRule {
  return {
    verbs: strings(raw.verbs),
    apiGroups: strings(raw.apiGroups),
    resources: strings(raw.resources),
    resourceNames: strings(raw.resourceNames),
    nonResourceURLs: strings(raw.nonResourceURLs),
  };
}

function labelSelector(raw: Raw): LabelSelector {
  return {
    matchLabels: stringMap(raw.matchLabels),
    matchExpressions: records(raw.matchExpressions).map((expression) => ({
      key: text(expression.key),
      operator: text(expression.operator),
      values: strings(expression.values),
    })),
  };
}

function metadataOf(raw: Raw): { name: string; namespace: string; labels: Record<string, string> } {
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  return { name: text(metadata.name), namespace: text(metadata.namespace), labels: stringMap(metadata.labels) };
}

/** `namespaceOptional`: a manifest's Role may leave its namespace to `kubectl apply -n` ('' = unknown). */
export function roleFrom(raw: unknown, kind: Role['kind'], { namespaceOptional = false } = {}): Role | undefined {
  if (!isRecord(raw)) return undefined;
  const { name, namespace, labels } = metadataOf(raw);
  if (!name || (kind === 'ClusterRole' && namespace) || (kind === 'Role' && !namespace && !namespaceOptional))
    return undefined;
  const role: Role = {
    kind,
    name,
    namespace: kind === 'Role' ? namespace : '',
    labels,
    rules: records(raw.rules).map(policyRule),
  };
  if (kind === 'ClusterRole' && isRecord(raw.aggregationRule)) {
    role.aggregationRule = {
      clusterRoleSelectors: records(raw.aggregationRule.clusterRoleSelectors).map(labelSelector),
    };
  }
  return role;
}

export function bindingFrom(raw: unknown, kind: Binding['kind']): Binding | undefined {
  if (!isRecord(raw) || !isRecord(raw.roleRef)) return undefined;
  const { name, namespace } = metadataOf(raw);
  if (!name || (kind === 'RoleBinding') !== Boolean(namespace)) return undefined;
  const subjects: Subject[] = records(raw.subjects).map((subject) => ({
    kind: text(subject.kind),
    name: text(subject.name),
    ...(typeof subject.namespace === 'string' ? { namespace: subject.namespace } : {}),
    ...(typeof subject.apiGroup === 'string' ? { apiGroup: subject.apiGroup } : {}),
  }));
  const roleRef = {
    kind: text(raw.roleRef.kind),
    name: text(raw.roleRef.name),
    ...(typeof raw.roleRef.apiGroup === 'string' ? { apiGroup: raw.roleRef.apiGroup } : {}),
  };
  return { kind, name, namespace: kind === 'RoleBinding' ? namespace : '', subjects, roleRef };
}

export interface ParsedRbacInput {
  objects: RbacObjects;
  serviceAccounts: ServiceAccountRef[];
}

/**
 * Sorts a mixed list of objects by `kind` (manifests, `kubectl get -o json` output, `kind: List` items) into RBAC
 * objects and ServiceAccounts. Objects of other kinds are ignored.
 */
export function rbacInputFrom(items: Iterable<unknown>): ParsedRbacInput {
  const objects = emptyRbacObjects();
  const serviceAccounts: ServiceAccountRef[] = [];
  const visit = (item: unknown): void => {
    if (!isRecord(item)) return;
    switch (item.kind) {
      case 'List':
      case 'RoleList':
      case 'ClusterRoleList':
      case 'RoleBindingList':
      case 'ClusterRoleBindingList':
      case 'ServiceAccountList': {
        const itemKind = typeof item.kind === 'string' && item.kind !== 'List' ? item.kind.slice(0, -4) : undefined;
        for (const child of records(item.items)) visit(itemKind && !child.kind ? { ...child, kind: itemKind } : child);
        return;
      }
      case 'Role':
      case 'ClusterRole': {
        const role = roleFrom(item, item.kind);
        if (role) (role.kind === 'Role' ? objects.roles : objects.clusterRoles).push(role);
        return;
      }
      case 'RoleBinding':
      case 'ClusterRoleBinding': {
        const binding = bindingFrom(item, item.kind);
        if (binding)
          (binding.kind === 'RoleBinding' ? objects.roleBindings : objects.clusterRoleBindings).push(binding);
        return;
      }
      case 'ServiceAccount': {
        const { name, namespace } = metadataOf(item);
        if (name) serviceAccounts.push({ namespace: namespace || 'default', name });
        return;
      }
    }
  };
  for (const item of items) visit(item);
  return { objects, serviceAccounts };
}
