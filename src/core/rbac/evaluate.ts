// The RBAC authorizer over a snapshot of RBAC objects: which bindings apply to a user, the rules they grant and with
// what scope, and the allow decision — as DefaultRuleResolver.VisitRulesFor and RBACAuthorizer.Authorize do it
// (plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/registry/rbac/validation/rule.go): ClusterRoleBindings first, then the
// RoleBindings of the request's namespace, each binding's first matching subject, rules in role order.
// Bindings are indexed by subject once, so a question costs the bindings of that user, not all bindings.
import { withAggregatedRules } from './aggregation';
import { ruleAllows } from './match';
import { subjectUsername, viaOf, type Via } from './subjects';
import {
  CLUSTER_SCOPE,
  type Binding,
  type ObjectRef,
  type PolicyRule,
  type RbacObjects,
  type RequestAttributes,
  type Role,
  type Scope,
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

interface SubjectEntry {
  order: number;
  subjectIndex: number;
}

export class RbacIndex {
  private readonly bindings: Binding[];
  private readonly roles = new Map<string, Role>();
  private readonly clusterRoles = new Map<string, Role>();
  private readonly byUser = new Map<string, SubjectEntry[]>();
  private readonly byGroup = new Map<string, SubjectEntry[]>();
  /** Resolved bindings by order, then subject index: made once, shared by every user they apply to (a group binding
   * applies to thousands of accounts; resolving it per account was most of the all-accounts cost). */
  private readonly resolved: AppliedBinding[][] = [];

  constructor(
    readonly objects: RbacObjects,
    options: RbacIndexOptions = {},
  ) {
    for (const role of objects.roles) this.roles.set(`${role.namespace}/${role.name}`, role);
    const clusterRoles = options.aggregate ? withAggregatedRules(objects.clusterRoles) : objects.clusterRoles;
    for (const role of clusterRoles) this.clusterRoles.set(role.name, role);
    this.bindings = [...objects.clusterRoleBindings, ...objects.roleBindings];
    this.bindings.forEach((binding, order) => {
      binding.subjects.forEach((subject, subjectIndex) => {
        const entry = { order, subjectIndex };
        if (subject.kind === 'Group') return push(this.byGroup, subject.name, entry);
        const username = subjectUsername(subject, binding);
        if (username !== undefined) push(this.byUser, username, entry);
      });
    });
  }

  /** Every binding that applies to the user in any namespace, in the authorizer's visiting order. */
  bindingsFor(user: UserInfo): AppliedBinding[] {
    const firstSubject = new Map<number, number>();
    const note = (entries: SubjectEntry[] | undefined) => {
      for (const { order, subjectIndex } of entries ?? []) {
        const known = firstSubject.get(order);
        if (known === undefined || subjectIndex < known) firstSubject.set(order, subjectIndex);
      }
    };
    note(this.byUser.get(user.name));
    for (const group of new Set(user.groups)) note(this.byGroup.get(group));
    return [...firstSubject.entries()]
      .sort(([a], [b]) => a - b)
      .map(([order, subjectIndex]) => this.applied(order, subjectIndex));
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
    return this.bindings.map((_, order) => this.applied(order, 0));
  }

  roleOf(binding: Binding): { role?: Role; error?: string } {
    const { kind, name } = binding.roleRef;
    if (kind === 'ClusterRole') {
      const role = this.clusterRoles.get(name);
      return role ? { role } : { error: `clusterrole.rbac.authorization.k8s.io "${name}" not found` };
    }
    if (kind === 'Role') {
      // A ClusterRoleBinding has no namespace to find a Role in: never found, as with the API server's lister.
      const role = binding.namespace ? this.roles.get(`${binding.namespace}/${name}`) : undefined;
      return role ? { role } : { error: `role.rbac.authorization.k8s.io "${name}" not found` };
    }
    return { error: `unsupported role reference kind: "${kind}"` };
  }

  private applied(order: number, subjectIndex: number): AppliedBinding {
    const bySubject = (this.resolved[order] ??= []);
    return (bySubject[subjectIndex] ??= this.resolve(order, subjectIndex));
  }

  private resolve(order: number, subjectIndex: number): AppliedBinding {
    const binding = this.bindings[order];
    const subject = binding.subjects[subjectIndex] ?? { kind: '', name: '' };
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
