// Rule matching exactly as Kubernetes does it: pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches,
// APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches) and RuleAllows in
// plugin/pkg/auth/authorizer/rbac/rbac.go. Comparisons are case-sensitive, as there.
import type { PolicyRule, RequestAttributes } from './types';

export const VERB_ALL = '*';
export const API_GROUP_ALL = '*';
export const RESOURCE_ALL = '*';
export const NON_RESOURCE_ALL = '*';

// `includes` rather than `some` with a closure: these run for every rule of every question (no allocation).
export const verbMatches = (rule: PolicyRule, verb: string): boolean =>
  rule.verbs.includes(VERB_ALL) || rule.verbs.includes(verb);

export const apiGroupMatches = (rule: PolicyRule, group: string): boolean =>
  rule.apiGroups.includes(API_GROUP_ALL) || rule.apiGroups.includes(group);

export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const ruleResource of rule.resources) {
    if (ruleResource === RESOURCE_ALL || ruleResource === combinedResource) return true;
    // `*/subresource` matches that subresource of every resource.
    if (
      subresource &&
      ruleResource.length === subresource.length + 2 &&
      ruleResource.startsWith('*/') &&
      ruleResource.endsWith(subresource)
    )
      return true;
  }
  return false;
}

export const resourceNameMatches = (rule: PolicyRule, name: string): boolean =>
  rule.resourceNames.length === 0 || rule.resourceNames.includes(name);

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some(
    (ruleURL) =>
      ruleURL === NON_RESOURCE_ALL ||
      ruleURL === path ||
      (ruleURL.endsWith('*') && path.startsWith(ruleURL.replace(/\*+$/, ''))),
  );
}

export function ruleAllows(attributes: RequestAttributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attributes.verb)) return false;
  if (!attributes.resourceRequest) return nonResourceURLMatches(rule, attributes.path ?? '');
  const resource = attributes.resource ?? '';
  const subresource = attributes.subresource ?? '';
  return (
    apiGroupMatches(rule, attributes.apiGroup ?? '') &&
    resourceMatches(rule, subresource ? `${resource}/${subresource}` : resource, subresource) &&
    resourceNameMatches(rule, attributes.name ?? '')
  );
}
