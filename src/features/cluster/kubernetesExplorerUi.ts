// Starts SA Token's part of the Kubernetes extension's Cluster Explorer (part of dist/cluster.js; index.ts starts it
// once that extension is active): its own session on the cluster the explorer shows, the contributor, and the
// Clusters view's command handlers bound to that session.
import * as kubernetesTools from 'vscode-kubernetes-tools-api';
import type { VerificationKey } from '../../core/tokens/verify';
import { loadKube } from '../../kubeLoader';
import type { FeatureContext } from '../shared/context';
import { clusterCommands, type ClusterCommandHandlers } from './commands';
import { ClusterDocuments, showDecoded } from './documents';
import {
  explorerCommandArgument,
  KUBERNETES_EXPLORER_VIEW_ID,
  registerExplorerContributions,
} from './kubernetesExplorer';
import { ClusterSession } from './session';
import { ClusterTreeProvider, toTreeItem } from './tree';

export interface KubernetesExplorerUi {
  /** The Clusters view's handlers, acting on the explorer's cluster. */
  commands: ClusterCommandHandlers;
  /** The argument for `commands` when `target` is an explorer node, else undefined (see explorerCommandArgument). */
  argumentOf(target: unknown): unknown;
}

/** undefined when the Kubernetes extension offers no Cluster Explorer API v1 (logged). */
export async function startKubernetesExplorer(context: FeatureContext): Promise<KubernetesExplorerUi | undefined> {
  const explorer = await kubernetesTools.extension.clusterExplorer.v1;
  if (!explorer.available) {
    context.log.info(`The Kubernetes extension offers no Cluster Explorer API v1 (${explorer.reason}): nothing added.`);
    return undefined;
  }
  const configuration = await kubernetesTools.extension.configuration.v1_1;
  // The explorer shows the current context of the Kubernetes extension's kubeconfig: read the same one.
  const kubeconfigPath = (): string | null => {
    if (!configuration.available) return null;
    const path = configuration.api.getKubeconfigPath();
    return path.pathType === 'host' ? path.hostPath : null;
  };
  const session = new ClusterSession<VerificationKey>(
    loadKube,
    () => ({
      kubeconfigPath: kubeconfigPath(),
      context: null,
      timeoutMs: context.config.cluster.requestTimeoutMs,
      watch: false,
    }),
    (jwks, label) => context.services.clusterKeys.parseJwks(jwks, label),
  );
  const cleanUpPeriodDays = () => context.config.cluster.legacyTokenCleanUpPeriodDays;
  // Not shown anywhere: the commands refresh through it, and a refresh redraws the explorer.
  const tree = new ClusterTreeProvider(
    session,
    () => [],
    cleanUpPeriodDays,
    context.log,
    (message) => context.showWarningMessage(message),
    KUBERNETES_EXPLORER_VIEW_ID,
  );
  const documents = new ClusterDocuments();
  context.own(
    session,
    tree,
    documents,
    tree.onDidChangeTreeData(() => explorer.api.refresh()),
  );
  if (configuration.available) {
    const reconnect = () => {
      session.reset();
      explorer.api.refresh();
    };
    context.own(
      configuration.api.onDidChangeContext(reconnect),
      configuration.api.onDidChangeKubeconfigPath(reconnect),
    );
  }
  registerExplorerContributions(explorer.api, {
    session,
    cleanUpPeriodDays,
    treeItem: toTreeItem,
    log: (message) => context.log.warn(message),
  });
  context.log.info("Added service account tokens to the Kubernetes extension's Cluster Explorer.");
  const commands = clusterCommands({
    context,
    session,
    tree,
    documents,
    showDecoded: (token, source) => showDecoded(context, documents, token, source),
  });
  return { commands, argumentOf: (target) => explorerCommandArgument(explorer.api, target, session) };
}
