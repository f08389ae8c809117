// The tree's elements and how a loaded namespace breaks down into them. Pure: the vscode provider only maps
// these to TreeItems, so the structure is unit-tested without VS Code.
import type {
  ContainerUse,
  Inventory,
  InventoryError,
  PodInfo,
  PodTokenSource,
  ServiceAccountInfo,
  TokenSecretInfo,
} from '../../core/cluster/model';
import { podsReadingSecret } from '../../core/cluster/judgements';
import type { AppliedBinding, PolicyRule, Risk } from '../../core/rbac/index';
import { permissionsChildren } from './permissions';
import type { RbacView } from './session';

export type GroupKind = 'tokenSecrets' | 'secretsList' | 'imagePullSecrets' | 'pods';

export type ClusterNode =
  | { type: 'context'; context: string; server: string | null }
  | { type: 'namespace'; namespace: string }
  | { type: 'serviceAccount'; account: ServiceAccountInfo }
  | { type: 'group'; group: GroupKind; account: ServiceAccountInfo }
  /** `readers`: pods in the namespace that read this Secret (volume or env), named in the delete confirmation. */
  | {
      type: 'tokenSecret';
      secret: TokenSecretInfo;
      readers: string[];
      listedInSecrets?: boolean;
      /** The cluster's legacy token tracking start (Inventory.legacyTokenTrackingSince). */
      trackedSince?: string | null;
    }
  | {
      type: 'secretRef';
      namespace: string;
      /** The ServiceAccount whose list names it. */
      serviceAccount: string;
      name: string;
      list: 'secrets' | 'imagePullSecrets';
      missing: boolean;
    }
  | { type: 'pod'; namespace: string; serviceAccount: string; pod: PodInfo }
  /** A mirror of a static pod: no service account, no token. */
  | { type: 'staticPod'; namespace: string; name: string }
  | { type: 'tokenSource'; namespace: string; pod: string; source: PodTokenSource }
  | { type: 'container'; namespace: string; pod: string; use: ContainerUse }
  | { type: 'forbidden'; error: InventoryError }
  /** The RBAC bindings that apply to a ServiceAccount, loaded when opened. */
  | { type: 'permissions'; account: ServiceAccountInfo }
  | { type: 'binding'; applied: AppliedBinding; risks: Risk[] }
  | { type: 'rule'; rule: PolicyRule; scope: string }
  | { type: 'message'; text: string; tone: 'loading' | 'error' | 'info' };

/** Children of a namespace: its service accounts (sorted), its static pods, then one node per forbidden resource. */
export function namespaceChildren(inventory: Inventory, namespace: string): ClusterNode[] {
  const accounts = inventory.serviceAccounts
    .filter((account) => account.namespace === namespace)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((account): ClusterNode => ({ type: 'serviceAccount', account }));
  const staticPods = inventory.staticPods
    .filter((pod) => pod.namespace === namespace)
    .map((pod): ClusterNode => ({ type: 'staticPod', namespace, name: pod.name }));
  const errors = inventory.errors
    .filter((error) => error.namespace === namespace || error.namespace === null)
    .map((error): ClusterNode => ({ type: 'forbidden', error }));
  if (accounts.length === 0 && staticPods.length === 0 && errors.length === 0) {
    return [{ type: 'message', text: 'No service accounts', tone: 'info' }];
  }
  return [...accounts, ...staticPods, ...errors];
}

/** Groups under a service account; empty groups are left out so every shown group has something to open. */
export function serviceAccountChildren(account: ServiceAccountInfo): ClusterNode[] {
  const present: Record<GroupKind, boolean> = {
    tokenSecrets: account.tokenSecrets.length > 0,
    secretsList: account.secretsList.length > 0,
    imagePullSecrets: account.imagePullSecrets.length > 0,
    pods: account.pods.length > 0,
  };
  const groups = (Object.keys(present) as GroupKind[])
    .filter((group) => present[group])
    .map((group): ClusterNode => ({ type: 'group', group, account }));
  return [...groups, { type: 'permissions', account }];
}

export function groupChildren(group: GroupKind, account: ServiceAccountInfo, inventory: Inventory): ClusterNode[] {
  const namespace = account.namespace;
  switch (group) {
    case 'tokenSecrets':
      return account.tokenSecrets.map((secret) => ({
        type: 'tokenSecret',
        secret,
        readers: podsReadingSecret(inventory, namespace, secret.name),
        listedInSecrets: account.secretsList.includes(secret.name),
        trackedSince: inventory.legacyTokenTrackingSince ?? null,
      }));
    case 'secretsList':
      return account.secretsList.map((name) => ({
        type: 'secretRef',
        namespace,
        serviceAccount: account.name,
        name,
        list: 'secrets',
        missing: account.missingSecrets.includes(name),
      }));
    case 'imagePullSecrets':
      return account.imagePullSecrets.map((name) => ({
        type: 'secretRef',
        namespace,
        serviceAccount: account.name,
        name,
        list: 'imagePullSecrets',
        missing: false,
      }));
    case 'pods':
      return account.pods.map((pod) => ({ type: 'pod', namespace, serviceAccount: account.name, pod }));
  }
}

export function podChildren(node: Extract<ClusterNode, { type: 'pod' }>): ClusterNode[] {
  return node.pod.tokenSources.map((source) => ({
    type: 'tokenSource',
    namespace: node.namespace,
    pod: node.pod.name,
    source,
  }));
}

export function tokenSourceChildren({
  namespace,
  pod,
  source,
}: Extract<ClusterNode, { type: 'tokenSource' }>): ClusterNode[] {
  return source.containers.map((use) => ({ type: 'container', namespace, pod, use }));
}

/**
 * What SA Token adds under another tree's node for a ServiceAccount or a Pod (the Kubernetes extension's Cluster
 * Explorer): the same children as in the Clusters view, from the namespace's inventory, or one node saying why there
 * are none. Other kinds get nothing.
 */
export function resourceChildren(kind: string, namespace: string, name: string, inventory: Inventory): ClusterNode[] {
  const refused = inventory.errors
    .filter((error) => error.namespace === namespace || error.namespace === null)
    .map((error): ClusterNode => ({ type: 'forbidden', error }));
  if (kind === 'ServiceAccount') {
    const account = inventory.serviceAccounts.find(
      (candidate) => candidate.namespace === namespace && candidate.name === name,
    );
    if (!account)
      return [...refused, { type: 'message', text: `Not in namespace ${namespace} any more: refresh`, tone: 'info' }];
    return [...refused, ...serviceAccountChildren(account)];
  }
  if (kind !== 'Pod') return [];
  if (inventory.staticPods.some((pod) => pod.namespace === namespace && pod.name === name))
    return [{ type: 'message', text: 'Static pod: no service account, no token', tone: 'info' }];
  for (const account of inventory.serviceAccounts) {
    if (account.namespace !== namespace) continue;
    const pod = account.pods.find((candidate) => candidate.name === name);
    if (!pod) continue;
    const sources = podChildren({ type: 'pod', namespace, serviceAccount: account.name, pod });
    return sources.length
      ? sources
      : [
          {
            type: 'message',
            text: `No service account token reaches this pod (automount ${pod.automount ? 'on' : 'off'})`,
            tone: 'info',
          },
        ];
  }
  return [...refused, { type: 'message', text: `Not in namespace ${namespace} any more: refresh`, tone: 'info' }];
}

/** Children of a node below a namespace, from what the session holds: the Clusters view and the Kubernetes
 * extension's Cluster Explorer both expand nodes with this. */
export async function loadChildren(node: ClusterNode, session: ChildrenSource): Promise<ClusterNode[]> {
  switch (node.type) {
    case 'group':
      return childrenOf(node, session.loadedInventory(node.account.namespace));
    case 'permissions':
      return permissionsChildren(node.account, await session.rbac());
    default:
      return childrenOf(node, undefined);
  }
}

/** The part of ClusterSession that expanding a node reads. */
export interface ChildrenSource {
  loadedInventory(namespace: string): Inventory | undefined;
  rbac(): Promise<RbacView>;
}

/** Children of any node that has them; the tree provider handles context and namespace loading itself. */
export function childrenOf(node: ClusterNode, inventory: Inventory | undefined): ClusterNode[] {
  switch (node.type) {
    case 'serviceAccount':
      return serviceAccountChildren(node.account);
    case 'group':
      return inventory ? groupChildren(node.group, node.account, inventory) : [];
    case 'pod':
      return podChildren(node);
    case 'tokenSource':
      return tokenSourceChildren(node);
    case 'binding':
      return (node.applied.role?.rules ?? []).map((rule) => ({ type: 'rule', rule, scope: node.applied.scope }));
    default:
      return [];
  }
}

/**
 * The node the session's own inventory holds for what `argument` names (a service account or a token Secret, by
 * namespace and name), or undefined. Commands act on this, never on the argument itself: a command link in untrusted
 * text can pass any object, e.g. a hand-made "tokenSecret" naming a Secret of another type.
 */
export function resolveNode<T extends 'serviceAccount' | 'tokenSecret'>(
  argument: unknown,
  type: T,
  inventory: Inventory,
): Extract<ClusterNode, { type: T }> | undefined {
  const id = nodeId(argument, type);
  if (!id) return undefined;
  for (const account of inventory.serviceAccounts) {
    if (account.namespace !== id.namespace) continue;
    if (type === 'serviceAccount' && account.name === id.name)
      return { type: 'serviceAccount', account } as Extract<ClusterNode, { type: T }>;
    if (type !== 'tokenSecret') continue;
    const secret = account.tokenSecrets.find((candidate) => candidate.name === id.name);
    if (secret)
      return {
        type: 'tokenSecret',
        secret,
        readers: podsReadingSecret(inventory, id.namespace, secret.name),
      } as Extract<ClusterNode, { type: T }>;
  }
  return undefined;
}

/** What identifies a node of `type` in an argument: its namespace and name, both strings; undefined otherwise. */
export function nodeId(
  argument: unknown,
  type: 'serviceAccount' | 'tokenSecret',
): { namespace: string; name: string } | undefined {
  if (!argument || typeof argument !== 'object' || (argument as { type?: unknown }).type !== type) return undefined;
  const object = (argument as { account?: unknown; secret?: unknown })[
    type === 'serviceAccount' ? 'account' : 'secret'
  ];
  const { namespace, name } = (object ?? {}) as { namespace?: unknown; name?: unknown };
  return typeof namespace === 'string' && typeof name === 'string' && name !== '' ? { namespace, name } : undefined;
}

/**
 * The `.secrets` entry of `argument` (namespace, service account, name) if the session's inventory still has that
 * ServiceAccount listing a Secret of that name that does not exist; undefined otherwise. With the account it is in.
 */
export function resolveMissingSecretRef(
  argument: unknown,
  inventory: Inventory,
): { node: Extract<ClusterNode, { type: 'secretRef' }>; account: ServiceAccountInfo } | undefined {
  const { type, namespace, serviceAccount, name } = (argument ?? {}) as Record<string, unknown>;
  if (type !== 'secretRef' || typeof namespace !== 'string' || typeof name !== 'string') return undefined;
  const account = inventory.serviceAccounts.find(
    (candidate) => candidate.namespace === namespace && candidate.name === serviceAccount,
  );
  if (!account?.secretsList.includes(name) || !account.missingSecrets.includes(name)) return undefined;
  return {
    node: { type: 'secretRef', namespace, serviceAccount: account.name, name, list: 'secrets', missing: true },
    account,
  };
}

/** A Kubernetes object a node stands for (what selecting it opens). */
export interface ObjectRef {
  kind: 'ServiceAccount' | 'Secret' | 'Pod';
  namespace: string;
  name: string;
}

/**
 * The object a node stands for, if the session's inventory holds it: a service account, a token Secret, a Secret a
 * service account lists (a missing one: its ServiceAccount, which holds the entry), a pod (also for its token sources
 * and containers' rows), a static pod. Names come from the inventory, never from the argument alone.
 */
export function resolveObject(argument: unknown, inventory: Inventory): ObjectRef | undefined {
  const node = (argument ?? {}) as Partial<ClusterNode> & Record<string, unknown>;
  const inNamespace = (namespace: unknown) =>
    inventory.serviceAccounts.filter((account) => account.namespace === namespace);
  switch (node.type) {
    case 'serviceAccount':
    case 'tokenSecret': {
      const resolved = resolveNode(argument, node.type, inventory);
      if (!resolved) return undefined;
      return resolved.type === 'serviceAccount'
        ? { kind: 'ServiceAccount', namespace: resolved.account.namespace, name: resolved.account.name }
        : { kind: 'Secret', namespace: resolved.secret.namespace, name: resolved.secret.name };
    }
    case 'secretRef': {
      const account = inNamespace(node.namespace).find((candidate) => candidate.name === node.serviceAccount);
      const listed = node.list === 'imagePullSecrets' ? account?.imagePullSecrets : account?.secretsList;
      if (!account || typeof node.name !== 'string' || !listed?.includes(node.name)) return undefined;
      return account.missingSecrets.includes(node.name) && node.list !== 'imagePullSecrets'
        ? { kind: 'ServiceAccount', namespace: account.namespace, name: account.name }
        : { kind: 'Secret', namespace: account.namespace, name: node.name };
    }
    case 'pod':
    case 'tokenSource':
    case 'container': {
      const pod = node.type === 'pod' ? (node.pod as { name?: unknown } | undefined)?.name : node.pod;
      const found = inNamespace(node.namespace).some((account) => account.pods.some((p) => p.name === pod));
      return found ? { kind: 'Pod', namespace: node.namespace as string, name: pod as string } : undefined;
    }
    case 'staticPod': {
      const found = inventory.staticPods.some((pod) => pod.namespace === node.namespace && pod.name === node.name);
      return found ? { kind: 'Pod', namespace: node.namespace as string, name: node.name as string } : undefined;
    }
    default:
      return undefined;
  }
}
