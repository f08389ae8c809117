// The cluster's RBAC state as the authorizer reads it (informer-like caches over the store, rebuilt when the store
// changed), and the clusterrole-aggregation controller (pkg/controller/clusterroleaggregation): an aggregated
// ClusterRole's rules are the rules of the ClusterRoles its selectors match, by name, itself skipped, deduplicated.
import { isDeepStrictEqual } from 'node:util';
import type { ObjectStore } from '../store';
import type { BindingObject, RbacLister, RoleObject, Rule } from './authorizer';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

interface ClusterRoleObject extends RoleObject {
  metadata: { name?: string; labels?: Record<string, string> };
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

/** metav1.LabelSelectorAsSelector(selector).Matches(labels). */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const requirements = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, operator: 'In', values: [value] })),
    ...(selector.matchExpressions ?? []),
  ];
  return requirements.every(({ key = '', operator, values = [] }) => {
    const present = key in labels;
    if (operator === 'In') return present && values.includes(labels[key]);
    if (operator === 'NotIn') return !present || !values.includes(labels[key]);
    if (operator === 'Exists') return present;
    if (operator === 'DoesNotExist') return !present;
    return false;
  });
}

const all = <T>(store: ObjectStore, resource: string): T[] =>
  store.page(resource, {}).items.map((item) => JSON.parse(item.json) as T);

/** The controller's sync of every aggregated ClusterRole; returns whether any rules changed. */
export function aggregateClusterRoles(store: ObjectStore): boolean {
  const clusterRoles = all<ClusterRoleObject>(store, 'clusterroles').sort((a, b) =>
    (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1,
  );
  let changed = false;
  for (const target of clusterRoles) {
    const selectors = target.aggregationRule?.clusterRoleSelectors;
    if (!selectors) continue;
    const rules: Rule[] = [];
    for (const selector of selectors) {
      for (const source of clusterRoles) {
        if (source.metadata.name === target.metadata.name || !selects(selector, source.metadata.labels ?? {})) continue;
        for (const rule of source.rules ?? [])
          if (!rules.some((known) => isDeepStrictEqual(known, rule))) rules.push(rule);
      }
    }
    if (isDeepStrictEqual(rules, target.rules ?? [])) continue;
    store.put('clusterroles', { ...target, rules } as never);
    changed = true;
  }
  return changed;
}

/** Runs the controller until nothing changes (aggregated roles may select other aggregated roles). */
export function runAggregationController(store: ObjectStore): void {
  for (let round = 0; round < 10 && aggregateClusterRoles(store); round++);
}

/** Listers over the store, re-read whenever the store's resourceVersion moved. */
export class StoreRbacLister implements RbacLister {
  private version = -1;
  private byNamespace = new Map<string, BindingObject[]>();
  private clusterBindings: BindingObject[] = [];
  private roles = new Map<string, RoleObject>();
  private clusterRoles = new Map<string, RoleObject>();

  constructor(private readonly store: ObjectStore) {}

  clusterRoleBindings(): BindingObject[] {
    return this.fresh().clusterBindings;
  }

  roleBindings(namespace: string): BindingObject[] {
    return this.fresh().byNamespace.get(namespace) ?? [];
  }

  role(namespace: string, name: string): RoleObject | undefined {
    return this.fresh().roles.get(`${namespace}/${name}`);
  }

  clusterRole(name: string): RoleObject | undefined {
    return this.fresh().clusterRoles.get(name);
  }

  private fresh(): this {
    if (this.version === this.store.resourceVersion) return this;
    this.version = this.store.resourceVersion;
    this.clusterBindings = all<BindingObject>(this.store, 'clusterrolebindings');
    this.byNamespace = new Map();
    for (const binding of all<BindingObject>(this.store, 'rolebindings')) {
      const namespace = binding.metadata.namespace ?? '';
      const list = this.byNamespace.get(namespace);
      if (list) list.push(binding);
      else this.byNamespace.set(namespace, [binding]);
    }
    this.roles = new Map(
      all<RoleObject>(this.store, 'roles').map((role) => [`${role.metadata.namespace}/${role.metadata.name}`, role]),
    );
    this.clusterRoles = new Map(
      all<RoleObject>(this.store, 'clusterroles').map((role) => [role.metadata.name ?? '', role]),
    );
    return this;
  }
}
