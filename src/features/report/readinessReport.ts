// "Upgrade Readiness Report": `sa-token report` in VS Code — the contexts the user picks, checked a few at once with
// cancellable progress, plus the workspace's manifests, shown in a webview (the same page as the CLI's HTML, under a
// strict CSP: nothing loaded, one nonce'd script). Links and buttons send only an index or a format; the target is
// taken from the list kept here and looked up again in the tree or the workspace, never from the page.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { analyzeCluster } from '../../core/report/analyze';
import { DEFAULT_FLEET_CONCURRENCY, runFleet } from '../../core/report/fleet';
import { reportHtml } from '../../core/report/html';
import type { FleetReport, ReportFinding } from '../../core/report/model';
import type { LinkTarget } from '../../core/report/sections';
import { reportMarkdown } from '../../core/report/text';
import { analyzeManifest } from '../../core/manifests/lint';
import { indexWorkspaceFile, mergeIndexes } from '../../core/manifests/workspace';
import { LineIndex } from '../../core/text';
import { loadKube } from '../../kubeLoader';
import type { ClusterConnection } from '../../kube/index';
import type { FeatureContext } from '../shared/context';
import type { ClusterNode } from '../cluster/nodes';
import type { ClusterSession } from '../cluster/session';
import type { ClusterTreeProvider } from '../cluster/tree';
import { MANIFEST_GLOB, readManifestText } from '../manifests/workspaceIndex';

export const READINESS_VIEW_TYPE = 'saToken.readinessReport';
/** The command the page's messages are, for callers other than the page (tests); same arguments, same checks. */
export const FOLLOW_READINESS_COMMAND = 'saToken.upgradeReadinessReport.follow';
/** Per cluster, from its start: generous, the report waits on each cluster's lists. */
const CLUSTER_TIMEOUT_MS = 120_000;
const MAX_MANIFESTS = 2000;

export interface ReadinessDeps {
  context: FeatureContext;
  session: ClusterSession<unknown>;
  tree: ClusterTreeProvider;
}

/**
 * The command. `preset.contexts` (tests, other commands) names the contexts instead of the picker; names the
 * kubeconfig does not have are dropped. Returns the report shown.
 */
export async function upgradeReadinessReport(
  deps: ReadinessDeps,
  panel: ReadinessPanel,
  preset?: unknown,
): Promise<FleetReport | undefined> {
  const contexts = deps.session.contexts();
  if (contexts.length === 0) throw new Error('No kubeconfig contexts found. Set saToken.kubeconfig or KUBECONFIG.');
  const chosen = presetContexts(preset, new Set(contexts.map((context) => context.name))) ?? (await pickContexts(deps));
  if (!chosen?.length) return undefined;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Upgrade readiness', cancellable: true },
    (progress, token) => buildReport(deps, chosen, progress, token),
  );
  panel.show(report);
  return report;
}

function presetContexts(preset: unknown, known: Set<string>): string[] | undefined {
  const named = (preset as { contexts?: unknown } | undefined)?.contexts;
  if (!Array.isArray(named)) return undefined;
  const contexts = named.filter((name): name is string => typeof name === 'string' && known.has(name));
  return contexts.length ? [...new Set(contexts)] : undefined;
}

/** The context the Service Account Tokens view shows: the one chosen there, else the kubeconfig's current one. */
function shownContext(deps: ReadinessDeps): string | undefined {
  return (
    deps.session.current?.context ??
    deps.session.contextChoice() ??
    deps.session.contexts().find((context) => context.current)?.name
  );
}

async function pickContexts(deps: ReadinessDeps): Promise<string[] | undefined> {
  const contexts = deps.session.contexts();
  const active = shownContext(deps);
  const picked = await vscode.window.showQuickPick(
    contexts.map((c) => ({
      label: c.name,
      detail: `cluster ${c.cluster} · user ${c.user}`,
      picked: c.name === active,
    })),
    { title: 'Upgrade Readiness Report: contexts to check', canPickMany: true, placeHolder: 'Pick one or more' },
  );
  return picked?.map((item) => item.label);
}

async function buildReport(
  deps: ReadinessDeps,
  contexts: string[],
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<FleetReport> {
  const cancel = new AbortController();
  token.onCancellationRequested(() => cancel.abort());
  const kube = loadKube();
  const { kubeconfig, requestTimeoutMs } = deps.context.config.cluster;
  const now = new Date();
  const targets = await Promise.all(
    contexts.map(async (context) => {
      try {
        const connection = await kube.connect({
          kubeconfigPath: kubeconfig ?? undefined,
          context,
          timeoutMs: requestTimeoutMs,
        });
        return { context, server: connection.server, connection };
      } catch (error) {
        return { context, server: '', error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  progress.report({ message: `checking ${contexts.length} context${contexts.length === 1 ? '' : 's'}…` });
  const clusters = await runFleet(
    targets,
    async (target, signal) => {
      if (!('connection' in target)) throw new Error(target.error);
      const connection = target.connection as ClusterConnection;
      try {
        return await analyzeCluster(await connection.reportPicture({ signal }), { now });
      } finally {
        connection.close();
      }
    },
    {
      concurrency: DEFAULT_FLEET_CONCURRENCY,
      timeoutMs: CLUSTER_TIMEOUT_MS,
      signal: cancel.signal,
      onProgress: (event) => {
        if (event.type === 'done')
          progress.report({
            message: `${event.done}/${event.total}: ${event.context} ${event.report.verdict.replace('-', ' ')}`,
            increment: 100 / event.total,
          });
      },
    },
  );
  // Contexts never started (cancelled) still hold an idle agent.
  for (const target of targets) if ('connection' in target) (target.connection as ClusterConnection).close();
  if (token.isCancellationRequested) throw new vscode.CancellationError();
  progress.report({ message: 'linting the workspace’s manifests…' });
  return { generatedAt: now.toISOString(), clusters, manifests: await workspaceFindings() };
}

/** The manifest rules over the workspace's YAML files, Secrets and ServiceAccounts matched across them. */
async function workspaceFindings(): Promise<ReportFinding[]> {
  const uris = await vscode.workspace.findFiles(MANIFEST_GLOB, '**/{node_modules,.git}/**', MAX_MANIFESTS);
  const files = (await Promise.all(uris.map(async (uri) => ({ uri, text: await readManifestText(uri) })))).filter(
    (file): file is { uri: vscode.Uri; text: string } => file.text !== undefined,
  );
  const index = mergeIndexes(...files.map((file) => indexWorkspaceFile(file.text, file.uri.fsPath)));
  const findings: ReportFinding[] = [];
  for (const file of files) {
    const { findings: found } = analyzeManifest(file.text, {
      fileName: file.uri.fsPath,
      tokenSecrets: index.tokenSecrets,
      serviceAccounts: index.serviceAccounts,
      roles: index.roles,
    });
    if (found.length === 0) continue;
    const lines = new LineIndex(file.text);
    const path = vscode.workspace.asRelativePath(file.uri);
    for (const finding of found) {
      const { line, column } = lines.lineColumn(finding.start);
      findings.push({
        file: path,
        rule: finding.rule,
        severity: finding.severity,
        line,
        column,
        message: finding.message,
      });
    }
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** The report's webview: one panel, reused; links reveal, buttons save. */
export class ReadinessPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private report: FleetReport | undefined;
  private links: LinkTarget[] = [];

  constructor(private readonly deps: ReadinessDeps) {}

  show(report: FleetReport): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        READINESS_VIEW_TYPE,
        'Upgrade Readiness',
        vscode.ViewColumn.Active,
        {
          enableScripts: true,
          enableCommandUris: false,
          enableForms: false,
          localResourceRoots: [],
        },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) =>
        this.follow(message).catch((error: unknown) =>
          this.deps.context.showErrorMessage(error instanceof Error ? error.message : String(error)),
        ),
      );
    }
    this.report = report;
    this.links = [];
    this.panel.webview.html = reportHtml(report, {
      nonce: randomBytes(16).toString('base64'),
      webview: { cspSource: this.panel.webview.cspSource, link: (target) => this.links.push(target) - 1 },
    });
    this.panel.reveal();
  }

  /**
   * What the page may ask: `{link: index}` (reveal the item the report's link stands for) or
   * `{save: 'html' | 'markdown'}`; anything else is ignored. Says what was done: the item and whether the tree or
   * the workspace still had it, or the file saved.
   */
  async follow(message: unknown): Promise<FollowResult | undefined> {
    const { link, save } = (message ?? {}) as { link?: unknown; save?: unknown };
    if (Number.isInteger(link) && (link as number) >= 0 && (link as number) < this.links.length) {
      const target = this.links[link as number];
      return { target, revealed: await reveal(this.deps, target) };
    }
    if (save === 'html' || save === 'markdown') {
      const saved = await this.save(save);
      return saved && { saved };
    }
    return undefined;
  }

  private async save(format: 'html' | 'markdown'): Promise<vscode.Uri | undefined> {
    if (!this.report) return undefined;
    const extension = format === 'html' ? 'html' : 'md';
    const day = this.report.generatedAt.slice(0, 10);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Save the upgrade readiness report as ${format === 'html' ? 'HTML' : 'Markdown'}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, `upgrade-readiness-${day}.${extension}`) : undefined,
      filters: format === 'html' ? { HTML: ['html'] } : { Markdown: ['md'] },
    });
    if (!target) return undefined;
    // The saved page is the CLI's: no script, nothing to reveal.
    const text =
      format === 'html'
        ? reportHtml(this.report, { nonce: randomBytes(16).toString('base64') })
        : reportMarkdown(this.report);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    vscode.window.setStatusBarMessage(`Saved the report to ${vscode.workspace.asRelativePath(target)}`, 5000);
    return target;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

export type FollowResult = { target: LinkTarget; revealed: boolean } | { saved: vscode.Uri };

/**
 * Reveals a report item again from its names: a file of the workspace at its line, or a node of the tree. False
 * when the item is not there any more (said to the user) or the user kept the current context.
 */
async function reveal(deps: ReadinessDeps, target: LinkTarget): Promise<boolean> {
  if (target.type === 'file') {
    const file = await resolveWorkspaceFile(target.file);
    if (!file) throw new Error(`${target.file} is no longer in the workspace.`);
    const position = new vscode.Position(Math.max(0, target.line - 1), Math.max(0, target.column - 1));
    await vscode.window.showTextDocument(file, { selection: new vscode.Range(position, position) });
    return true;
  }
  if (target.context !== shownContext(deps)) {
    const switchTo = `Switch to ${target.context}`;
    const answer = await deps.context.showInformationMessage(
      `${target.context} is not the context shown in the Service Account Tokens view.`,
      switchTo,
    );
    if (answer !== switchTo) return false;
    if (!deps.session.contexts().some((context) => context.name === target.context))
      throw new Error(`The kubeconfig no longer has a context ${target.context}.`);
    deps.session.switchContext(target.context);
    deps.tree.refresh();
  }
  const namespace = (node: ClusterNode) => node.type === 'namespace' && node.namespace === target.namespace;
  const found = await deps.tree.revealPath(
    target.type === 'serviceAccount'
      ? [isContext, namespace, accountNamed(target.name)]
      : target.type === 'secret'
        ? [isContext, namespace, accountNamed(target.serviceAccount), groupOf('tokenSecrets'), secretNamed(target.name)]
        : [isContext, namespace, podOwner(target), groupOf('pods'), podNamed(target.pod ?? '')],
  );
  // Said, not awaited: a notification without buttons settles only when the user closes it.
  if (!found)
    void deps.context.showInformationMessage(
      `${target.namespace}/${target.name} is not in the Service Account Tokens view (gone, or its namespace is filtered out).`,
    );
  return found;
}

const isContext = (node: ClusterNode) => node.type === 'context';
const accountNamed = (name: string) => (node: ClusterNode) =>
  node.type === 'serviceAccount' && node.account.name === name;
const groupOf = (group: string) => (node: ClusterNode) => node.type === 'group' && node.group === group;
const secretNamed = (name: string) => (node: ClusterNode) => node.type === 'tokenSecret' && node.secret.name === name;
const podNamed = (name: string) => (node: ClusterNode) => node.type === 'pod' && node.pod.name === name;

/** The ServiceAccount node whose pods include the workload's pod (looked up in the session's own inventory). */
function podOwner(target: Extract<LinkTarget, { type: 'workload' }>) {
  return (node: ClusterNode) =>
    node.type === 'serviceAccount' &&
    node.account.namespace === target.namespace &&
    node.account.pods.some((pod) => pod.name === target.pod);
}

/** A path the report printed (relative to the workspace), as a file of the workspace, or undefined. */
async function resolveWorkspaceFile(relative: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    // With several folders, asRelativePath starts with the folder's name.
    const candidates = [
      relative,
      ...(relative.startsWith(`${folder.name}/`) ? [relative.slice(folder.name.length + 1)] : []),
    ];
    for (const candidate of candidates) {
      const uri = vscode.Uri.joinPath(folder.uri, candidate);
      // joinPath normalises `..`: a path that leaves the folder is not one of its files.
      if (!uri.path.startsWith(`${folder.uri.path}/`)) continue;
      try {
        await vscode.workspace.fs.stat(uri);
        return uri;
      } catch {
        // Not in this folder.
      }
    }
  }
  return undefined;
}
