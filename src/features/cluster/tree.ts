// The "Clusters" tree: context → namespaces (lazy) → service accounts → token sources. Loading, errors and the
// welcome states live here; what each node looks like comes from present.ts.
import * as vscode from 'vscode';
import { accountRisks } from '../../core/cluster/judgements';
import { HOUR_MS, utcDate } from '../../core/time';
import { CLUSTER_VIEW_ID, type ClusterCommandId } from './ids';
import { loadChildren, namespaceChildren, type ClusterNode } from './nodes';
import { present, type IconTone, type NodeView } from './present';
import type { ClusterSession } from './session';

/** Context key for `viewsWelcome` clauses: 'noKubeconfig' | 'error' | 'connected'. */
export const CLUSTER_STATE_KEY = 'saToken.cluster.state';

type ClusterState = 'noKubeconfig' | 'error' | 'connected';

export class ClusterTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<ClusterNode> | undefined;
  private readonly warned = new Set<string>();
  private readonly parents = new WeakMap<ClusterNode, ClusterNode>();
  /** One node per namespace name, so a namespace's row can be redrawn on its own once its inventory loads. */
  private readonly namespaceNodes = new Map<string, ClusterNode & { type: 'namespace' }>();
  private readonly subscriptions: { dispose(): void }[] = [];
  /** The UTC day the rows were drawn on: the judgements (stale, cleanup candidate) count days. */
  private drawnOn = utcDate(new Date());

  constructor(
    private readonly session: ClusterSession<unknown>,
    private readonly namespaceFilter: () => string[],
    /** saToken.cluster.legacyTokenCleanUpPeriodDays (the decoded view of a token Secret states it too). */
    readonly cleanUpPeriodDays: () => number,
    private readonly log: vscode.LogOutputChannel,
    /** Shows a warning to the user (FeatureContext.showWarningMessage); without it warnings are only logged. */
    private readonly notify?: (message: string) => unknown,
    /** The view whose progress bar shows loads: the Clusters view unless this provider serves another. */
    private readonly progressViewId: string = CLUSTER_VIEW_ID,
  ) {
    // Watched changes already dropped the namespaces' caches: redrawing reloads just those.
    session.setWatchListener({
      changed: () => this.changed.fire(undefined),
      problem: (message) => this.showWatchProblem(message),
    });
    // A loaded namespace rolls its problems up into its own row and the view's badge.
    this.subscriptions.push(
      session.onInventoryChange((change) => {
        if (change.kind !== 'loaded') return;
        this.updateBadge();
        const node = this.namespaceNodes.get(change.namespace);
        if (node) this.changed.fire(node);
      }),
    );
    // Rows say dates, not ages; what they judge from the dates is redrawn when the day turns (from the caches).
    const dayCheck = setInterval(() => {
      if (utcDate(new Date()) === this.drawnOn) return;
      this.drawnOn = utcDate(new Date());
      this.changed.fire(undefined);
    }, HOUR_MS);
    this.subscriptions.push({ dispose: () => clearInterval(dayCheck) });
  }

  /** Service accounts that deserve a look (core judgement accountRisks) in a loaded namespace. */
  private namespaceProblems(namespace: string): number | undefined {
    const inventory = this.session.loadedInventory(namespace);
    return inventory?.serviceAccounts.filter((account) => accountRisks(account).length > 0).length;
  }

  private updateBadge(): void {
    if (!this.view) return;
    const total = [...this.namespaceNodes.keys()].reduce((sum, ns) => sum + (this.namespaceProblems(ns) ?? 0), 0);
    this.view.badge = total
      ? {
          value: total,
          tooltip: `${total} service account${total === 1 ? '' : 's'} to review in the namespaces loaded`,
        }
      : undefined;
  }

  attach(view: vscode.TreeView<ClusterNode>): void {
    this.view = view;
  }

  /** Re-reads everything below `node` (everything when undefined); callers reset the session's caches first. */
  refresh(node?: ClusterNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    const problems = node.type === 'namespace' ? this.namespaceProblems(node.namespace) : undefined;
    const item = toTreeItem(present(node, new Date(), this.cleanUpPeriodDays(), problems));
    // Selecting a leaf that stands for an object opens it (its manifest, else its YAML from the cluster).
    if (item.collapsibleState === vscode.TreeItemCollapsibleState.None && OPENS_ON_SELECT.has(node.type))
      item.command = { command: OPEN_COMMAND, title: 'Open', arguments: [node] };
    return item;
  }

  /** For TreeView.reveal: the parent each node was returned under. */
  getParent(node: ClusterNode): ClusterNode | undefined {
    return this.parents.get(node);
  }

  /**
   * Walks down from the root, at each level into the first child `path` accepts, and reveals (selects) the last;
   * returns false when a level has no such child (filtered out, gone, not readable).
   */
  async revealPath(path: ((node: ClusterNode) => boolean)[]): Promise<boolean> {
    let parent: ClusterNode | undefined;
    for (const accepts of path) {
      const next: ClusterNode | undefined = (await this.getChildren(parent)).find(accepts);
      if (!next) return false;
      parent = next;
    }
    if (!parent || !this.view) return false;
    await this.view.reveal(parent, { select: true, focus: true, expand: false });
    return true;
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    const children = await this.childrenOf(node);
    if (node) for (const child of children) this.parents.set(child, node);
    return children;
  }

  private async childrenOf(node?: ClusterNode): Promise<ClusterNode[]> {
    if (!node) return this.roots();
    switch (node.type) {
      case 'context':
        return this.namespaces();
      case 'namespace':
        return this.loading(`Loading namespace ${node.namespace}…`, async () =>
          namespaceChildren(await this.session.namespaceInventory(node.namespace), node.namespace),
        );
      case 'permissions':
        return this.loading('Loading RBAC bindings…', () => loadChildren(node, this.session));
      default:
        return loadChildren(node, this.session);
    }
  }

  private async roots(): Promise<ClusterNode[]> {
    let hasKubeconfig: boolean;
    try {
      hasKubeconfig = this.session.contexts().length > 0;
    } catch (error) {
      return this.failed('error', `Cannot read the kubeconfig: ${messageOf(error)}`);
    }
    if (!hasKubeconfig) return this.failed('noKubeconfig', undefined);
    try {
      const connection = await this.withViewProgress(this.session.connection());
      await this.setState('connected', this.session.watchProblem);
      this.warnOnce(connection.warnings);
      return [{ type: 'context', context: connection.context, server: connection.server ?? null }];
    } catch (error) {
      return this.failed('error', `Cannot connect: ${messageOf(error)}`);
    }
  }

  private async namespaces(): Promise<ClusterNode[]> {
    const filter = this.namespaceFilter();
    if (this.view) this.view.description = filter.length ? `namespaces: ${filter.join(', ')}` : 'all namespaces';
    if (filter.length) return filter.map((namespace) => this.namespaceNode(namespace));
    return this.loading('Listing namespaces…', async () => {
      const { names, note } = await this.session.namespaceChoice();
      if (names.length === 0) return [{ type: 'message', text: 'No namespaces', tone: 'info' }];
      const namespaces = names.map((namespace) => this.namespaceNode(namespace));
      if (!note) return namespaces;
      if (this.view) this.view.description = 'namespaces from your kubeconfig';
      return [{ type: 'forbidden', error: { resource: 'namespaces', namespace: null, reason: note } }, ...namespaces];
    });
  }

  /** Runs a load with progress in the view; a failure becomes one node saying what went wrong. */
  private async loading(what: string, load: () => Promise<ClusterNode[]>): Promise<ClusterNode[]> {
    try {
      return await this.withViewProgress(load(), what);
    } catch (error) {
      const message = messageOf(error);
      this.log.warn(message);
      const kind = (error as { kind?: string }).kind;
      if (kind === 'forbidden')
        return [
          { type: 'forbidden', error: { resource: 'namespaces', namespace: null, reason: forbiddenHint(message) } },
        ];
      // The whole cluster is out of reach: say so at the top of the view too, not only deep in the tree.
      if (kind && CONNECTION_FAILURES.has(kind) && this.view) this.view.message = `${message}. Refresh to try again.`;
      return [{ type: 'message', text: message, tone: 'error' }];
    }
  }

  /** A watch that stopped leaves that part of the tree as last loaded: say so until Refresh. */
  private showWatchProblem(message: string): void {
    this.log.warn(message);
    if (this.view) this.view.message = message;
  }

  /** Kubeconfig warnings (e.g. TLS verification turned off there) are shown once per session, never acted on. */
  private warnOnce(warnings: readonly string[]): void {
    for (const warning of warnings) {
      if (this.warned.has(warning)) continue;
      this.warned.add(warning);
      this.log.warn(warning);
      this.notify?.(warning);
    }
  }

  private withViewProgress<T>(work: Promise<T>, title?: string): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: { viewId: this.progressViewId }, title }, () => work),
    );
  }

  private async failed(state: ClusterState, message: string | undefined): Promise<ClusterNode[]> {
    if (message) this.log.warn(message);
    await this.setState(state, message);
    return [];
  }

  private async setState(state: ClusterState, message: string | undefined): Promise<void> {
    if (this.view) this.view.message = message;
    await vscode.commands.executeCommand('setContext', CLUSTER_STATE_KEY, state);
  }

  private namespaceNode(namespace: string): ClusterNode {
    let node = this.namespaceNodes.get(namespace);
    if (!node) this.namespaceNodes.set(namespace, (node = { type: 'namespace', namespace }));
    return node;
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.changed.dispose();
  }
}

const OPEN_COMMAND = 'saToken.cluster.open' satisfies ClusterCommandId;
/** Leaves that stand for an object: a Secret, a pod (also its containers' rows), a missing Secret's ServiceAccount. */
const OPENS_ON_SELECT = new Set<ClusterNode['type']>(['tokenSecret', 'secretRef', 'pod', 'staticPod', 'container']);

/** ClusterError kinds that mean no request can succeed, as opposed to one resource being refused. */
const CONNECTION_FAILURES = new Set(['unreachable', 'timeout', 'tls', 'unauthorized', 'config']);

function forbiddenHint(message: string): string {
  return `${message} — use "Filter Namespaces" to name the namespaces you can read`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const TONE_COLORS: Record<IconTone, string> = {
  warning: 'list.warningForeground',
  error: 'list.errorForeground',
  muted: 'disabledForeground',
};

export function toTreeItem(view: NodeView): vscode.TreeItem {
  const state = !view.collapsible
    ? vscode.TreeItemCollapsibleState.None
    : view.expanded
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(view.label, state);
  item.description = view.description;
  // Plain-string tooltips: names and labels from the cluster are never rendered as markdown.
  item.tooltip = view.tooltip;
  item.contextValue = view.contextValue;
  const color = view.icon.tone ? new vscode.ThemeColor(TONE_COLORS[view.icon.tone]) : undefined;
  item.iconPath = new vscode.ThemeIcon(view.icon.id, color);
  return item;
}
