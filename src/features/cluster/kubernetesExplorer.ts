// SA Token inside the Microsoft Kubernetes extension's Cluster Explorer, through its documented API
// (vscode-kubernetes-tools-api, Cluster Explorer v1): a "Service Accounts" folder under Configuration, and under each
// ServiceAccount and Pod node the very nodes of the Clusters view (nodes.ts, present.ts), from a session on the
// cluster that explorer shows. No vscode import at run time: the cluster suite drives it with a fake explorer.
import type * as vscode from 'vscode';
import type { ClusterExplorerV1 } from 'vscode-kubernetes-tools-api';
import type { ClusterNode } from './nodes';
import { loadChildren, resourceChildren } from './nodes';
import { present, type NodeView } from './present';
import type { ClusterSession } from './session';

/** The Kubernetes extension's Cluster Explorer view (its package.json). */
export const KUBERNETES_EXPLORER_VIEW_ID = 'extension.vsKubernetesExplorer';

/**
 * The folder SA Token adds under the explorer's Configuration folder: that explorer lists no ServiceAccounts itself.
 * Its resource nodes get the context value `vsKubernetes.resource.serviceaccount` (the abbreviation, which is also
 * what the explorer passes to `kubectl get`); package.json's menus match it.
 */
export const SERVICE_ACCOUNT_FOLDER = {
  displayName: 'Service Account',
  pluralDisplayName: 'Service Accounts',
  manifestKind: 'ServiceAccount',
  abbreviation: 'serviceaccount',
  parentFolder: 'Configuration',
} as const;

/** Prefix of the context values of SA Token's nodes in the explorer, so that package.json's menus tell them apart
 * from the explorer's own and from other extensions' nodes. */
export const EXPLORER_CONTEXT_PREFIX = 'saToken.';

const CONTRIBUTING_KINDS = new Set(['ServiceAccount', 'Pod']);

export interface ExplorerContributorDeps {
  /** The session on the cluster the explorer shows (its kubeconfig, its current context). */
  session: ClusterSession<unknown>;
  /** The legacy token clean-up period in days (setting), as the Clusters view shows it. */
  cleanUpPeriodDays: () => number;
  /** Turns a node's view into a TreeItem: tree.ts's toTreeItem, the one the Clusters view uses. */
  treeItem: (view: NodeView) => vscode.TreeItem;
  /** Where load failures go besides the error node. */
  log?: (message: string) => void;
}

/** One of SA Token's nodes in the explorer: a Clusters view node, rendered and expanded as in the Clusters view. */
export class ExplorerNode implements ClusterExplorerV1.Node {
  constructor(
    readonly node: ClusterNode,
    private readonly deps: ExplorerContributorDeps,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const view = present(this.node, new Date(), this.deps.cleanUpPeriodDays());
    return this.deps.treeItem({ ...view, contextValue: `${EXPLORER_CONTEXT_PREFIX}${view.contextValue}` });
  }

  getChildren(): Promise<ClusterExplorerV1.Node[]> {
    return explorerNodes(() => loadChildren(this.node, this.deps.session), this.deps);
  }
}

/** Adds the Clusters view's children under the explorer's ServiceAccount and Pod nodes. */
export class ExplorerContributor implements ClusterExplorerV1.NodeContributor {
  constructor(private readonly deps: ExplorerContributorDeps) {}

  contributesChildren(parent: ClusterExplorerV1.ClusterExplorerNode | undefined): boolean {
    return parent?.nodeType === 'resource' && CONTRIBUTING_KINDS.has(parent.resourceKind.manifestKind);
  }

  getChildren(parent: ClusterExplorerV1.ClusterExplorerNode | undefined): Promise<ClusterExplorerV1.Node[]> {
    if (!this.contributesChildren(parent) || parent?.nodeType !== 'resource') return Promise.resolve([]);
    const { name } = parent;
    const kind = parent.resourceKind.manifestKind;
    return explorerNodes(async () => {
      const namespace = namespaceOf(parent, this.deps.session);
      return resourceChildren(kind, namespace, name, await this.deps.session.namespaceInventory(namespace));
    }, this.deps);
  }
}

/**
 * A resource node's namespace. The explorer lists a kind it has no lister of its own for (our Service Accounts
 * folder) with `kubectl get` and no --namespace, i.e. in the current context's namespace, else "default"; and it
 * leaves those nodes' namespace empty (vscode-kubernetes-tools 1.4.1 splits kubectl's columns on single spaces).
 */
function namespaceOf(
  node: ClusterExplorerV1.ClusterExplorerResourceNode,
  session: Pick<ClusterSession<unknown>, 'contexts'>,
): string {
  return node.namespace || session.contexts().find((context) => context.current)?.namespace || 'default';
}

/** Loads children and wraps them; a failure becomes one error node saying what went wrong (as in the Clusters view). */
async function explorerNodes(
  load: () => Promise<ClusterNode[]>,
  deps: ExplorerContributorDeps,
): Promise<ClusterExplorerV1.Node[]> {
  let children: ClusterNode[];
  try {
    children = await load();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    deps.log?.(text);
    children = [{ type: 'message', text, tone: 'error' }];
  }
  return children.map((child) => new ExplorerNode(child, deps));
}

/** Registers the Service Accounts folder and the contributor with the explorer. */
export function registerExplorerContributions(explorer: ClusterExplorerV1, deps: ExplorerContributorDeps): void {
  const { displayName, pluralDisplayName, manifestKind, abbreviation, parentFolder } = SERVICE_ACCOUNT_FOLDER;
  explorer.registerNodeContributor(
    explorer.nodeSources.resourceFolder(displayName, pluralDisplayName, manifestKind, abbreviation).at(parentFolder),
  );
  explorer.registerNodeContributor(new ExplorerContributor(deps));
}

/**
 * What a command run from the explorer acts on, as the argument a Clusters view command takes — an identifier the
 * command re-resolves against the session's inventory, never a node object trusted as it came. undefined when
 * `target` is not an explorer node (the command came from the Clusters view, a link, the palette).
 */
export function explorerCommandArgument(
  explorer: ClusterExplorerV1,
  target: unknown,
  session: Pick<ClusterSession<unknown>, 'contexts'>,
): unknown {
  const resolved = explorer.resolveCommandTarget(target);
  if (!resolved) return undefined;
  if (resolved.nodeType === 'resource') {
    const { name } = resolved;
    const namespace = namespaceOf(resolved, session);
    if (resolved.resourceKind.manifestKind === 'ServiceAccount')
      return { type: 'serviceAccount', account: { namespace, name } };
    if (resolved.resourceKind.manifestKind === 'Pod') return { type: 'pod', namespace, pod: { name } };
    return {};
  }
  // One of our own nodes. The API resolves those to just { nodeType: 'extension' }; the explorer passes its wrapper,
  // whose `impl` is the node we returned. Only an ExplorerNode instance counts: a command link cannot make one.
  const inner = (target as { impl?: unknown }).impl;
  return inner instanceof ExplorerNode ? inner.node : {};
}
