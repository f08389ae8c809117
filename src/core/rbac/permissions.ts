// The questions asked about one ServiceAccount (or all of them): which bindings apply and through which subject,
// what they grant with which scope, what it can do, how risky that is — and, the other way round, who can do a
// thing or obtain an account's token.
import { bindingRef, RbacIndex, type AppliedBinding, type Decision } from './evaluate';
import { ruleAllows } from './match';
import { bindingRisks, POD_CREATING_RESOURCES, rulePowers, type Risk, type RulePowers } from './risks';
import {
  ALL_AUTHENTICATED_GROUP,
  ALL_SERVICE_ACCOUNTS_GROUP,
  SERVICE_ACCOUNT_USER_PREFIX,
  serviceAccountUser,
  splitServiceAccountUsername,
  type Via,
} from './subjects';
import type { ObjectRef, PolicyRule, RbacObjects, RequestAttributes, Scope, ServiceAccountRef } from './types';

/** Either the objects (indexed on the spot) or an index built once for many questions. */
export type RbacSource = RbacIndex | RbacObjects;
const indexOf = (source: RbacSource): RbacIndex => (source instanceof RbacIndex ? source : new RbacIndex(source));

export interface ScopedRule extends PolicyRule {
  scope: Scope;
  grantedBy: ObjectRef;
}

export interface ServiceAccountPermissions {
  serviceAccount: ServiceAccountRef;
  bindings: AppliedBinding[];
  rules: ScopedRule[];
  risks: Risk[];
  /** Bindings whose role does not exist. */
  errors: string[];
}

// What a binding gives is the same for every account it applies to, whichever subject names it: its scoped rules,
// risks and missing-role error are made once per binding of an index (the first time an account receives it) and
// shared by every account, so all accounts cost linear in bindings plus what they receive. Kept per index, never
// beyond it: a new snapshot (a new index) judges everything afresh.
interface BindingGrants {
  rules: ScopedRule[];
  risks: Risk[];
  error: string | undefined;
}

interface IndexGrants {
  byOrder: Array<BindingGrants | undefined>;
  /** A role's token powers, judged once per role (a Role or ClusterRole is bound many times). */
  powersOf: (rules: readonly PolicyRule[]) => RulePowers;
}

const grantsByIndex = new WeakMap<RbacIndex, IndexGrants>();

function grantsOf(index: RbacIndex): IndexGrants {
  let grants = grantsByIndex.get(index);
  if (!grants) {
    const powers = new Map<readonly PolicyRule[], RulePowers>();
    const powersOf = (rules: readonly PolicyRule[]): RulePowers => {
      let judged = powers.get(rules);
      if (!judged) {
        judged = rulePowers(rules);
        powers.set(rules, judged);
      }
      return judged;
    };
    grants = { byOrder: new Array<BindingGrants | undefined>(index.bindingCount), powersOf };
    grantsByIndex.set(index, grants);
  }
  return grants;
}

function bindingGrants(applied: AppliedBinding, grants: IndexGrants): BindingGrants {
  let given = grants.byOrder[applied.order];
  if (!given) {
    const { binding, scope, role, roleError } = applied;
    const grantedBy = bindingRef(binding);
    given = {
      rules: (role?.rules ?? []).map((rule) => scopedRule(rule, scope, grantedBy)),
      risks: bindingRisks(applied, grants.powersOf),
      error: roleError ? `${binding.kind} ${binding.name}: ${roleError}` : undefined,
    };
    grants.byOrder[applied.order] = given;
  }
  return given;
}

/** The rule's own fields, in their order, then its scope and source (a literal of one shape, cheaper than a spread). */
const scopedRule = (rule: PolicyRule, scope: Scope, grantedBy: ObjectRef): ScopedRule => ({
  verbs: rule.verbs,
  apiGroups: rule.apiGroups,
  resources: rule.resources,
  resourceNames: rule.resourceNames,
  nonResourceURLs: rule.nonResourceURLs,
  scope,
  grantedBy,
});

export function bindingsFor(account: ServiceAccountRef, source: RbacSource): AppliedBinding[] {
  return indexOf(source).serviceAccountBindings(account);
}

export function permissionsOf(account: ServiceAccountRef, source: RbacSource): ServiceAccountPermissions {
  const index = indexOf(source);
  const grants = grantsOf(index);
  const bindings = index.serviceAccountBindings(account);
  const rules: ScopedRule[] = [];
  const risks: Risk[] = [];
  const errors: string[] = [];
  for (const applied of bindings) {
    const given = bindingGrants(applied, grants);
    if (given.error !== undefined) errors.push(given.error);
    for (const rule of given.rules) rules.push(rule);
    for (const risk of given.risks) risks.push(risk);
  }
  return { serviceAccount: account, bindings, rules, risks, errors };
}

export function tokenRisks(account: ServiceAccountRef, source: RbacSource): Risk[] {
  const index = indexOf(source);
  const grants = grantsOf(index);
  return index.serviceAccountBindings(account).flatMap((applied) => bindingGrants(applied, grants).risks);
}

/** What the RBAC authorizer decides for the account. Other authorizers (Node, webhook) may also allow. */
export function canI(account: ServiceAccountRef, attributes: RequestAttributes, source: RbacSource): Decision {
  return indexOf(source).authorize(serviceAccountUser(account), attributes);
}

export interface WhoCanEntry {
  serviceAccount: ServiceAccountRef;
  /** Whether the account is among the known ServiceAccounts (a binding may name one that does not exist). */
  exists: boolean;
  grantedBy: Array<{ binding: ObjectRef; roleRef: { kind: string; name: string }; via: Via }>;
}

/**
 * Which ServiceAccounts RBAC lets do the request, and through what. One pass over the bindings (each judged once),
 * then each granting subject is mapped to accounts: groups of all or one namespace's accounts expand to the known
 * `serviceAccounts`.
 */
export function whoCan(
  attributes: RequestAttributes,
  source: RbacSource,
  serviceAccounts: readonly ServiceAccountRef[],
): WhoCanEntry[] {
  const index = indexOf(source);
  const namespace = attributes.namespace ?? '';
  const known = new Set(serviceAccounts.map(accountKey));
  const byNamespace = new Map<string, ServiceAccountRef[]>();
  for (const account of serviceAccounts) {
    const list = byNamespace.get(account.namespace);
    if (list) list.push(account);
    else byNamespace.set(account.namespace, [account]);
  }
  const entries = new Map<string, WhoCanEntry>();
  const grant = (account: ServiceAccountRef, applied: AppliedBinding, via: Via) => {
    const key = accountKey(account);
    let entry = entries.get(key);
    if (!entry) {
      entry = { serviceAccount: account, exists: known.has(key), grantedBy: [] };
      entries.set(key, entry);
    }
    const binding = bindingRef(applied.binding);
    if (!entry.grantedBy.some((known) => sameRef(known.binding, binding)))
      entry.grantedBy.push({
        binding,
        roleRef: { kind: applied.binding.roleRef.kind, name: applied.binding.roleRef.name },
        via,
      });
  };
  for (const applied of index.allBindings()) {
    const { binding, role } = applied;
    if (binding.kind === 'RoleBinding' && (!namespace || binding.namespace !== namespace)) continue;
    if (!role || !role.rules.some((rule) => ruleAllows(attributes, rule))) continue;
    for (const subject of binding.subjects) {
      if (subject.kind === 'ServiceAccount') {
        const accountNamespace = subject.namespace || binding.namespace;
        if (accountNamespace) grant({ namespace: accountNamespace, name: subject.name }, applied, 'serviceaccount');
      } else if (subject.kind === 'User' && subject.name.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) {
        const account = splitServiceAccountUsername(subject.name);
        if (account) grant(account, applied, 'user');
      } else if (subject.kind === 'Group') {
        const members =
          subject.name === ALL_SERVICE_ACCOUNTS_GROUP || subject.name === ALL_AUTHENTICATED_GROUP
            ? serviceAccounts
            : subject.name.startsWith(`${ALL_SERVICE_ACCOUNTS_GROUP}:`)
              ? (byNamespace.get(subject.name.slice(ALL_SERVICE_ACCOUNTS_GROUP.length + 1)) ?? [])
              : [];
        for (const account of members) grant(account, applied, `group:${subject.name}`);
      }
    }
  }
  return [...entries.values()].sort((a, b) => compareAccounts(a.serviceAccount, b.serviceAccount));
}

export interface TokenObtainer {
  /** How the token is obtained, e.g. `get secrets/legacy-token`, `create pods`, `create serviceaccounts/token`. */
  how: string;
  who: WhoCanEntry[];
}

/**
 * Who can obtain the account's token: readers of its token Secrets, creators of pods (or workloads) in its namespace,
 * minters of its tokens (`create serviceaccounts/token`) and impersonators of it.
 */
export function tokenObtainers(
  account: ServiceAccountRef,
  tokenSecretNames: readonly string[],
  source: RbacSource,
  serviceAccounts: readonly ServiceAccountRef[],
): TokenObtainer[] {
  const index = indexOf(source);
  const namespace = account.namespace;
  const ask = (how: string, attributes: Omit<RequestAttributes, 'resourceRequest' | 'namespace'>): TokenObtainer => ({
    how,
    who: whoCan({ ...attributes, resourceRequest: true, namespace }, index, serviceAccounts).filter(
      (entry) => accountKey(entry.serviceAccount) !== accountKey(account),
    ),
  });
  const checks: TokenObtainer[] = [
    ...tokenSecretNames.map((name) => ask(`get secrets/${name}`, { verb: 'get', resource: 'secrets', name })),
    ask('list secrets', { verb: 'list', resource: 'secrets' }),
    ask('watch secrets', { verb: 'watch', resource: 'secrets' }),
    ...POD_CREATING_RESOURCES.map(({ apiGroup, resource }) =>
      ask(`create ${apiGroup ? `${resource}.${apiGroup}` : resource}`, { verb: 'create', apiGroup, resource }),
    ),
    ask(`create serviceaccounts/token ${account.name}`, {
      verb: 'create',
      resource: 'serviceaccounts',
      subresource: 'token',
      name: account.name,
    }),
    ask(`impersonate serviceaccounts ${account.name}`, {
      verb: 'impersonate',
      resource: 'serviceaccounts',
      name: account.name,
    }),
  ];
  return checks.filter((check) => check.who.length > 0);
}

export const accountKey = (account: ServiceAccountRef): string => `${account.namespace}/${account.name}`;
const sameRef = (a: ObjectRef, b: ObjectRef) => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
const compareAccounts = (a: ServiceAccountRef, b: ServiceAccountRef) =>
  a.namespace === b.namespace ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.namespace < b.namespace ? -1 : 1;
