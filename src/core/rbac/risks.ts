// Token-escalation findings: what a binding lets its holder do to get another ServiceAccount's token, or more.
// Judged once per binding (a binding's rules and scope decide it), so all accounts cost linear in bindings.
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

/** What a role's rules allow that matters for tokens, whatever binds it: judged once per role (a role is bound
 * many times; ~20 rule checks each). Keyed by the rules array, which the index never changes. */
interface RulePowers {
  fullWildcard: boolean;
  readVerbs: string[];
  creatable: string[];
  createTokens: boolean;
  impersonated: string[];
  escalations: string[];
  wildcardRules: number;
}

const powersCache = new WeakMap<readonly PolicyRule[], RulePowers>();

function powersOf(rules: readonly PolicyRule[]): RulePowers {
  let powers = powersCache.get(rules);
  if (!powers) {
    powers = judgeRules(rules);
    powersCache.set(rules, powers);
  }
  return powers;
}

function judgeRules(rules: readonly PolicyRule[]): RulePowers {
  const allows = (attributes: RequestAttributes) => rules.some((rule) => ruleAllows(attributes, rule));
  return {
    fullWildcard: rules.some(isFullWildcard),
    readVerbs: SECRET_READ_VERBS.filter((verb) => allows(resource(verb, '', 'secrets'))),
    creatable: POD_CREATING_RESOURCES.filter((target) =>
      allows(resource('create', target.apiGroup, target.resource)),
    ).map((target) => target.resource),
    createTokens: allows(resource('create', '', 'serviceaccounts', 'token')),
    impersonated: IMPERSONATED.filter((target) =>
      allows(resource('impersonate', target.apiGroup, target.resource)),
    ).map((target) => target.resource),
    escalations: ['escalate', 'bind'].flatMap((verb) =>
      ['roles', 'clusterroles']
        .filter((name) => allows(resource(verb, RBAC_GROUP, name)))
        .map((name) => `${verb} ${name}`),
    ),
    wildcardRules: rules.filter(
      (rule) => rule.verbs.includes('*') || rule.resources.some((name) => name === '*' || name.startsWith('*/')),
    ).length,
  };
}

const NO_RULES: readonly PolicyRule[] = [];

/** The findings of one resolved binding; none when its role is missing. */
export function bindingRisks(applied: AppliedBinding): Risk[] {
  const { scope } = applied;
  const where = scopeText(scope);
  const grantedBy = bindingRef(applied.binding);
  const risk = (code: RiskCode, message: string): Risk => ({ code, scope, grantedBy, message });

  if (applied.binding.roleRef.kind === 'ClusterRole' && applied.binding.roleRef.name === CLUSTER_ADMIN_ROLE)
    return [risk('cluster-admin', `bound to cluster-admin ${where}: full control, every token included`)];
  const powers = powersOf(applied.role?.rules ?? NO_RULES);
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
