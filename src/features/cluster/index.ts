// Cluster view and commands, as registered at activation: the view with a stand-in provider, every command, and the
// key source for hovers. Their implementation is dist/cluster.js, loaded on first use (the view shown, a command
// run), and it loads dist/kube.js when it connects: activating on a YAML file loads neither. When the Microsoft
// Kubernetes extension is active, dist/cluster.js also adds our nodes to its Cluster Explorer (kubernetesExplorer.ts).
import * as vscode from 'vscode';
import { MS_KUBERNETES_EXTENSION_ID } from 'vscode-kubernetes-tools-api/js/constants';
import type { FeatureContext } from '../shared/context';
import { CLUSTER_COMMAND_IDS, CLUSTER_VIEW_ID } from './ids';
import type { KubernetesExplorerUi } from './kubernetesExplorerUi';
import { LazyTreeProvider } from './lazyTree';
import { loadClusterBundle } from './load';
import type { ClusterNode } from './nodes';
import type { ClusterUi } from './ui';

export function registerClusterFeatures(context: FeatureContext): void {
  let ui: ClusterUi | undefined;
  const provider = new LazyTreeProvider<ClusterNode>(() => start().tree);
  const view = vscode.window.createTreeView(CLUSTER_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const start = (): ClusterUi => (ui ??= loadClusterBundle().startClusterUi(context, view));
  context.own(
    view,
    provider,
    // No implementation loaded means no connection: nothing to verify with, and a hover must not be what connects.
    context.services.clusterKeys.provide(async () =>
      ui && context.config.verifyWithCluster ? ui.session.clusterKeys() : undefined,
    ),
  );
  const explorer = whenKubernetesExtensionActive(context, () => loadClusterBundle().startKubernetesExplorer(context));
  for (const id of CLUSTER_COMMAND_IDS)
    context.command(id, async (...args: never[]) => {
      // Run on a node of the Kubernetes extension's explorer: the same command, on that explorer's cluster.
      const explorerUi = await explorer();
      const argument = explorerUi?.argumentOf(args[0]);
      if (explorerUi && argument !== undefined)
        return explorerUi.commands[id](...([argument, ...args.slice(1)] as never[]));
      return start().commands[id](...args);
    });
}

/**
 * Starts our part of the Kubernetes extension's Cluster Explorer once that extension is active in a trusted
 * workspace (it reads that extension's kubeconfig). Asking for its API earlier would activate it for nothing: it
 * activates on its own events (its views, YAML files), so while it is installed and inactive this looks once a second.
 * Resolves with the started part, or undefined (not installed, not active yet, no API).
 */
function whenKubernetesExtensionActive(
  context: FeatureContext,
  start: () => Promise<KubernetesExplorerUi | undefined>,
): () => Promise<KubernetesExplorerUi | undefined> {
  let started: Promise<KubernetesExplorerUi | undefined> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const check = () => {
    if (started) return;
    const extension = vscode.extensions.getExtension(MS_KUBERNETES_EXTENSION_ID);
    if (!extension || !vscode.workspace.isTrusted) return stop();
    if (!extension.isActive) {
      timer ??= setInterval(check, 1000);
      return;
    }
    stop();
    started = start().catch((error: unknown) => {
      context.log.warn(`Could not add to the Kubernetes extension's Cluster Explorer: ${String(error)}`);
      return undefined;
    });
  };
  check();
  context.own(
    vscode.extensions.onDidChange(check),
    vscode.workspace.onDidGrantWorkspaceTrust(check),
    new vscode.Disposable(stop),
  );
  return () => started ?? Promise.resolve(undefined);
}
