// In the browser's web worker host (vscode.dev, github.dev) the cluster, troubleshooting and code features are not
// there: they read the kubeconfig and local files and reach the cluster, which a browser tab cannot. Their menu
// entries are hidden by the `saToken.webWorker` context key; this says so wherever they can still be reached (a
// keybinding, a command link, the Clusters view).
import * as vscode from 'vscode';
import type { FeatureContext } from '../shared/context';

/** Set to true by the web entry point; package.json `when` clauses hide desktop-only entries with it. */
export const WEB_WORKER_CONTEXT_KEY = 'saToken.webWorker';

const CLUSTERS_VIEW = 'saToken.clusters';

interface ContributedCommand {
  command: string;
  title: string;
}

export function registerDesktopOnlyNotices(context: FeatureContext): void {
  void vscode.commands.executeCommand('setContext', WEB_WORKER_CONTEXT_KEY, true);
  // An empty tree, so the view shows its welcome text (package.json viewsWelcome) instead of "no data provider".
  context.own(
    vscode.window.registerTreeDataProvider<never>(CLUSTERS_VIEW, {
      getChildren: () => [],
      getTreeItem: (item) => item,
    }),
  );
  void stubUnregisteredCommands(context);
}

/** Every command package.json contributes that no web feature registered answers with one clear message. */
async function stubUnregisteredCommands(context: FeatureContext): Promise<void> {
  const registered = new Set(await vscode.commands.getCommands(true));
  const contributed = (context.extension.extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } })
    .contributes?.commands;
  for (const { command, title } of contributed ?? []) {
    if (registered.has(command)) continue;
    context.command(command, () => {
      void context.showInformationMessage(desktopOnlyMessage(title));
    });
  }
}

export function desktopOnlyMessage(title: string): string {
  return (
    `"${title}" needs VS Code on the desktop: it reads your kubeconfig or local files and connects to your ` +
    'cluster, which a browser tab cannot. Hover, Decode Token, token diagnostics and manifest fixes work here.'
  );
}
