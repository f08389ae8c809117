// dist/cluster.js: the cluster view's provider, its commands and the connection session. index.ts loads it on first
// use of the view or of a command; it loads dist/kube.js (@kubernetes/client-node) itself when it first connects.
import * as vscode from 'vscode';
import type { VerificationKey } from '../../core/tokens/verify';
import { loadKube } from '../../kubeLoader';
import { onConfigChange } from '../shared/config';
import type { SaTokenConfig } from '../shared/settingValues';
import type { FeatureContext } from '../shared/context';
import { clusterCommands, type ClusterCommandHandlers } from './commands';
import { ClusterDocuments, showDecoded } from './documents';
import { startKubernetesExplorer } from './kubernetesExplorerUi';
import type { ClusterNode } from './nodes';
import { ClusterSession, type SessionSettings } from './session';
import { publishTokenSecrets } from './tokenSecretPublishing';
import { ClusterTreeProvider } from './tree';

// The building blocks too, so that the integration suite can drive this very bundle against other contexts.
export { ClusterSession, ClusterTreeProvider, loadKube, startKubernetesExplorer };

export interface ClusterUi {
  tree: ClusterTreeProvider;
  session: ClusterSession<VerificationKey>;
  commands: ClusterCommandHandlers;
}

/**
 * Creates the session, the real tree provider for `view` and the command handlers. Everything shared comes from the
 * activation bundle through `context.services`: the cluster's keys are parsed by the code that verifies hovers with
 * them, and each loaded namespace's token Secrets go to the registry the manifest linter reads.
 */
export function startClusterUi(context: FeatureContext, view: vscode.TreeView<ClusterNode>): ClusterUi {
  const { clusterKeys, clusterTokenSecrets } = context.services;
  const session = new ClusterSession<VerificationKey>(
    loadKube,
    () => sessionSettings(context.config),
    (jwks, label) => clusterKeys.parseJwks(jwks, label),
  );
  const tree = new ClusterTreeProvider(
    session,
    () => context.config.cluster.namespaces,
    () => context.config.cluster.legacyTokenCleanUpPeriodDays,
    context.log,
    (message) => context.showWarningMessage(message),
  );
  tree.attach(view);
  const documents = new ClusterDocuments();
  context.own(
    tree,
    documents,
    session,
    publishTokenSecrets(session, clusterTokenSecrets),
    watchSettings(context, session, tree),
  );
  const commands = clusterCommands({
    context,
    session,
    tree,
    documents,
    showDecoded: (token, source, secret) => showDecoded(context, documents, token, source, secret),
  });
  return { tree, session, commands };
}

function sessionSettings(config: SaTokenConfig): SessionSettings {
  const { kubeconfig, context, requestTimeoutMs, watch } = config.cluster;
  return { kubeconfigPath: kubeconfig, context, timeoutMs: requestTimeoutMs, watch };
}

/** Another kubeconfig, context, timeout or watch setting means another connection; another namespace filter or
 * clean-up period only a redraw. */
function watchSettings(
  context: FeatureContext,
  session: ClusterSession<VerificationKey>,
  tree: ClusterTreeProvider,
): vscode.Disposable {
  // What the tree shows without reconnecting: which namespaces, and the clean-up dates of legacy token Secrets.
  const viewSettings = () =>
    JSON.stringify([context.config.cluster.namespaces, context.config.cluster.legacyTokenCleanUpPeriodDays]);
  let connectionSettings = JSON.stringify(sessionSettings(context.config));
  let view = viewSettings();
  return onConfigChange(() => {
    const nextConnection = JSON.stringify(sessionSettings(context.config));
    const nextView = viewSettings();
    if (nextConnection !== connectionSettings) session.reset();
    if (nextConnection !== connectionSettings || nextView !== view) tree.refresh();
    connectionSettings = nextConnection;
    view = nextView;
  });
}
