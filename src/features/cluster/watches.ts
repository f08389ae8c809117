// Keeps the namespaces the view has loaded current while `saToken.cluster.watch` is on: one watch each of service
// accounts, token Secrets and pods per namespace. A change drops that namespace's cached inventory and, debounced,
// asks the view to redraw; a watch that stops for good is reported ("press Refresh"), never left stale silently.
// No vscode import: the session owns this and the tree listens.
import type { ClusterConnection } from './kubeApi';
import type { WatchRetry } from '../../kube/index';

const WATCHED_RESOURCES = ['serviceaccounts', 'secrets', 'pods'] as const;
/** A burst of changes (a Deployment rolling out) becomes one reload per namespace. */
export const REDRAW_DELAY_MS = 500;
/** Three long-lived connections per namespace: beyond this many namespaces, Refresh is the way to update. */
export const MAX_WATCHED_NAMESPACES = 20;

export interface WatchListener {
  /** These namespaces' cached inventories were dropped because the cluster changed: redraw them. */
  changed(namespaces: string[]): void;
  /** A watch could not start or stopped for good; the message says what and to press Refresh. */
  problem(message: string): void;
}

export class NamespaceWatches {
  private stopping = new AbortController();
  private readonly started = new Map<string, Promise<void>>();
  private readonly changedNamespaces = new Set<string>();
  private redrawTimer: NodeJS.Timeout | undefined;
  private lastProblem: string | undefined;

  constructor(
    /** Drops a namespace's cached inventory. */
    private readonly invalidate: (namespace: string) => void,
    private readonly listener: () => WatchListener | undefined,
    private readonly retry?: Partial<WatchRetry>,
  ) {}

  /** The latest problem since the watches were last stopped (shown until Refresh). */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  /**
   * Watches `namespace` from now on (once). Resolves when its watches know their starting point, so that an inventory
   * loaded afterwards misses no change; never rejects: a watch that cannot start is reported instead.
   */
  watch(connection: ClusterConnection, namespace: string): Promise<void> {
    const existing = this.started.get(namespace);
    if (existing) return existing;
    if (this.started.size >= MAX_WATCHED_NAMESPACES) {
      this.report(
        `watching the first ${MAX_WATCHED_NAMESPACES} namespaces loaded only; press Refresh to update ${namespace}`,
      );
      return Promise.resolve();
    }
    const starting = this.startWatches(connection, namespace, this.stopping.signal);
    this.started.set(namespace, starting);
    return starting;
  }

  /** Ends every watch and forgets pending redraws and problems (context switch, settings change, Refresh, disposal). */
  stopAll(): void {
    this.stopping.abort();
    this.stopping = new AbortController();
    this.started.clear();
    this.changedNamespaces.clear();
    clearTimeout(this.redrawTimer);
    this.redrawTimer = undefined;
    this.lastProblem = undefined;
  }

  private async startWatches(connection: ClusterConnection, namespace: string, signal: AbortSignal): Promise<void> {
    const changed = () => {
      if (!signal.aborted) this.scheduleRedraw(namespace);
    };
    const starts = WATCHED_RESOURCES.map((resource) =>
      connection
        .watch(resource, {
          namespace,
          signal,
          retry: this.retry,
          onEvent: changed,
          onResync: changed,
          onClose: (end) => {
            if (end.kind === 'stopped' && !signal.aborted) this.report(`${end.message}; press Refresh`);
          },
        })
        .catch((error: unknown) => {
          // Forbidden: the namespace's inventory already shows what cannot be read; nothing to watch there.
          if (signal.aborted || (error as { kind?: string }).kind === 'forbidden') return;
          this.report(`not watching ${resource} in namespace ${namespace}: ${(error as Error).message}; press Refresh`);
        }),
    );
    await Promise.all(starts);
  }

  private scheduleRedraw(namespace: string): void {
    this.changedNamespaces.add(namespace);
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      const namespaces = [...this.changedNamespaces].sort();
      this.changedNamespaces.clear();
      for (const changed of namespaces) this.invalidate(changed);
      this.listener()?.changed(namespaces);
    }, REDRAW_DELAY_MS);
  }

  private report(message: string): void {
    this.lastProblem = message;
    this.listener()?.problem(message);
  }
}
