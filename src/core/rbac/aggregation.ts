// What the clusterrole-aggregation controller writes into an aggregated ClusterRole
// (pkg/controller/clusterroleaggregation: selectors in order, matching roles by name, itself skipped, rules deduped).
// Used for manifests, where nothing has run the controller yet; a live cluster's roles already carry the rules.
import type { LabelSelector, PolicyRule, Role } from './types';

/** `metav1.LabelSelectorAsSelector(selector).Matches(labels)`; an empty selector matches everything. */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false;
  for (const { key, operator, values } of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // an invalid operator makes the selector invalid: the controller aggregates nothing
    }
  }
  return true;
}

export function aggregatedRules(target: Role, clusterRoles: readonly Role[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  const byName = [...clusterRoles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const selector of target.aggregationRule?.clusterRoleSelectors ?? []) {
    for (const role of byName) {
      if (role.name === target.name || !labelSelectorMatches(selector, role.labels)) continue;
      for (const rule of role.rules) {
        const key = ruleKey(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
  }
  return rules;
}

/** A copy of the ClusterRoles with every aggregationRule filled in, one pass, as after one controller sync. */
export function withAggregatedRules(clusterRoles: readonly Role[]): Role[] {
  return clusterRoles.map((role) =>
    role.aggregationRule ? { ...role, rules: aggregatedRules(role, clusterRoles) } : role,
  );
}

/** Rules are the same rule when every list is equal, in order (the controller compares them with DeepEqual). */
function ruleKey(rule: PolicyRule): string {
  return JSON.stringify([rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
}
