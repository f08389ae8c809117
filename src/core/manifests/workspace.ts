// What other files (and later the cluster) tell about token Secrets, ServiceAccounts and their RBAC bindings.
import { isScalar, type Document } from 'yaml';
import { SA_NAME_ANNOTATION, TOKEN_SECRET_TYPE } from '../kubernetes';
import { ALL_AUTHENTICATED_GROUP, ALL_SERVICE_ACCOUNTS_GROUP, serviceAccountsGroup } from '../rbac/subjects';
import { getSeq, getString, nodeValue, parseYaml, seqMaps, valueNode } from './nodes';
import { objectsOf, type KubeObject } from './objects';
import { isTemplate, isTemplated, maskTemplateActions } from './problems';
import { isKustomization, kustomizationFacts } from './scope';
import { roleFrom, withAggregatedRules, type Role } from '../rbac/index';
import type {
  GroupBindingEntry,
  ObjectRef,
  RoleEntry,
  ServiceAccountEntry,
  TokenSecretEntry,
  WorkspaceIndex,
} from './types';

/** A binding subject whose name is templated: it may name any ServiceAccount. */
const ANY_NAME = '*';

/**
 * Indexes one file: one parse, no rule work. Only ServiceAccounts, token Secrets, Roles/ClusterRoles, bindings and
 * kustomizations add entries, and each of the first four spells one of three words: other files (most of a
 * repository) are not parsed at all.
 */
export function indexWorkspaceFile(text: string, fileName?: string): WorkspaceIndex {
  const kustomization = fileName !== undefined && isKustomization(fileName);
  if (!kustomization && !text.includes('ServiceAccount') && !text.includes(TOKEN_SECRET_TYPE) && !text.includes('Role'))
    return emptyIndex();
  // Read as the linter reads it: template actions masked, so a templated name is unknown, never a garbled one.
  const docs = parseYaml(isTemplate(text, fileName) ? maskTemplateActions(text) : text);
  const index = indexObjects(docs, docs.map(objectsOf), fileName);
  if (kustomization) {
    const facts = kustomizationFacts(text, fileName);
    index.patchFiles.push(...facts.patchFiles);
    if (facts.setsNamespace) index.namespaceSetters.push(fileName);
  }
  return index;
}

const isBinding = (kind: string) => kind === 'RoleBinding' || kind === 'ClusterRoleBinding';

/** `objects[i]` are the objects of `docs[i]` (the linter finds them once for both jobs). */
export function indexObjects(
  docs: readonly Document[],
  objects: readonly KubeObject[][],
  fileName?: string,
): WorkspaceIndex {
  const index = emptyIndex();
  for (const [i, doc] of docs.entries()) {
    for (const object of objects[i]) {
      if ((!object.name || isTemplated(object.name)) && !isBinding(object.kind)) continue;
      const ref = { name: object.name ?? '', namespace: known(object.namespace), fileName };
      if (object.kind === 'Secret' && getString(doc, object.map, 'type') === TOKEN_SECRET_TYPE) {
        index.tokenSecrets.push({
          ...ref,
          serviceAccount: object.annotations.get(SA_NAME_ANNOTATION),
          declared: true,
        });
      } else if (object.kind === 'ServiceAccount') {
        const setting = valueNode(doc, object.map, 'automountServiceAccountToken');
        const automount =
          setting === undefined
            ? undefined
            : isScalar(setting) && typeof setting.value === 'boolean'
              ? setting.value
              : 'unknown';
        const identityAnnotations = workloadIdentityAnnotations(object.annotations);
        index.serviceAccounts.push({
          ...ref,
          declared: true,
          automount,
          hasRoleBinding: false,
          ...(identityAnnotations ? { identityAnnotations } : {}),
        });
      } else if (object.kind === 'Role' || object.kind === 'ClusterRole') {
        // Read through the one-walk alias map: yaml's toJS scans the anchors per alias (16,000 took ~14 s here).
        const read = nodeValue(doc, object.map);
        const role = 'value' in read ? roleFrom(read.value, object.kind, { namespaceOptional: true }) : undefined;
        if (role) index.roles!.push({ ...role, fileName });
      } else if (isBinding(object.kind)) {
        indexSubjects(doc, object, index, fileName);
      }
    }
  }
  return index;
}

const IDENTITY_ANNOTATION = /^(eks\.amazonaws\.com|azure\.workload\.identity|iam\.gke\.io)\//;

function workloadIdentityAnnotations(annotations: ReadonlyMap<string, string>): Record<string, string> | undefined {
  const found = [...annotations].filter(([key]) => IDENTITY_ANNOTATION.test(key));
  return found.length > 0 ? Object.fromEntries(found) : undefined;
}

function indexSubjects(doc: Document, binding: KubeObject, index: WorkspaceIndex, fileName?: string): void {
  const subjects = getSeq(doc, binding.map, 'subjects')?.node;
  for (const { node } of subjects ? seqMaps(doc, subjects) : []) {
    const name = getString(doc, node, 'name');
    const kind = getString(doc, node, 'kind');
    if (!name) continue;
    if (kind === 'Group') {
      index.groupBindings.push({ group: name, fileName });
    } else if (kind === 'ServiceAccount' || isTemplated(kind)) {
      const namespace = known(getString(doc, node, 'namespace') ?? binding.namespace);
      const subject = isTemplated(name) || isTemplated(kind) ? ANY_NAME : name;
      index.serviceAccounts.push({ name: subject, namespace, declared: false, hasRoleBinding: true, fileName });
    }
  }
}

/** A templated namespace is unknown, like an absent one. */
const known = (namespace: string | undefined) => (isTemplated(namespace) ? undefined : namespace);

export const emptyIndex = (): WorkspaceIndex => ({
  tokenSecrets: [],
  serviceAccounts: [],
  roles: [],
  groupBindings: [],
  patchFiles: [],
  namespaceSetters: [],
});

/** Some of an index's entries (read only: the options' lists are). */
export type IndexEntries = { readonly [K in keyof WorkspaceIndex]?: readonly NonNullable<WorkspaceIndex[K]>[number][] };

export function mergeIndexes(...indexes: IndexEntries[]): WorkspaceIndex {
  const merged = emptyIndex();
  for (const index of indexes) appendIndex(merged, index);
  return merged;
}

/** Adds an index's entries after those `merged` has (a file's documents one at a time, in order). */
export function appendIndex(merged: WorkspaceIndex, index: IndexEntries): void {
  for (const key of INDEX_KEYS) for (const entry of index[key] ?? []) (merged[key] as unknown[]).push(entry);
}

const INDEX_KEYS = [
  'tokenSecrets',
  'serviceAccounts',
  'roles',
  'groupBindings',
  'patchFiles',
  'namespaceSetters',
] as const satisfies readonly (keyof WorkspaceIndex)[];

/** An unknown namespace (the manifest does not say) matches any. */
export const sameNamespace = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined || a === b;

/** Effective knowledge about a ServiceAccount, merged over every entry that names it. */
export interface ServiceAccountFacts {
  declared: boolean;
  automount?: boolean | 'unknown';
  hasRoleBinding: boolean;
  identityAnnotations?: Record<string, string>;
}

/** Name-keyed lookups over an index, built once per lint. */
export class IndexLookup {
  private readonly secrets = new Map<string, TokenSecretEntry[]>();
  private readonly accounts = new Map<string, ServiceAccountEntry[]>();
  private readonly groups: readonly GroupBindingEntry[];
  /** A kustomization of the inputs sets `namespace:`: a namespace left out may be filled by the build. */
  readonly namespaceFilledByBuild: boolean;
  private readonly roleEntries: readonly RoleEntry[];
  private rolesByKey: Map<string, Role[]> | undefined;

  constructor(index: {
    tokenSecrets: readonly TokenSecretEntry[];
    serviceAccounts: readonly ServiceAccountEntry[];
    roles?: readonly RoleEntry[];
    groupBindings?: readonly GroupBindingEntry[];
    namespaceSetters?: readonly string[];
  }) {
    for (const entry of index.tokenSecrets) pushTo(this.secrets, entry.name, entry);
    for (const entry of index.serviceAccounts) pushTo(this.accounts, entry.name, entry);
    this.roleEntries = index.roles ?? [];
    this.groups = index.groupBindings ?? [];
    this.namespaceFilledByBuild = (index.namespaceSetters ?? []).length > 0;
  }

  /** Namespaces where a ServiceAccount of that name is declared; `undefined` stands for "declared without one". */
  declaredNamespaces(name: string): (string | undefined)[] {
    return (this.accounts.get(name) ?? []).filter((entry) => entry.declared).map((entry) => entry.namespace);
  }

  /** ClusterRoles by name, Roles by name (every namespace); aggregated ClusterRoles filled as the controller would. */
  roles(kind: Role['kind'], name: string): Role[] {
    if (!this.rolesByKey) {
      this.rolesByKey = new Map();
      const clusterRoles = withAggregatedRules(this.roleEntries.filter((role) => role.kind === 'ClusterRole'));
      for (const role of [...clusterRoles, ...this.roleEntries.filter((entry) => entry.kind === 'Role')])
        pushTo(this.rolesByKey, `${role.kind}/${role.name}`, role);
    }
    return this.rolesByKey.get(`${kind}/${name}`) ?? [];
  }

  /** The token Secret of that name (any entry; one declared in the inputs first). */
  tokenSecret(ref: ObjectRef): TokenSecretEntry | undefined {
    const matches = (this.secrets.get(ref.name) ?? []).filter((entry) => sameNamespace(entry.namespace, ref.namespace));
    return matches.find((entry) => entry.declared) ?? matches[0];
  }

  isTokenSecret(ref: ObjectRef): boolean {
    return this.tokenSecret(ref) !== undefined;
  }

  serviceAccount(ref: ObjectRef): ServiceAccountFacts {
    const facts: ServiceAccountFacts = { declared: false, hasRoleBinding: false };
    for (const entry of this.accounts.get(ref.name) ?? []) {
      if (!sameNamespace(entry.namespace, ref.namespace)) continue;
      facts.declared ||= entry.declared;
      facts.hasRoleBinding ||= entry.hasRoleBinding;
      facts.automount ??= entry.automount;
      facts.identityAnnotations ??= entry.identityAnnotations;
    }
    for (const entry of this.accounts.get(ANY_NAME) ?? []) {
      if (sameNamespace(entry.namespace, ref.namespace)) facts.hasRoleBinding = true;
    }
    return facts;
  }

  /** A binding to a group every ServiceAccount of the namespace is in (a templated group name counts too). */
  groupBound(namespace: string | undefined): boolean {
    return this.groups.some(
      ({ group }) =>
        group === ALL_SERVICE_ACCOUNTS_GROUP ||
        group === ALL_AUTHENTICATED_GROUP ||
        isTemplated(group) ||
        (namespace === undefined
          ? group.startsWith(`${ALL_SERVICE_ACCOUNTS_GROUP}:`)
          : group === serviceAccountsGroup(namespace)),
    );
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
