// The server's RBAC authorizer, written after kube-apiserver's own and independent of the product's evaluator:
// DefaultRuleResolver.VisitRulesFor / appliesTo (pkg/registry/rbac/validation/rule.go) walking ClusterRoleBindings,
// then the request namespace's RoleBindings, and RuleAllows with the evaluation_helpers.go matchers
// (plugin/pkg/auth/authorizer/rbac/rbac.go). Both this and the product are checked against Kubernetes' own test
// tables (test/fixtures/rbac/kubernetes-cases.json), never against each other.

export interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface BindingSubject {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface RoleObject {
  metadata: { name?: string; namespace?: string };
  rules?: Rule[];
}

export interface BindingObject {
  metadata: { name?: string; namespace?: string };
  subjects?: BindingSubject[];
  roleRef: { kind?: string; name?: string };
}

/** The listers and getters the resolver reads (rule.go's RoleGetter, RoleBindingLister, …). */
export interface RbacLister {
  clusterRoleBindings(): BindingObject[];
  roleBindings(namespace: string): BindingObject[];
  role(namespace: string, name: string): RoleObject | undefined;
  clusterRole(name: string): RoleObject | undefined;
}

export interface Requester {
  username: string;
  groups: string[];
}

export interface Attributes {
  verb: string;
  isResourceRequest: boolean;
  namespace: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  name: string;
  path: string;
}

export interface Verdict {
  allowed: boolean;
  /** `RBAC: allowed by …`, or on denial the resolution errors (`RBAC: [...]`), else ''. */
  reason: string;
}

const has = (list: string[] | undefined, value: string) => (list ?? []).includes(value);
const any = (list: string[] | undefined, test: (value: string) => boolean) => (list ?? []).some(test);

export function ruleAllows(attributes: Attributes, rule: Rule): boolean {
  const verbOk = any(rule.verbs, (verb) => verb === '*' || verb === attributes.verb);
  if (!attributes.isResourceRequest) {
    return (
      verbOk &&
      any(
        rule.nonResourceURLs,
        (url) =>
          url === '*' ||
          url === attributes.path ||
          (url.endsWith('*') && attributes.path.startsWith(url.replace(/\*+$/, ''))),
      )
    );
  }
  const combined = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const resourceOk = any(
    rule.resources,
    (resource) =>
      resource === '*' ||
      resource === combined ||
      (attributes.subresource !== '' && resource === `*/${attributes.subresource}`),
  );
  const namesOk = !rule.resourceNames?.length || has(rule.resourceNames, attributes.name);
  return (
    verbOk && any(rule.apiGroups, (group) => group === '*' || group === attributes.apiGroup) && resourceOk && namesOk
  );
}

function appliesToUser(user: Requester, subject: BindingSubject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return has(user.groups, subject.name ?? '');
    case 'ServiceAccount': {
      const saNamespace = subject.namespace || namespace;
      return saNamespace !== '' && user.username === `system:serviceaccount:${saNamespace}:${subject.name ?? ''}`;
    }
    default:
      return false;
  }
}

/** rule.go appliesTo: the index of the first subject that applies, or -1. */
export function appliesTo(user: Requester, subjects: BindingSubject[], namespace: string): number {
  return subjects.findIndex((subject) => appliesToUser(user, subject, namespace));
}

function roleRules(lister: RbacLister, binding: BindingObject, namespace: string): Rule[] | Error {
  const { kind, name = '' } = binding.roleRef;
  if (kind === 'Role') {
    const role = namespace ? lister.role(namespace, name) : undefined;
    return role ? (role.rules ?? []) : new Error(`role.rbac.authorization.k8s.io "${name}" not found`);
  }
  if (kind === 'ClusterRole') {
    const role = lister.clusterRole(name);
    return role ? (role.rules ?? []) : new Error(`clusterrole.rbac.authorization.k8s.io "${name}" not found`);
  }
  return new Error(`unsupported role reference kind: "${kind}"`);
}

function describe(binding: BindingObject, subject: BindingSubject, kind: string, namespace: string): string {
  const who =
    subject.kind === 'ServiceAccount'
      ? `${subject.kind} "${subject.name}/${subject.namespace || namespace}"`
      : `${subject.kind} "${subject.name}"`;
  const name = kind === 'RoleBinding' ? `${binding.metadata.name}/${namespace}` : binding.metadata.name;
  return `${kind} "${name}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${who}`;
}

/** Visits every (source, rule) that applies, in kube-apiserver's order; the visitor returns false to stop. */
export function visitRulesFor(
  lister: RbacLister,
  user: Requester,
  namespace: string,
  visitor: (source: string, rule: Rule | undefined, error: Error | undefined) => boolean,
): void {
  const walk = (bindings: BindingObject[], kind: string, bindingNamespace: string): boolean => {
    for (const binding of bindings) {
      const index = appliesTo(user, binding.subjects ?? [], bindingNamespace);
      if (index < 0) continue;
      const rules = roleRules(lister, binding, bindingNamespace);
      if (rules instanceof Error) {
        if (!visitor('', undefined, rules)) return false;
        continue;
      }
      const source = describe(binding, (binding.subjects ?? [])[index], kind, bindingNamespace);
      for (const rule of rules) if (!visitor(source, rule, undefined)) return false;
    }
    return true;
  };
  if (!walk(lister.clusterRoleBindings(), 'ClusterRoleBinding', '')) return;
  if (namespace) walk(lister.roleBindings(namespace), 'RoleBinding', namespace);
}

/** RBACAuthorizer.Authorize. */
export function authorizeRbac(lister: RbacLister, user: Requester, attributes: Attributes): Verdict {
  let reason = '';
  const errors: string[] = [];
  visitRulesFor(lister, user, attributes.namespace, (source, rule, error) => {
    if (rule && ruleAllows(attributes, rule)) {
      reason = `RBAC: allowed by ${source}`;
      return false;
    }
    if (error) errors.push(error.message);
    return true;
  });
  if (reason) return { allowed: true, reason };
  return { allowed: false, reason: errors.length ? `RBAC: [${errors.join(', ')}]` : '' };
}

/** RulesFor: every rule that applies to the user in the namespace ('' = cluster-wide only). */
export function rulesFor(lister: RbacLister, user: Requester, namespace: string): Rule[] {
  const rules: Rule[] = [];
  visitRulesFor(lister, user, namespace, (_source, rule) => {
    if (rule) rules.push(rule);
    return true;
  });
  return rules;
}
