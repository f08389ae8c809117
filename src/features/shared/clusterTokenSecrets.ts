// Which service account token Secrets the connected cluster holds, for the manifest linter: a `secretKeyRef` to one
// is a legacy token read even when its name does not look like `<sa>-token-xxxxx`. The cluster view publishes each
// namespace's token Secrets once it has loaded that namespace; the manifest feature reads them and re-lints open
// manifests when they change. One instance lives on the services object (services.ts); it holds names only, never
// Secret data. No vscode import: unit-tested.
import type { TokenSecretEntry } from '../../core/manifests/types';

/** What the cluster side tells the registry. */
export interface ClusterTokenSecretSink {
  /** `namespace` was (re)listed: these are its token Secrets now. */
  namespaceLoaded(namespace: string, secrets: readonly TokenSecretEntry[]): void;
  /** `namespace` changed in the cluster and is not reloaded yet: what was known of it no longer holds. */
  namespaceForgotten(namespace: string): void;
  /** Another connection (refresh, other context or kubeconfig): nothing known holds. */
  cleared(): void;
}

export class ClusterTokenSecretRegistry implements ClusterTokenSecretSink {
  private readonly byNamespace = new Map<string, TokenSecretEntry[]>();
  private readonly listeners = new Set<() => void>();

  /** Every token Secret known from the cluster. */
  get secrets(): TokenSecretEntry[] {
    return [...this.byNamespace.values()].flat();
  }

  namespaceLoaded(namespace: string, secrets: readonly TokenSecretEntry[]): void {
    const entries = secrets.map(({ name, serviceAccount }) => ({ name, namespace, serviceAccount }));
    const before = this.byNamespace.get(namespace);
    this.byNamespace.set(namespace, entries);
    // The tree re-reads a namespace on every redraw: only a real change is worth re-linting for.
    if (!before || keyOf(before) !== keyOf(entries)) this.changed();
  }

  namespaceForgotten(namespace: string): void {
    if (this.byNamespace.delete(namespace)) this.changed();
  }

  cleared(): void {
    if (this.byNamespace.size === 0) return;
    this.byNamespace.clear();
    this.changed();
  }

  /** Calls `listener` after every change; returns its unsubscription (use it as a Disposable). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

const keyOf = (entries: readonly TokenSecretEntry[]): string =>
  entries
    .map((entry) => `${entry.name}\u0000${entry.serviceAccount ?? ''}`)
    .sort()
    .join('\u0001');
