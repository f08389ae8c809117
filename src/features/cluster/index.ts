// Cluster view and commands, as registered at activation: the view with a stand-in provider, every command, and the
// key source for hovers. Their implementation is dist/cluster.js, loaded on first use (the view shown, a command
// run), and it loads dist/kube.js when it connects: activating on a YAML file loads neither.
import * as vscode from 'vscode';
import type { FeatureContext } from '../shared/context';
import { CLUSTER_COMMAND_IDS, CLUSTER_VIEW_ID } from './ids';
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
  for (const id of CLUSTER_COMMAND_IDS) context.command(id, (...args: never[]) => start().commands[id](...args));
}
