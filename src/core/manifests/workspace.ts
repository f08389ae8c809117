// What other files (and later the cluster) tell about token Secrets and ServiceAccounts.
import type { Document } from 'yaml';
import { SA_NAME_ANNOTATION, TOKEN_SECRET_TYPE } from '../kubernetes';
import { getBoolean, getSeq, getString, parseYaml, seqMaps } from './nodes';
import { objectsOf, type KubeObject } from './objects';
import { roleFrom, withAggregatedRules, type Role } from '../rbac/index';
import type { ObjectRef, RoleEntry, ServiceAccountEntry, TokenSecretEntry, WorkspaceIndex } from './types';

/**
 * Indexes one file: one parse, no rule work. Only ServiceAccounts, token Secrets, Roles/ClusterRoles and bindings add
 * entries, and each spells one of three words: other files (most of a repository) are not parsed at all.
 */
export function indexWorkspaceFile(text: string, fileName?: string): WorkspaceIndex {
  if (!text.includes('ServiceAccount') && !text.includes(TOKEN_SECRET_TYPE) && !text.includes('Role'))
    return { tokenSecrets: [], serviceAccounts: [], roles: [] };
  const docs = parseYaml(text);
  return indexObjects(docs, docs.map(objectsOf), fileName);
}

/** `objects[i]` are the objects of `docs[i]` (the linter finds them once for both jobs). */
export function indexObjects(
  docs: readonly Document[],
  objects: readonly KubeObject[][],
  fileName?: string,
): WorkspaceIndex {
  const index: WorkspaceIndex = { tokenSecrets: [], serviceAccounts: [], roles: [] };
  for (const [i, doc] of docs.entries()) {
    for (const object of objects[i]) {
      if (!object.name && object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') continue;
      const ref = { name: object.name ?? '', namespace: object.namespace, fileName };
      if (object.kind === 'Secret' && getString(doc, object.map, 'type') === TOKEN_SECRET_TYPE) {
        index.tokenSecrets.push({ ...ref, serviceAccount: object.annotations.get(SA_NAME_ANNOTATION) });
      } else if (object.kind === 'ServiceAccount') {
        const automount = getBoolean(doc, object.map, 'automountServiceAccountToken');
        const identityAnnotations = workloadIdentityAnnotations(object.annotations);
        index.serviceAccounts.push({
          ...ref,
          declared: true,
          automount,
          hasRoleBinding: false,
          ...(identityAnnotations ? { identityAnnotations } : {}),
        });
      } else if (object.kind === 'Role' || object.kind === 'ClusterRole') {
        const role = roleFrom(object.map.toJS(doc, { maxAliasCount: 100 }), object.kind, { namespaceOptional: true });
        if (role) index.roles!.push({ ...role, fileName });
      } else if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
        const subjects = getSeq(doc, object.map, 'subjects')?.node;
        for (const { node } of subjects ? seqMaps(doc, subjects) : []) {
          const name = getString(doc, node, 'name');
          if (getString(doc, node, 'kind') !== 'ServiceAccount' || !name) continue;
          const namespace = getString(doc, node, 'namespace') ?? object.namespace;
          index.serviceAccounts.push({ name, namespace, declared: false, hasRoleBinding: true, fileName });
        }
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

export function mergeIndexes(...indexes: Partial<WorkspaceIndex>[]): WorkspaceIndex {
  return {
    tokenSecrets: indexes.flatMap((index) => index.tokenSecrets ?? []),
    serviceAccounts: indexes.flatMap((index) => index.serviceAccounts ?? []),
    roles: indexes.flatMap((index) => index.roles ?? []),
  };
}

/** An unknown namespace (the manifest does not say) matches any. */
export const sameNamespace = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined || a === b;

/** Effective knowledge about a ServiceAccount, merged over every entry that names it. */
export interface ServiceAccountFacts {
  declared: boolean;
  automount?: boolean;
  hasRoleBinding: boolean;
  identityAnnotations?: Record<string, string>;
}

/** Name-keyed lookups over an index, built once per lint. */
export class IndexLookup {
  private readonly secrets = new Map<string, TokenSecretEntry[]>();
  private readonly accounts = new Map<string, ServiceAccountEntry[]>();
  private readonly roleEntries: readonly RoleEntry[];
  private rolesByKey: Map<string, Role[]> | undefined;

  constructor(index: {
    tokenSecrets: readonly TokenSecretEntry[];
    serviceAccounts: readonly ServiceAccountEntry[];
    roles?: readonly RoleEntry[];
  }) {
    for (const entry of index.tokenSecrets) pushTo(this.secrets, entry.name, entry);
    for (const entry of index.serviceAccounts) pushTo(this.accounts, entry.name, entry);
    this.roleEntries = index.roles ?? [];
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

  isTokenSecret(ref: ObjectRef): boolean {
    return (this.secrets.get(ref.name) ?? []).some((entry) => sameNamespace(entry.namespace, ref.namespace));
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
    return facts;
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
