// The RBAC authorizer over a snapshot of RBAC objects: which bindings apply to a user, the rules they grant and with
// what scope, and the allow decision — as DefaultRuleResolver.VisitRulesFor and RBACAuthorizer.Authorize do it
// (plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/registry/rbac/validation/rule.go): ClusterRoleBindings first, then the
// RoleBindings of the request's namespace, each binding's first matching subject, rules in role order.
// Bindings are indexed by subject once, so a question costs the bindings of that user, not all bindings.
import { withAggregatedRules } from './aggregation';
import { ruleAllows } from './match';
import { serviceAccountUser, splitServiceAccountUsername, subjectUsername, viaOf, type Via } from './subjects';
import {
  CLUSTER_SCOPE,
  type Binding,
  type ObjectRef,
  type PolicyRule,
  type RbacObjects,
  type RequestAttributes,
  type Role,
  type Scope,
  type ServiceAccountRef,
  type UserInfo,
} from './types';

export interface AppliedBinding {
  binding: Binding;
  /** The binding's first subject that names the user (what the API server reports). */
  subject: Binding['subjects'][number];
  via: Via;
  scope: Scope;
  /** The referenced role, or undefined when it does not exist (then `roleError` says so). */
  role?: Role;
  roleError?: string;
  /** Position among all bindings: ClusterRoleBindings first, in list order. */
  order: number;
}

export interface Grant {
  binding: AppliedBinding;
  rule: PolicyRule;
  ruleIndex: number;
}

export interface Decision {
  allowed: boolean;
  /** Every granting rule, in the authorizer's visiting order; the first is the one the API server names. */
  grants: Grant[];
  /** `RBAC: allowed by …` like the API server, or `no RBAC rule grants it`. */
  reason: string;
  /** Bindings whose role could not be resolved (what the API server aggregates into a denial's reason). */
  errors: string[];
}

export const NO_RULE_GRANTS_IT = 'no RBAC rule grants it';

export interface RbacIndexOptions {
  /** Fill aggregated ClusterRoles from their selectors (manifests); a live cluster's controller already did. */
  aggregate?: boolean;
}

export const bindingRef = (binding: Binding): ObjectRef => ({
  kind: binding.kind,
  namespace: binding.namespace || null,
  name: binding.name,
});

const subjectDescription = (subject: Binding['subjects'][number], binding: Binding): string =>
  subject.kind === 'ServiceAccount'
    ? `${subject.kind} "${subject.name}/${subject.namespace || binding.namespace}"`
    : `${subject.kind} "${subject.name}"`;

/** `clusterRoleBindingDescriber` / `roleBindingDescriber`: the source named in `RBAC: allowed by …`. */
export function describeGrantSource({ binding, subject }: AppliedBinding): string {
  const name = binding.kind === 'RoleBinding' ? `${binding.name}/${binding.namespace}` : binding.name;
  return `${binding.kind} "${name}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${subjectDescription(subject, binding)}`;
}

/**
 * A binding subject as one number: bindings' subjects are numbered in the authorizer's visiting order (binding by
 * binding, subject by subject), so sorted slots are sorted bindings, and the first slot of a binding is its first
 * subject that names the user.
 */
type Slot = number;

/** The bindings naming a set of groups, reached group by group (no key string built per question). */
interface GroupSetNode {
  slots?: Slot[];
  next: Map<string, GroupSetNode>;
}

export class RbacIndex {
  private readonly bindings: Binding[];
  /** Roles by namespace, then name. */
  private readonly roles = new Map<string, Map<string, Role>>();
  private readonly clusterRoles = new Map<string, Role>();
  /** Bindings naming a ServiceAccount's user (a `ServiceAccount` subject or its `User` name), by namespace then
   * name: asking for an account builds no username. Other usernames (and malformed account names) in `byUser`. */
  private readonly byServiceAccount = new Map<string, Map<string, Slot[]>>();
  private readonly byUser = new Map<string, Slot[]>();
  private readonly byGroup = new Map<string, Slot[]>();
  private readonly byGroups: GroupSetNode = { next: new Map() };
  /** The groups' bindings every ServiceAccount of a namespace gets, merged once per namespace. */
  private readonly byServiceAccountGroups = new Map<string, readonly Slot[]>();
  /** Each binding's first slot, and each slot's binding (its order). A binding without subjects has one slot too. */
  private readonly firstSlot: Int32Array;
  private readonly orderOf: Int32Array;
  /** Resolved bindings by slot: made once, shared by every user they apply to (a group binding applies to thousands
   * of accounts; resolving it per account was most of the all-accounts cost). */
  private readonly resolved: Array<AppliedBinding | undefined>;

  constructor(
    readonly objects: RbacObjects,
    options: RbacIndexOptions = {},
  ) {
    for (const role of objects.roles) {
      const named = this.roles.get(role.namespace);
      if (named) named.set(role.name, role);
      else this.roles.set(role.namespace, new Map([[role.name, role]]));
    }
    const clusterRoles = options.aggregate ? withAggregatedRules(objects.clusterRoles) : objects.clusterRoles;
    for (const role of clusterRoles) this.clusterRoles.set(role.name, role);
    this.bindings = [...objects.clusterRoleBindings, ...objects.roleBindings];
    this.firstSlot = new Int32Array(this.bindings.length);
    let slots = 0;
    this.bindings.forEach((binding, order) => {
      this.firstSlot[order] = slots;
      slots += Math.max(1, binding.subjects.length); // a binding without subjects still resolves (who-can)
    });
    this.orderOf = new Int32Array(slots);
    this.resolved = new Array<AppliedBinding | undefined>(slots);
    this.bindings.forEach((binding, order) => {
      const first = this.firstSlot[order];
      this.orderOf.fill(order, first, first + Math.max(1, binding.subjects.length));
      binding.subjects.forEach((subject, subjectIndex) => {
        const slot = first + subjectIndex;
        if (subject.kind === 'Group') return push(this.byGroup, subject.name, slot);
        if (subject.kind === 'ServiceAccount') {
          const namespace = subject.namespace || binding.namespace;
          if (isAccountName(namespace, subject.name)) return push(this.accountsOf(namespace), subject.name, slot);
        } else if (subject.kind === 'User') {
          const account = splitServiceAccountUsername(subject.name);
          if (account) return push(this.accountsOf(account.namespace), account.name, slot);
        }
        const username = subjectUsername(subject, binding);
        if (username !== undefined) push(this.byUser, username, slot);
      });
    });
  }

  /** How many bindings there are; each resolved binding's `order` is below it. */
  get bindingCount(): number {
    return this.bindings.length;
  }

  /** Every binding that applies to the user in any namespace, in the authorizer's visiting order. */
  bindingsFor(user: UserInfo): AppliedBinding[] {
    const account = splitServiceAccountUsername(user.name);
    const fromUser = account
      ? this.byServiceAccount.get(account.namespace)?.get(account.name)
      : this.byUser.get(user.name);
    return this.merged(fromUser ?? NO_SLOTS, this.groupSlots(user.groups));
  }

  /** `bindingsFor(serviceAccountUser(account))`, with the namespace's group bindings merged once for all its accounts. */
  serviceAccountBindings(account: ServiceAccountRef): AppliedBinding[] {
    const fromUser = isAccountName(account.namespace, account.name)
      ? this.byServiceAccount.get(account.namespace)?.get(account.name)
      : this.byUser.get(serviceAccountUser(account).name);
    let fromGroups = this.byServiceAccountGroups.get(account.namespace);
    if (!fromGroups) {
      fromGroups = this.groupSlots(serviceAccountUser(account).groups);
      this.byServiceAccountGroups.set(account.namespace, fromGroups);
    }
    return this.merged(fromUser ?? NO_SLOTS, fromGroups);
  }

  /** Both lists are sorted, so one merge keeps each binding's first subject naming the user. */
  private merged(fromUser: readonly Slot[], fromGroups: readonly Slot[]): AppliedBinding[] {
    const applied: AppliedBinding[] = [];
    let lastOrder = -1;
    for (let u = 0, g = 0; u < fromUser.length || g < fromGroups.length;) {
      const slot =
        u < fromUser.length && (g === fromGroups.length || fromUser[u] < fromGroups[g])
          ? fromUser[u++]
          : fromGroups[g++];
      if (this.orderOf[slot] === lastOrder) continue;
      lastOrder = this.orderOf[slot];
      applied.push(this.appliedAt(slot));
    }
    return applied;
  }

  /** Two sorted lists as one, keeping only the first slot of each binding. */
  private mergeSlots(a: readonly Slot[], b: readonly Slot[] = NO_SLOTS): Slot[] {
    const merged: Slot[] = [];
    for (let i = 0, j = 0; i < a.length || j < b.length;) {
      const slot = i < a.length && (j === b.length || a[i] < b[j]) ? a[i++] : b[j++];
      if (merged.length === 0 || this.orderOf[merged[merged.length - 1]] !== this.orderOf[slot]) merged.push(slot);
    }
    return merged;
  }

  private accountsOf(namespace: string): Map<string, Slot[]> {
    let accounts = this.byServiceAccount.get(namespace);
    if (!accounts) {
      accounts = new Map();
      this.byServiceAccount.set(namespace, accounts);
    }
    return accounts;
  }

  /** The bindings naming any of the groups, merged once per set of groups: every ServiceAccount carries the same
   * `system:serviceaccounts` and `system:authenticated`, and one per namespace, so this is once per namespace. */
  private groupSlots(groups: readonly string[]): readonly Slot[] {
    let node = this.byGroups;
    for (const group of groups) {
      let next = node.next.get(group);
      if (!next) {
        next = { next: new Map() };
        node.next.set(group, next);
      }
      node = next;
    }
    return (node.slots ??= groups.reduce<Slot[]>(
      (merged, group) => this.mergeSlots(merged, this.byGroup.get(group)),
      [],
    ));
  }

  /** `VisitRulesFor` + `RuleAllows`: the decision for one request, with every granting rule. */
  authorize(user: UserInfo, attributes: RequestAttributes): Decision {
    const namespace = attributes.namespace ?? '';
    const grants: Grant[] = [];
    const errors: string[] = [];
    for (const applied of this.bindingsFor(user)) {
      if (applied.binding.kind === 'RoleBinding' && (!namespace || applied.binding.namespace !== namespace)) continue;
      if (!applied.role) {
        errors.push(applied.roleError ?? 'role not found');
        continue;
      }
      applied.role.rules.forEach((rule, ruleIndex) => {
        if (ruleAllows(attributes, rule)) grants.push({ binding: applied, rule, ruleIndex });
      });
    }
    const [first] = grants;
    return {
      allowed: Boolean(first),
      grants,
      reason: first ? `RBAC: allowed by ${describeGrantSource(first.binding)}` : NO_RULE_GRANTS_IT,
      errors,
    };
  }

  /** `RulesFor(user, namespace)`: the rules that apply there ('' = cluster-wide only). */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    return this.bindingsFor(user)
      .filter(({ binding }) => binding.kind === 'ClusterRoleBinding' || (namespace && binding.namespace === namespace))
      .flatMap(({ role }) => role?.rules ?? []);
  }

  /** Every binding, resolved, for questions asked of all subjects at once (who-can, risks of everyone). */
  allBindings(): AppliedBinding[] {
    return this.bindings.map((_, order) => this.appliedAt(this.firstSlot[order]));
  }

  roleOf(binding: Binding): { role?: Role; error?: string } {
    const { kind, name } = binding.roleRef;
    if (kind === 'ClusterRole') {
      const role = this.clusterRoles.get(name);
      return role ? { role } : { error: `clusterrole.rbac.authorization.k8s.io "${name}" not found` };
    }
    if (kind === 'Role') {
      // A ClusterRoleBinding has no namespace to find a Role in: never found, as with the API server's lister.
      const role = binding.namespace ? this.roles.get(binding.namespace)?.get(name) : undefined;
      return role ? { role } : { error: `role.rbac.authorization.k8s.io "${name}" not found` };
    }
    return { error: `unsupported role reference kind: "${kind}"` };
  }

  private appliedAt(slot: Slot): AppliedBinding {
    return (this.resolved[slot] ??= this.resolve(slot));
  }

  private resolve(slot: Slot): AppliedBinding {
    const order = this.orderOf[slot];
    const binding = this.bindings[order];
    const subject = binding.subjects[slot - this.firstSlot[order]] ?? { kind: '', name: '' };
    const { role, error } = this.roleOf(binding);
    return {
      binding,
      subject,
      via: viaOf(subject),
      scope: binding.kind === 'ClusterRoleBinding' ? CLUSTER_SCOPE : binding.namespace,
      role,
      roleError: error,
      order,
    };
  }
}

const NO_SLOTS: readonly Slot[] = [];

/** Whether the account's username splits back into it (`serviceaccount.SplitUsername`): both parts non-empty, no `:`.
 * Only such names are indexed by namespace and name; any other is found by its username string, as before. */
const isAccountName = (namespace: string, name: string): boolean =>
  namespace !== '' && name !== '' && !namespace.includes(':') && !name.includes(':');

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
