// One connection to the chosen kubeconfig context and everything cached from it: the namespace list, one inventory
// per namespace (loaded when the namespace is expanded) and the issuer keys. No vscode import: unit-tested with a
// fake kube module. The real module is dist/kube.js, reached only through the lazy loader.
import type { Inventory } from '../../core/cluster/model';
import { RbacIndex, type ServiceAccountRef } from '../../core/rbac/index';
import type { NamespaceChoice, RbacListError } from '../../kube/index';
import type { ClusterKeys } from '../shared/clusterKeys';
import type { ClusterConnection, ContextSummary, KubeEntryPoints } from './kubeApi';
import { NamespaceWatches, type WatchListener } from './watches';

export interface SessionSettings {
  kubeconfigPath: string | null;
  /** Context from the settings; a context picked with "Switch Context" wins over it. */
  context: string | null;
  timeoutMs: number;
  /** saToken.cluster.watch: keep loaded namespaces current by watch. */
  watch?: boolean;
}

/** What changed in the session's cached inventories (subscribe with `onInventoryChange`). */
export type InventoryChange =
  /** `namespace` was (re)listed and this is now its inventory. */
  | { kind: 'loaded'; namespace: string; inventory: Inventory }
  /** `namespace` changed (a write, a watched change) and is not reloaded yet. */
  | { kind: 'forgotten'; namespace: string }
  /** Another connection (refresh, context switch, settings): nothing cached holds. */
  | { kind: 'cleared' };

/** The cluster's RBAC objects indexed once, with the lists that could not be read (403 shown as such). */
export interface RbacView {
  index: RbacIndex;
  serviceAccounts: ServiceAccountRef[];
  errors: RbacListError[];
}

export const JWKS_FORBIDDEN =
  'forbidden: your credentials cannot read /openid/v1/jwks (usually bound only to service accounts)';

export class ClusterSession<K = unknown> {
  private connecting: Promise<ClusterConnection> | undefined;
  private connected: ClusterConnection | undefined;
  private namespaceList: Promise<NamespaceChoice> | undefined;
  private readonly inventories = new Map<string, Promise<Inventory>>();
  private readonly loadedInventories = new Map<string, Inventory>();
  private issuerKeys: Promise<ClusterKeys<K>> | undefined;
  private rbacView: Promise<RbacView> | undefined;
  private readonly inventoryListeners = new Set<(change: InventoryChange) => void>();
  /** A context picked with Switch Context, for the kubeconfig it was picked from: another file forgets it. */
  private pickedContext: { context: string; kubeconfigPath: string | null } | undefined;
  private watchListener: WatchListener | undefined;
  private readonly watches: NamespaceWatches;

  constructor(
    private readonly kube: () => KubeEntryPoints,
    private readonly settings: () => SessionSettings,
    /** Turns a JWKS document into verification keys (the tokens core's `parseKeys`). */
    private readonly parseJwks: (jwks: string, label: string) => Promise<K[]>,
    watchRetry?: ConstructorParameters<typeof NamespaceWatches>[2],
  ) {
    this.watches = new NamespaceWatches(
      (namespace) => this.invalidateNamespace(namespace),
      () => this.watchListener,
      watchRetry,
    );
  }

  /** Calls `listener` after every change of the cached inventories; returns its unsubscription (a Disposable). */
  onInventoryChange(listener: (change: InventoryChange) => void): { dispose(): void } {
    this.inventoryListeners.add(listener);
    return { dispose: () => this.inventoryListeners.delete(listener) };
  }

  private inventoryChanged(change: InventoryChange): void {
    for (const listener of [...this.inventoryListeners]) listener(change);
  }

  /** Who hears about watched changes and watch problems (the tree). */
  setWatchListener(listener: WatchListener): void {
    this.watchListener = listener;
  }

  /** The latest watch problem since the last reset, to keep showing it. */
  get watchProblem(): string | undefined {
    return this.watches.problem;
  }

  /** Contexts of the kubeconfig; empty when there is no kubeconfig at all. */
  contexts(): ContextSummary[] {
    return this.kube().listContexts(this.settings().kubeconfigPath ?? undefined);
  }

  /** The context in use: the one picked, else the setting, else the kubeconfig's current-context. */
  contextChoice(): string | undefined {
    const { kubeconfigPath, context } = this.settings();
    const picked = this.pickedContext?.kubeconfigPath === kubeconfigPath ? this.pickedContext.context : undefined;
    return picked ?? context ?? undefined;
  }

  switchContext(context: string): void {
    this.pickedContext = { context, kubeconfigPath: this.settings().kubeconfigPath };
    this.reset();
  }

  /** Drops the connection and every cache: the next call reconnects (re-reading the kubeconfig). */
  reset(): void {
    this.watches.stopAll();
    this.connecting = undefined;
    this.connected = undefined;
    this.namespaceList = undefined;
    this.inventories.clear();
    this.loadedInventories.clear();
    this.issuerKeys = undefined;
    this.rbacView = undefined;
    this.inventoryChanged({ kind: 'cleared' });
  }

  connection(): Promise<ClusterConnection> {
    if (this.connecting) return this.connecting;
    const { kubeconfigPath, timeoutMs } = this.settings();
    const attempt = this.kube().connect({
      kubeconfigPath: kubeconfigPath ?? undefined,
      context: this.contextChoice(),
      timeoutMs,
    });
    const connecting: Promise<ClusterConnection> = this.forgetOnFailure(attempt, () => {
      if (this.connecting === connecting) this.connecting = undefined;
    });
    this.connecting = connecting;
    // A reset while connecting makes this attempt stale: it must not become the current connection.
    void attempt.then(
      (connection) => {
        if (this.connecting === connecting) this.connected = connection;
      },
      () => undefined,
    );
    return connecting;
  }

  /** A one-off connection to `context` of the same kubeconfig (the caller closes it); the session's own is untouched. */
  connectionTo(context: string): Promise<ClusterConnection> {
    const { kubeconfigPath, timeoutMs } = this.settings();
    return this.kube().connect({ kubeconfigPath: kubeconfigPath ?? undefined, context, timeoutMs });
  }

  /** The connection if one is already open; never opens one (hovers must not be what contacts a cluster). */
  get current(): ClusterConnection | undefined {
    return this.connected;
  }

  namespaces(signal?: AbortSignal): Promise<string[]> {
    return this.namespaceChoice(signal).then((choice) => choice.names);
  }

  /** The namespaces to show, with a note when they are the kubeconfig's (listing namespaces was forbidden). */
  namespaceChoice(signal?: AbortSignal): Promise<NamespaceChoice> {
    if (!this.namespaceList) {
      const listing: Promise<NamespaceChoice> = this.forgetOnFailure(
        this.connection().then((connection) => connection.namespaceChoice({ signal })),
        () => {
          if (this.namespaceList === listing) this.namespaceList = undefined;
        },
      );
      this.namespaceList = listing;
      return listing;
    }
    return this.namespaceList;
  }

  namespaceInventory(namespace: string, signal?: AbortSignal): Promise<Inventory> {
    let pending = this.inventories.get(namespace);
    if (!pending) {
      const load = this.connection()
        .then(async (connection) => {
          // Watches first: they start from the current state, so the inventory listed next misses no change.
          if (this.settings().watch && this.inventories.get(namespace) === loading)
            await this.watches.watch(connection, namespace);
          return connection.inventory({ namespace, signal });
        })
        .then((inventory) => {
          // A reset or a watched change since this listing started made it stale: the next load tells.
          if (this.inventories.get(namespace) === loading) {
            this.loadedInventories.set(namespace, inventory);
            this.inventoryChanged({ kind: 'loaded', namespace, inventory });
          }
          return inventory;
        });
      const loading: Promise<Inventory> = this.forgetOnFailure(load, () => {
        if (this.inventories.get(namespace) === loading) this.inventories.delete(namespace);
      });
      this.inventories.set(namespace, loading);
      pending = loading;
    }
    return pending;
  }

  /**
   * Roles, ClusterRoles, bindings and ServiceAccounts of the whole cluster, listed on first use (a Permissions node
   * opened, a command) and kept until Refresh or a context switch.
   */
  rbac(signal?: AbortSignal): Promise<RbacView> {
    if (!this.rbacView) {
      const loading: Promise<RbacView> = this.forgetOnFailure(
        this.connection()
          .then((connection) => connection.rbacSnapshot({ signal }))
          .then((snapshot) => ({
            index: new RbacIndex(snapshot.objects),
            serviceAccounts: snapshot.serviceAccounts,
            errors: snapshot.errors,
          })),
        () => {
          if (this.rbacView === loading) this.rbacView = undefined;
        },
      );
      this.rbacView = loading;
    }
    return this.rbacView;
  }

  /** A namespace's inventory if it has finished loading. */
  loadedInventory(namespace: string): Inventory | undefined {
    return this.loadedInventories.get(namespace);
  }

  /** Forget one namespace (after a create or delete in it), keeping the rest of the cache. */
  invalidateNamespace(namespace: string): void {
    this.inventories.delete(namespace);
    this.loadedInventories.delete(namespace);
    this.inventoryChanged({ kind: 'forgotten', namespace });
  }

  /**
   * The cluster's issuer keys for hover verification, fetched once per connection. Undefined when no connection
   * is open: asking for keys never connects.
   */
  clusterKeys(): Promise<ClusterKeys<K>> | undefined {
    const connection = this.connected;
    if (!connection) return undefined;
    if (!this.issuerKeys) {
      const fetching: Promise<ClusterKeys<K>> = this.forgetOnFailure(this.fetchKeys(connection), () => {
        if (this.issuerKeys === fetching) this.issuerKeys = undefined;
      });
      this.issuerKeys = fetching;
      return fetching;
    }
    return this.issuerKeys;
  }

  private async fetchKeys(connection: ClusterConnection): Promise<ClusterKeys<K>> {
    const context = connection.context;
    const answer = await connection.fetchIssuerKeys({});
    if ('forbidden' in answer) return { context, unavailable: JWKS_FORBIDDEN };
    if ('unavailable' in answer) return { context, unavailable: answer.unavailable };
    const keys = await this.parseJwks(JSON.stringify(answer.jwks), `cluster ${context}`);
    return { context, keys };
  }

  /** Stops every watch (view disposal, deactivation). */
  dispose(): void {
    this.watches.stopAll();
  }

  /** A failed load must not stay cached: the next expand or refresh tries again. */
  private forgetOnFailure<T>(promise: Promise<T>, forget: () => void): Promise<T> {
    return promise.catch((error: unknown) => {
      forget();
      throw error;
    });
  }
}
