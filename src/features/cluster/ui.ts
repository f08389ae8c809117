// Cluster view and commands. Everything that talks to a cluster loads dist/kube.js lazily, on first use: activation
// and the hover never load @kubernetes/client-node.
import * as vscode from 'vscode';
import { inspectToken, isTokenError } from '../../core/tokens/inspect';
import { parseKeys, type VerificationKey } from '../../core/tokens/verify';
import { loadKube } from '../../kubeLoader';
import { onConfigChange, type SaTokenConfig } from '../config';
import type { FeatureContext } from '../context';
import { decodedDocumentText } from '../tokens/display';
import { registerClusterKeySource } from '../verification';
import { registerClusterCommands } from './commands';
import { ClusterDocuments } from './documents';
import { ClusterSession, type SessionSettings } from './session';
import { CLUSTER_VIEW_ID, ClusterTreeProvider } from './tree';

/** The tokens feature's command that shows a given token in its read-only decoded document, if it offers one. */
const SHOW_DECODED_COMMAND = 'saToken.showDecodedToken';

export function registerClusterFeatures(context: FeatureContext): void {
  const session = new ClusterSession<VerificationKey>(loadKube, () => sessionSettings(context.config), parseKeys);
  const tree = new ClusterTreeProvider(session, () => context.config.cluster.namespaces, context.log);
  const view = vscode.window.createTreeView(CLUSTER_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const documents = new ClusterDocuments();
  context.own(
    view,
    tree,
    documents,
    registerClusterKeySource(async () => (context.config.verifyWithCluster ? session.clusterKeys() : undefined)),
    watchSettings(context, session, tree),
  );
  registerClusterCommands({ context, session, tree, documents, showDecoded: (token) => showDecoded(context, documents, token) });
}

function sessionSettings(config: SaTokenConfig): SessionSettings {
  const { kubeconfig, context, requestTimeoutMs } = config.cluster;
  return { kubeconfigPath: kubeconfig, context, timeoutMs: requestTimeoutMs };
}

/** Another kubeconfig, context or timeout means another connection; another namespace filter only a redraw. */
function watchSettings(context: FeatureContext, session: ClusterSession<VerificationKey>, tree: ClusterTreeProvider): vscode.Disposable {
  let connectionSettings = JSON.stringify(sessionSettings(context.config));
  let namespaces = JSON.stringify(context.config.cluster.namespaces);
  return onConfigChange(() => {
    const nextConnection = JSON.stringify(sessionSettings(context.config));
    const nextNamespaces = JSON.stringify(context.config.cluster.namespaces);
    if (nextConnection !== connectionSettings) session.reset();
    if (nextConnection !== connectionSettings || nextNamespaces !== namespaces) tree.refresh();
    connectionSettings = nextConnection;
    namespaces = nextNamespaces;
  });
}

/**
 * Shows a token decoded: through the tokens feature's document when it offers a command for it (it also checks the
 * signature), otherwise as the same text in our own read-only document.
 */
async function showDecoded(context: FeatureContext, documents: ClusterDocuments, token: string): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(SHOW_DECODED_COMMAND)) {
    await vscode.commands.executeCommand(SHOW_DECODED_COMMAND, token);
    return;
  }
  const report = inspectToken(token);
  if (isTokenError(report)) throw new Error(`The cluster returned something that is not a token: ${report.error}`);
  await documents.show('decoded-token.txt', decodedDocumentText({ report, clusterNote: undefined }, { timeZone: context.config.timeZone }));
}
