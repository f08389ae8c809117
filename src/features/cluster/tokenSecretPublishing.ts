// Tells the manifest linter which token Secrets each namespace holds, as the session loads, forgets and clears them
// (see ../shared/clusterTokenSecrets.ts). Names only: the inventory never holds Secret data. No vscode import.
import type { Inventory } from '../../core/cluster/model';
import type { TokenSecretEntry } from '../../core/manifests/types';
import type { ClusterTokenSecretSink } from '../shared/clusterTokenSecrets';
import type { ClusterSession } from './session';

/** From now on, every inventory change of `session` reaches `sink`; returns the unsubscription (a Disposable). */
export function publishTokenSecrets(
  session: ClusterSession<unknown>,
  sink: ClusterTokenSecretSink,
): { dispose(): void } {
  return session.onInventoryChange((change) => {
    if (change.kind === 'loaded') sink.namespaceLoaded(change.namespace, tokenSecretsOf(change.inventory));
    else if (change.kind === 'forgotten') sink.namespaceForgotten(change.namespace);
    else sink.cleared();
  });
}

export function tokenSecretsOf(inventory: Inventory): TokenSecretEntry[] {
  return inventory.serviceAccounts.flatMap((account) =>
    account.tokenSecrets.map(({ namespace, name, serviceAccount }) => ({ namespace, name, serviceAccount })),
  );
}
