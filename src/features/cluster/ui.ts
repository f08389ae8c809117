// dist/cluster.js: the cluster view's provider, its commands and the connection session. index.ts loads it on first
// use of the view or of a command; it loads dist/kube.js (@kubernetes/client-node) itself when it first connects.
import * as vscode from 'vscode';
import { inspectToken, isTokenError } from '../../core/tokens/inspect';
import type { VerificationKey } from '../../core/tokens/verify';
import { loadKube } from '../../kubeLoader';
import type { ClusterTokenSecretSink } from '../clusterTokenSecrets';
import { onConfigChange, type SaTokenConfig } from '../config';
import type { FeatureContext } from '../context';
import { decodedDocumentText } from '../tokens/display';
import { clusterCommands, type ClusterCommandHandlers } from './commands';
import { ClusterDocuments } from './documents';
import type { ClusterNode } from './nodes';
import { PublishingSession } from './publishingSession';
import { ClusterSession, type SessionSettings } from './session';
import { ClusterTreeProvider } from './tree';

// The building blocks too, so that the integration suite can drive this very bundle against other contexts.
export { ClusterSession, ClusterTreeProvider, PublishingSession, loadKube };

/** The tokens feature's command that shows a given token in its read-only decoded document, if it offers one. */
const SHOW_DECODED_COMMAND = 'saToken.showDecodedToken';

export interface ClusterUi {
  tree: ClusterTreeProvider;
  session: ClusterSession<VerificationKey>;
  commands: ClusterCommandHandlers;
}

/**
 * Creates the session, the real tree provider for `view` and the command handlers. `parseKeys` comes from the
 * activation bundle, so that the cluster's keys are made by the same code that verifies hovers with them; so does
 * `tokenSecrets`, the registry the manifest linter reads the cluster's token Secrets from.
 */
export function startClusterUi(
  context: FeatureContext,
  view: vscode.TreeView<ClusterNode>,
  parseKeys: (jwks: string, label: string) => Promise<VerificationKey[]>,
  tokenSecrets?: ClusterTokenSecretSink,
): ClusterUi {
  const session = new PublishingSession<VerificationKey>(loadKube, () => sessionSettings(context.config), parseKeys);
  if (tokenSecrets) session.publishTo(tokenSecrets);
  const tree = new ClusterTreeProvider(session, () => context.config.cluster.namespaces, context.log);
  tree.attach(view);
  const documents = new ClusterDocuments();
  context.own(tree, documents, session, watchSettings(context, session, tree));
  const commands = clusterCommands({
    context,
    session,
    tree,
    documents,
    showDecoded: (token) => showDecoded(context, documents, token),
  });
  return { tree, session, commands };
}

function sessionSettings(config: SaTokenConfig): SessionSettings {
  const { kubeconfig, context, requestTimeoutMs, watch } = config.cluster;
  return { kubeconfigPath: kubeconfig, context, timeoutMs: requestTimeoutMs, watch };
}

/** Another kubeconfig, context, timeout or watch setting means another connection; another namespace filter only a redraw. */
function watchSettings(
  context: FeatureContext,
  session: ClusterSession<VerificationKey>,
  tree: ClusterTreeProvider,
): vscode.Disposable {
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
  await documents.show(
    'decoded-token.txt',
    decodedDocumentText({ report, clusterNote: undefined }, { timeZone: context.config.timeZone }),
  );
}
