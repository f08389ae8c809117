// Token-escalation findings: what a binding lets its holder do to get another ServiceAccount's token, or more.
// A binding's rules and scope decide them, whoever it names.
import { ruleAllows } from './match';
import type { AppliedBinding } from './evaluate';
import { bindingRef } from './evaluate';
import { CLUSTER_SCOPE, type ObjectRef, type PolicyRule, type RequestAttributes, type Scope } from './types';

export type RiskCode =
  'read-secrets' | 'create-pods' | 'create-tokens' | 'impersonate' | 'escalate' | 'wildcard' | 'cluster-admin';

export interface Risk {
  code: RiskCode;
  scope: Scope;
  grantedBy: ObjectRef;
  message: string;
}

export const CLUSTER_ADMIN_ROLE = 'cluster-admin';

/** Resources whose create runs a pod with a ServiceAccount of the caller's choosing (their pod template). */
export const POD_CREATING_RESOURCES: ReadonlyArray<{ apiGroup: string; resource: string }> = [
  { apiGroup: '', resource: 'pods' },
  { apiGroup: '', resource: 'replicationcontrollers' },
  { apiGroup: 'apps', resource: 'deployments' },
  { apiGroup: 'apps', resource: 'replicasets' },
  { apiGroup: 'apps', resource: 'statefulsets' },
  { apiGroup: 'apps', resource: 'daemonsets' },
  { apiGroup: 'batch', resource: 'jobs' },
  { apiGroup: 'batch', resource: 'cronjobs' },
];

const SECRET_READ_VERBS = ['get', 'list', 'watch'];
const IMPERSONATED: ReadonlyArray<{ apiGroup: string; resource: string }> = [
  { apiGroup: '', resource: 'users' },
  { apiGroup: '', resource: 'groups' },
  { apiGroup: '', resource: 'serviceaccounts' },
  { apiGroup: 'authentication.k8s.io', resource: 'uids' },
  { apiGroup: 'authentication.k8s.io', resource: 'userextras' },
];
const RBAC_GROUP = 'rbac.authorization.k8s.io';

const resource = (verb: string, apiGroup: string, name: string, subresource = ''): RequestAttributes => ({
  verb,
  resourceRequest: true,
  apiGroup,
  resource: name,
  subresource,
});

export const scopeText = (scope: Scope): string =>
  scope === CLUSTER_SCOPE ? 'in every namespace' : `in namespace ${scope}`;

const isFullWildcard = (rule: PolicyRule): boolean =>
  rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*');

/** A request that shows a token power, and how a finding names it. Built once: a role is judged ~20 times over. */
interface PowerCheck {
  name: string;
  attributes: RequestAttributes;
}

const SECRET_READS: readonly PowerCheck[] = SECRET_READ_VERBS.map((verb) => ({
  name: verb,
  attributes: resource(verb, '', 'secrets'),
}));
const POD_CREATES: readonly PowerCheck[] = POD_CREATING_RESOURCES.map((target) => ({
  name: target.resource,
  attributes: resource('create', target.apiGroup, target.resource),
}));
const TOKEN_CREATE = resource('create', '', 'serviceaccounts', 'token');
const IMPERSONATIONS: readonly PowerCheck[] = IMPERSONATED.map((target) => ({
  name: target.resource,
  attributes: resource('impersonate', target.apiGroup, target.resource),
}));
const ESCALATIONS: readonly PowerCheck[] = ['escalate', 'bind'].flatMap((verb) =>
  ['roles', 'clusterroles'].map((name) => ({ name: `${verb} ${name}`, attributes: resource(verb, RBAC_GROUP, name) })),
);

/** What a role's rules allow that matters for tokens, whatever binds it. */
export interface RulePowers {
  fullWildcard: boolean;
  readVerbs: readonly string[];
  creatable: readonly string[];
  createTokens: boolean;
  impersonated: readonly string[];
  escalations: readonly string[];
  wildcardRules: number;
}

const NONE: readonly string[] = [];

function rulesAllow(rules: readonly PolicyRule[], attributes: RequestAttributes): boolean {
  for (const rule of rules) if (ruleAllows(attributes, rule)) return true;
  return false;
}

function allowedNames(rules: readonly PolicyRule[], checks: readonly PowerCheck[]): readonly string[] {
  let names: string[] | undefined;
  for (const { name, attributes } of checks) if (rulesAllow(rules, attributes)) (names ??= []).push(name);
  return names ?? NONE;
}

const usesWildcard = (rule: PolicyRule): boolean =>
  rule.verbs.includes('*') || rule.resources.some((name) => name === '*' || name.startsWith('*/'));

export function rulePowers(rules: readonly PolicyRule[]): RulePowers {
  let wildcardRules = 0;
  for (const rule of rules) if (usesWildcard(rule)) wildcardRules++;
  return {
    fullWildcard: rules.some(isFullWildcard),
    readVerbs: allowedNames(rules, SECRET_READS),
    creatable: allowedNames(rules, POD_CREATES),
    createTokens: rulesAllow(rules, TOKEN_CREATE),
    impersonated: allowedNames(rules, IMPERSONATIONS),
    escalations: allowedNames(rules, ESCALATIONS),
    wildcardRules,
  };
}

const isHarmless = (powers: RulePowers): boolean =>
  !powers.fullWildcard &&
  !powers.readVerbs.length &&
  !powers.creatable.length &&
  !powers.createTokens &&
  !powers.impersonated.length &&
  !powers.escalations.length &&
  !powers.wildcardRules;

const NO_RULES: readonly PolicyRule[] = [];

/**
 * The findings of one resolved binding; none when its role is missing. `powersOf` lets a caller judging many
 * bindings judge each role once.
 */
export function bindingRisks(
  applied: AppliedBinding,
  powersOf: (rules: readonly PolicyRule[]) => RulePowers = rulePowers,
): Risk[] {
  const { binding, scope } = applied;
  const boundToClusterAdmin = binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === CLUSTER_ADMIN_ROLE;
  const powers = boundToClusterAdmin ? undefined : powersOf(applied.role?.rules ?? NO_RULES);
  if (powers && isHarmless(powers)) return [];
  const where = scopeText(scope);
  const grantedBy = bindingRef(binding);
  const risk = (code: RiskCode, message: string): Risk => ({ code, scope, grantedBy, message });

  if (!powers) return [risk('cluster-admin', `bound to cluster-admin ${where}: full control, every token included`)];
  if (powers.fullWildcard)
    return [risk('cluster-admin', `a rule grants every verb on every resource ${where}: the power of cluster-admin`)];

  const risks: Risk[] = [];
  const { readVerbs, creatable, impersonated, escalations, wildcardRules } = powers;
  if (readVerbs.length)
    risks.push(
      risk(
        'read-secrets',
        `can ${readVerbs.join('/')} secrets ${where}: reads the legacy token of every ServiceAccount there`,
      ),
    );
  if (creatable.length)
    risks.push(
      risk(
        'create-pods',
        `can create ${creatable.join('/')} ${where}: a pod can run as any ServiceAccount there and mount its token`,
      ),
    );
  if (powers.createTokens)
    risks.push(
      risk('create-tokens', `can create serviceaccounts/token ${where}: mints tokens for other ServiceAccounts`),
    );
  if (impersonated.length)
    risks.push(risk('impersonate', `can impersonate ${impersonated.join('/')} ${where}: acts with their permissions`));
  if (escalations.length)
    risks.push(risk('escalate', `can ${escalations.join(', ')} ${where}: grants itself permissions it does not hold`));
  if (wildcardRules)
    risks.push(
      risk(
        'wildcard',
        `${wildcardRules === 1 ? 'a rule uses' : `${wildcardRules} rules use`} "*" ${where}: also grants what is added later`,
      ),
    );
  return risks;
}
