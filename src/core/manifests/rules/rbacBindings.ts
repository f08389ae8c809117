// SAT101–SAT104: RoleBindings and ClusterRoleBindings that miss their ServiceAccount (wrong or missing namespace),
// hand a ServiceAccount a way to other tokens, reference a Role of another namespace or carry a subject the API
// server rejects, or grant the `default` ServiceAccount. Roles come from the workspace (aggregated ClusterRoles
// filled) or, for the default ClusterRoles, from Kubernetes' bootstrap policy. Templated values prove nothing.
import {
  BUILT_IN_CLUSTER_ROLES,
  bindingRisks,
  serviceAccountsGroupPrefix,
  splitServiceAccountUsername,
  type Binding,
  type Role,
  type Subject,
} from '../../rbac/index';
import { ALL_AUTHENTICATED_GROUP, ALL_SERVICE_ACCOUNTS_GROUP, DEFAULT_SERVICE_ACCOUNT } from '../../kubernetes';
import { mayHoldUnseenKeys, type RuleContext } from '../context';
import { getMap, getSeq, getString, nodeRange, resolvePair, seqMaps, valueNode, type AnyMap } from '../nodes';
import type { KubeObject } from '../objects';
import { isTemplated } from '../problems';

interface SubjectNode {
  node: AnyMap;
  subject: Subject;
}

/** A value that proves something: present, not templated, and shaped like a name (no blanks). */
const known = (value: string | undefined): value is string =>
  value !== undefined && value !== '' && !/\s/.test(value) && !isTemplated(value);
const quoteList = (values: string[]) => values.map((value) => `"${value}"`).join(', ');

export function checkRbacBinding(ctx: RuleContext, object: KubeObject): void {
  if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') return;
  const namespaced = object.kind === 'RoleBinding';
  const bindingNamespace = namespaced && known(object.namespace) ? object.namespace : undefined;
  const roleRef = getMap(ctx.doc, object.map, 'roleRef')?.node;
  const refKind = roleRef && getString(ctx.doc, roleRef, 'kind');
  const refName = roleRef && getString(ctx.doc, roleRef, 'name');
  const subjectsSeq = getSeq(ctx.doc, object.map, 'subjects')?.node;
  const subjects: SubjectNode[] = (subjectsSeq ? seqMaps(ctx.doc, subjectsSeq) : []).map(({ node }) => ({
    node,
    subject: {
      kind: getString(ctx.doc, node, 'kind') ?? '',
      name: getString(ctx.doc, node, 'name') ?? '',
      ...(getString(ctx.doc, node, 'namespace') !== undefined
        ? { namespace: getString(ctx.doc, node, 'namespace') }
        : {}),
      ...(getString(ctx.doc, node, 'apiGroup') !== undefined ? { apiGroup: getString(ctx.doc, node, 'apiGroup') } : {}),
    },
  }));
  const at = (node: AnyMap, key: string) => nodeRange(valueNode(ctx.doc, node, key) ?? node);

  for (const { node, subject } of subjects) {
    if (subject.kind !== 'ServiceAccount') continue;
    if (subject.apiGroup)
      ctx.report(object, {
        rule: 'SAT103',
        severity: 'error',
        ...at(node, 'apiGroup'),
        message: `A ServiceAccount subject takes no apiGroup (it is ""): the API server rejects the ${object.kind} (subjects: apiGroup: Unsupported value "${subject.apiGroup}").`,
      });
    // Only a missing key proves it, and only where nothing else may write it: a template action at the subject's
    // column (`{{ include "ns" . | indent 4 }}`), a Kustomize patch's base, or a kustomization that sets `namespace:`
    // (kustomize fills the subjects of the ServiceAccounts it builds).
    if (
      !namespaced &&
      !resolvePair(ctx.doc, node, 'namespace') &&
      !mayHoldUnseenKeys(ctx, node) &&
      !ctx.lookup.namespaceFilledByBuild
    )
      ctx.report(object, {
        rule: 'SAT101',
        severity: 'error',
        ...at(node, 'name'),
        message: `A ClusterRoleBinding names ${known(subject.name) ? `ServiceAccount "${subject.name}"` : 'a ServiceAccount'} without a namespace: the API server rejects it (subjects: namespace: Required value). Add the namespace the ServiceAccount lives in.`,
      });
    const namespace = subject.namespace ?? bindingNamespace;
    if (known(subject.name) && known(namespace)) checkWrongNamespace(ctx, object, node, subject.name, namespace, at);
  }

  if (namespaced && refKind === 'Role' && known(refName) && bindingNamespace && roleRef) {
    const roles = ctx.lookup.roles('Role', refName);
    // A Role without namespace (applied with -n) could be anywhere: only explicit namespaces prove the mistake.
    if (roles.length && roles.every((role) => role.namespace && role.namespace !== bindingNamespace))
      ctx.report(object, {
        rule: 'SAT103',
        severity: 'warning',
        ...at(roleRef, 'name'),
        message: `roleRef names Role "${refName}", which is defined in ${quoteList([...new Set(roles.map((role) => role.namespace))])}, not in "${bindingNamespace}": a RoleBinding only uses Roles of its own namespace, so it grants nothing.`,
      });
  }

  const accounts = subjects.filter(({ subject }) => grantsServiceAccounts(subject));
  for (const { node, subject } of accounts) {
    const isDefault =
      (subject.kind === 'ServiceAccount' && subject.name === DEFAULT_SERVICE_ACCOUNT) ||
      (subject.kind === 'User' && splitServiceAccountUsername(subject.name)?.name === DEFAULT_SERVICE_ACCOUNT);
    if (isDefault)
      ctx.report(object, {
        rule: 'SAT104',
        severity: 'warning',
        ...at(node, 'name'),
        message: `Grants ${known(refKind) && known(refName) ? `${refKind} "${refName}"` : 'a role'} to the default ServiceAccount: every pod of the namespace without its own serviceAccountName gets these permissions. Bind a dedicated ServiceAccount instead.`,
      });
  }

  if (accounts.length && roleRef && known(refName) && (refKind === 'Role' || refKind === 'ClusterRole'))
    checkRisks(ctx, object, roleRef, refKind, refName, bindingNamespace, accounts);
}

/** Subjects that reach ServiceAccounts: ServiceAccount, its User name, and the groups every SA token carries. */
function grantsServiceAccounts(subject: Subject): boolean {
  if (subject.kind === 'ServiceAccount') return true;
  if (subject.kind === 'User') return splitServiceAccountUsername(subject.name) !== undefined;
  return (
    subject.kind === 'Group' &&
    (subject.name === ALL_SERVICE_ACCOUNTS_GROUP ||
      subject.name === ALL_AUTHENTICATED_GROUP ||
      subject.name.startsWith(serviceAccountsGroupPrefix))
  );
}

function checkWrongNamespace(
  ctx: RuleContext,
  object: KubeObject,
  node: AnyMap,
  name: string,
  namespace: string,
  at: (node: AnyMap, key: string) => { start: number; end: number },
): void {
  const declared = ctx.lookup.declaredNamespaces(name);
  // Declared nowhere, or somewhere without a namespace: nothing proves the subject wrong.
  if (!declared.length || declared.some((candidate) => !known(candidate)) || declared.includes(namespace)) return;
  const elsewhere = [...new Set(declared as string[])];
  ctx.report(object, {
    rule: 'SAT101',
    severity: 'warning',
    ...at(node, valueNode(ctx.doc, node, 'namespace') ? 'namespace' : 'name'),
    message: `ServiceAccount "${name}" is defined in ${quoteList(elsewhere)}, but this subject means namespace "${namespace}", where the manifests define none: the binding grants nothing to the ServiceAccount you meant.`,
  });
}

function checkRisks(
  ctx: RuleContext,
  object: KubeObject,
  roleRef: AnyMap,
  refKind: 'Role' | 'ClusterRole',
  refName: string,
  bindingNamespace: string | undefined,
  accounts: SubjectNode[],
): void {
  const role = roleFor(ctx, refKind, refName, bindingNamespace);
  if (!role) return;
  const namespaced = object.kind === 'RoleBinding';
  const binding: Binding = {
    kind: object.kind as Binding['kind'],
    name: object.name ?? '',
    namespace: namespaced ? (bindingNamespace ?? '') : '',
    subjects: accounts.map(({ subject }) => subject),
    roleRef: { kind: refKind, name: refName },
  };
  const scope = namespaced ? (bindingNamespace ?? 'its namespace') : 'cluster';
  const risks = bindingRisks({ binding, subject: binding.subjects[0], via: 'serviceaccount', scope, role, order: 0 });
  if (!risks.length) return;
  const who = accounts.map(({ subject }) =>
    !known(subject.name)
      ? `a ${subject.kind === 'Group' ? 'group' : 'ServiceAccount'}`
      : subject.kind === 'Group'
        ? `group ${subject.name}`
        : subject.name,
  );
  ctx.report(object, {
    rule: 'SAT102',
    severity: 'warning',
    ...nodeRange(valueNode(ctx.doc, roleRef, 'name') ?? roleRef),
    // One short sentence naming the risks (what the editor shows), then what each means (lint output, the hover).
    message: [
      `Gives ${who.join(', ')} a way to other tokens through ${refKind} "${refName}": ${risks.map((risk) => risk.code).join(', ')}.`,
      ...risks.map((risk) => `${risk.message[0]!.toUpperCase()}${risk.message.slice(1)}.`),
    ].join(' '),
  });
}

/** The workspace's definition (aggregated), else a default ClusterRole; undefined when unknown or ambiguous. */
function roleFor(
  ctx: RuleContext,
  kind: 'Role' | 'ClusterRole',
  name: string,
  namespace: string | undefined,
): Role | undefined {
  const defined = ctx.lookup
    .roles(kind, name)
    .filter((role) => kind === 'ClusterRole' || !role.namespace || !namespace || role.namespace === namespace);
  if (defined.length === 1) return defined[0];
  if (defined.length > 1) return undefined;
  return kind === 'ClusterRole' ? BUILT_IN_CLUSTER_ROLES.find((role) => role.name === name) : undefined;
}
