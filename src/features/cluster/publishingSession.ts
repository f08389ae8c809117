// dist/cluster.js: the cluster session that also tells the manifest linter which token Secrets each namespace holds,
// as the tree loads it (see ../clusterTokenSecrets.ts). Names only: the inventory never holds Secret data.
import type { TokenSecretEntry } from '../../core/manifests/types';
import type { Inventory } from '../../kube/model';
import type { ClusterTokenSecretSink } from '../clusterTokenSecrets';
import { ClusterSession } from './session';

export class PublishingSession<K = unknown> extends ClusterSession<K> {
  private sink: ClusterTokenSecretSink | undefined;

  /** Where each loaded namespace's token Secrets go from now on. */
  publishTo(sink: ClusterTokenSecretSink): void {
    this.sink = sink;
  }

  override namespaceInventory(namespace: string, signal?: AbortSignal): Promise<Inventory> {
    const loading = super.namespaceInventory(namespace, signal);
    loading.then(
      (inventory) => {
        // A reset or a watched change since this listing started made it stale: the next load publishes.
        if (this.loadedInventory(namespace) === inventory)
          this.sink?.namespaceLoaded(namespace, tokenSecretsOf(inventory));
      },
      () => undefined,
    );
    return loading;
  }

  override invalidateNamespace(namespace: string): void {
    super.invalidateNamespace(namespace);
    this.sink?.namespaceForgotten(namespace);
  }

  override reset(): void {
    super.reset();
    this.sink?.cleared();
  }
}

export function tokenSecretsOf(inventory: Inventory): TokenSecretEntry[] {
  return inventory.serviceAccounts.flatMap((account) =>
    account.tokenSecrets.map(({ namespace, name, serviceAccount }) => ({ namespace, name, serviceAccount })),
  );
}
