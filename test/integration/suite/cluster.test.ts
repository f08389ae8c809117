// The cluster view against the local API server (or a real cluster via SA_TOKEN_E2E_KUBECONFIG): the real tree
// provider, the real commands with their prompts answered up front, and kubectl as the oracle. Every write happens
// in a throwaway namespace made for the run (test/cluster/target.ts); on a real cluster the extension is pointed at
// it through the saToken.kubeconfig setting, and tests that need the local server's demo data or users skip.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { DEFAULT_CLEAN_UP_PERIOD_DAYS } from '../../../src/core/cluster/judgements';
import { parseKeys } from '../../../src/core/tokens/verify';
import { loadClusterBundle, type ClusterBundle } from '../../../src/features/cluster/load';
import type { ClusterNode } from '../../../src/features/cluster/nodes';
import { discoveryQuestions } from '../../../src/features/cluster/rbacCommands';
import type { ClusterTreeProvider } from '../../../src/features/cluster/tree';
import {
  NEEDS_LOCAL_SERVER,
  createThrowawayNamespace,
  realClusterKubeconfig,
  type ThrowawayNamespace,
} from '../../cluster/target';
import { openUntitled, waitFor } from './helpers';

const EXTENSION_ID = 'sa-token-inspector.sa-token-inspector';
const realCluster = realClusterKubeconfig();
const kubeconfig = realCluster ?? process.env.KUBECONFIG;

/** A test that needs the local API server: on a real cluster it is listed as skipped, saying why. */
function localServerTest(title: string, body: (this: Mocha.Context) => Promise<void>): void {
  if (realCluster) test.skip(`${title} (skipped: ${NEEDS_LOCAL_SERVER})`, body);
  else test(title, body);
}

function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig!, ...args], { encoding: 'utf8', timeout: 20_000 });
}

function kubectlJson<T>(...args: string[]): T {
  return JSON.parse(kubectl(...args, '-o', 'json')) as T;
}

/** A Secret as kubectl reads it (the oracle for what a command created, filled or left alone). */
function kubectlSecret(
  namespace: string,
  name: string,
): { type: string; metadata: { annotations: Record<string, string> }; data?: { token?: string } } {
  return kubectlJson('get', 'secret', name, '-n', namespace);
}

/**
 * The installed extension's own dist/cluster.js, through the loader the extension itself uses: the tree and session
 * under test are the shipped code, and they reach the shipped dist/kube.js next to it.
 */
function installedClusterBundle(): ClusterBundle {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return loadClusterBundle(join(extension.extensionPath, 'dist'));
}

function treeFor(context: string | null, kubeconfigPath = kubeconfig!, timeoutMs = 15_000): ClusterTreeProvider {
  const { ClusterSession, ClusterTreeProvider, loadKube } = installedClusterBundle();
  const session = new ClusterSession(loadKube, () => ({ kubeconfigPath, context, timeoutMs }), parseKeys);
  const log = vscode.window.createOutputChannel('cluster test', { log: true });
  return new ClusterTreeProvider(
    session,
    () => [],
    () => DEFAULT_CLEAN_UP_PERIOD_DAYS,
    log,
  );
}

async function child(tree: ClusterTreeProvider, parent: ClusterNode | undefined, label: string): Promise<ClusterNode> {
  const children = await tree.getChildren(parent);
  const found = children.find((node) => tree.getTreeItem(node).label === label);
  assert.ok(
    found,
    `no "${label}" under ${parent ? tree.getTreeItem(parent).label : 'the root'}: ${children.map((node) => tree.getTreeItem(node).label).join(', ')}`,
  );
  return found;
}

async function labels(tree: ClusterTreeProvider, parent: ClusterNode): Promise<string[]> {
  return (await tree.getChildren(parent)).map((node) => String(tree.getTreeItem(node).label));
}

async function path(tree: ClusterTreeProvider, ...steps: string[]): Promise<ClusterNode> {
  let node: ClusterNode | undefined;
  for (const step of steps) node = await child(tree, node, step);
  return node!;
}

/** The text of the read-only document a command just opened (decoded token or YAML). */
function shownDocument(): vscode.TextDocument {
  const document = vscode.window.activeTextEditor?.document;
  assert.ok(document, 'the command opened no editor');
  assert.ok(
    ['sa-token-decoded', 'sa-token-cluster'].includes(document.uri.scheme),
    `unexpected scheme ${document.uri.scheme}`,
  );
  return document;
}

function secretToken(namespace: string, name: string): string {
  const secret = kubectlSecret(namespace, name);
  assert.ok(secret.data?.token, `Secret ${namespace}/${name} has no data.token`);
  return Buffer.from(secret.data.token, 'base64').toString('utf8');
}

/** An explicit token Secret for `serviceAccount`, which the token controller fills. */
const tokenSecretManifest = ({ namespace, serviceAccount }: ThrowawayNamespace, name: string): string => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    kubernetes.io/service-account.name: ${serviceAccount}
type: kubernetes.io/service-account-token
`;

const readsApiCredentials = ({ namespace, serviceAccount }: ThrowawayNamespace): string => `apiVersion: v1
kind: Pod
metadata:
  name: reporter
  namespace: ${namespace}
spec:
  serviceAccountName: ${serviceAccount}
  containers:
    - name: app
      image: example/reporter:1.0
      env:
        - name: KUBE_TOKEN
          valueFrom:
            secretKeyRef:
              name: api-credentials
              key: token
`;

/** A JSON patch that drops a ServiceAccount's whole .secrets list. */
const DROP_SECRETS = '[{"op":"remove","path":"/secrets"}]';

const ruleOf = (diagnostic: vscode.Diagnostic): unknown =>
  typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;

/**
 * Shows the extension's Clusters view and expands its first namespace with the list commands a keyboard user has:
 * the context row comes expanded, so its first child is the (only, filtered) namespace.
 */
async function expandFirstNamespaceInView(): Promise<void> {
  await vscode.commands.executeCommand('saToken.clusters.focus');
  await vscode.commands.executeCommand('list.focusFirst');
  await vscode.commands.executeCommand('list.focusDown');
  await vscode.commands.executeCommand('list.expand');
}

/** Points the extension's own session (what the commands use) at the real cluster, until `restore` is called. */
async function pointExtensionAt(kubeconfigPath: string): Promise<{ restore(): Promise<void> }> {
  const config = vscode.workspace.getConfiguration('saToken');
  await config.update('kubeconfig', kubeconfigPath, vscode.ConfigurationTarget.Global);
  return { restore: () => Promise.resolve(config.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global)) };
}

/** Creates an explicit token Secret with kubectl and waits until the token controller filled it. */
async function populatedTokenSecret(throwaway: ThrowawayNamespace, name: string): Promise<void> {
  execFileSync('kubectl', ['--kubeconfig', kubeconfig!, 'create', '-f', '-'], {
    input: tokenSecretManifest(throwaway, name),
    timeout: 20_000,
  });
  await waitFor(
    () => (kubectlSecret(throwaway.namespace, name).data?.token ? true : undefined),
    `${name} to be populated`,
  );
}

/** kubectl's own answer to `kubectl auth can-i … --as=system:serviceaccount:NS:NAME` (it exits 1 for "no"). */
function kubectlCanI(account: { namespace: string; name: string }, ...question: string[]): string {
  return spawnSync(
    'kubectl',
    [
      '--kubeconfig',
      kubeconfig!,
      'auth',
      'can-i',
      ...question,
      '-n',
      account.namespace,
      `--as=system:serviceaccount:${account.namespace}:${account.name}`,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  ).stdout.trim();
}

/**
 * Runs a command whose prompt a person would accept as offered (Enter), pressing Enter until the command settles:
 * its quick input opens a moment after the command starts.
 */
async function acceptingPrompts<T>(what: string, timeoutMs: number, command: string, ...args: unknown[]): Promise<T> {
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args));
  let settled = false;
  void running.finally(() => (settled = true));
  await waitFor(
    async () => {
      if (settled) return true;
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return undefined;
    },
    what,
    timeoutMs,
  );
  return running;
}

/**
 * Answers the open quick pick as a keyboard user does: down to the item at `index`, then Enter. The pick fills
 * asynchronously, so this first waits `settleMs` for its items.
 */
async function acceptQuickPickItem(index: number, settleMs = 2000): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  for (let step = 0; step < index; step++) await vscode.commands.executeCommand('quickInput.next');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/**
 * The active editor's text once it matches `pattern`. A report opens as Untitled-N, a name VS Code reuses as soon as
 * the previous report is closed; until the extension host hears of that close, the name can still show the old text.
 */
async function activeTextMatching(pattern: RegExp): Promise<string> {
  const text = () => vscode.window.activeTextEditor?.document.getText() ?? '';
  await waitFor(() => (pattern.test(text()) ? true : undefined), `the active editor to match ${pattern}`).catch(
    () => undefined,
  );
  assert.match(text(), pattern);
  return text();
}

suite('cluster view', function () {
  let throwaway: ThrowawayNamespace;
  let extensionTarget: { restore(): Promise<void> } | undefined;

  suiteSetup(async function () {
    if (!kubeconfig) this.skip();
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    throwaway = await createThrowawayNamespace(kubeconfig);
    if (realCluster) extensionTarget = await pointExtensionAt(realCluster);
  });

  /** The throwaway namespace's ServiceAccount in the tree (the context row is the kubeconfig's current context). */
  const throwawayAccountNode = (tree: ClusterTreeProvider): Promise<ClusterNode> =>
    path(tree, kubectl('config', 'current-context').trim(), throwaway.namespace, throwaway.serviceAccount);

  suiteTeardown(async function () {
    await extensionTarget?.restore();
    await throwaway?.remove();
  });

  // First in the suite: nothing has touched the cluster feature yet (the view is not shown in this workbench).
  test('activation loads neither dist/cluster.js nor dist/kube.js; a cluster command loads only the view code', async function () {
    // require.cache is keyed by real paths: the extension folder may sit behind a symlink (a worktree's .cache).
    const dist = realpathSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist'));
    const loaded = (bundle: string): boolean => require.cache[join(dist, bundle)] !== undefined;
    assert.equal(loaded('extension.js'), true, 'the extension runs from the installed dist/extension.js');
    assert.deepEqual([loaded('cluster.js'), loaded('kube.js')], [false, false]);
    await vscode.commands.executeCommand('saToken.cluster.refresh');
    // Refreshing a hidden view needs the view's code but no connection, so still no client-node.
    assert.deepEqual([loaded('cluster.js'), loaded('kube.js')], [true, false]);
  });

  localServerTest('tree: context → namespaces → service accounts → token sources, matching kubectl', async function () {
    const tree = treeFor(null);
    const [root] = await tree.getChildren();
    assert.ok(root, 'no context node: the provider could not connect');
    assert.equal(tree.getTreeItem(root).contextValue, 'context');
    assert.equal(tree.getTreeItem(root).label, kubectl('config', 'current-context').trim());

    const namespaces = await labels(tree, root);
    const kubectlNamespaces = kubectlJson<{ items: { metadata: { name: string } }[] }>('get', 'namespaces').items.map(
      (item) => item.metadata.name,
    );
    assert.deepEqual(namespaces, [...kubectlNamespaces].sort());

    const legacyApp = await child(tree, root, 'legacy-app');
    const accounts = (await labels(tree, legacyApp)).sort();
    const kubectlAccounts = kubectlJson<{ items: { metadata: { name: string } }[] }>(
      'get',
      'serviceaccounts',
      '-n',
      'legacy-app',
    ).items.map((item) => item.metadata.name);
    assert.deepEqual(accounts, [...kubectlAccounts].sort());

    const legacyApi = await child(tree, legacyApp, 'legacy-api');
    assert.equal(tree.getTreeItem(legacyApi).contextValue, 'serviceAccount');
    assert.deepEqual(await labels(tree, legacyApi), [
      'Token Secrets',
      '.secrets',
      'imagePullSecrets',
      'Pods',
      'Permissions',
    ]);

    const [secret] = await tree.getChildren(await child(tree, legacyApi, 'Token Secrets'));
    const secretItem = tree.getTreeItem(secret);
    assert.equal(secretItem.contextValue, 'tokenSecret');
    assert.match(String(secretItem.description), /^never expires · (last used|created) \d{4}-\d\d-\d\d$/);
    assert.equal((secretItem.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(String(secretItem.tooltip), /Never expires: a legacy token/);

    const [pod] = await tree.getChildren(await child(tree, legacyApi, 'Pods'));
    const sources = await tree.getChildren(pod);
    const sourceKinds = sources.map((node) => tree.getTreeItem(node).contextValue).sort();
    assert.deepEqual(sourceKinds, ['projectedToken', 'secretRead', 'secretRead']);
    const injected = sources.find((node) => String(tree.getTreeItem(node).label).startsWith('kube-api-access-'))!;
    assert.match(String(tree.getTreeItem(injected).description), /^projected · token · /);
    assert.deepEqual(await labels(tree, injected), ['api']);

    const reporter = await child(tree, legacyApp, 'reporter');
    const [missing] = await tree.getChildren(await child(tree, reporter, '.secrets'));
    assert.equal(tree.getTreeItem(missing).contextValue, 'missingSecret');
  });

  localServerTest(
    'Permissions: the bindings that apply, via which subject, risky ones flagged, as kubectl decides',
    async function () {
      const tree = treeFor(null);
      const context = kubectl('config', 'current-context').trim();
      const reporter = await path(tree, context, 'legacy-app', 'reporter', 'Permissions');
      const bindings = await tree.getChildren(reporter);
      const secrets = bindings.find((node) => tree.getTreeItem(node).label === 'ClusterRole secret-reader');
      assert.ok(secrets, `bindings: ${bindings.map((node) => tree.getTreeItem(node).label).join(', ')}`);
      const item = tree.getTreeItem(secrets);
      assert.match(
        String(item.description),
        /RoleBinding legacy-app\/reporter-reads-secrets · as ServiceAccount · in legacy-app · read-secrets/,
      );
      assert.equal(item.contextValue, 'riskyBinding');
      assert.deepEqual(await labels(tree, secrets), ['get, list, watch secrets']);
      // kubectl, through impersonation and the server's own authorizer, agrees.
      assert.equal(
        kubectl(
          'auth',
          'can-i',
          'list',
          'secrets',
          '-n',
          'legacy-app',
          '--as=system:serviceaccount:legacy-app:reporter',
        ).trim(),
        'yes',
      );
      // Group subjects count: every modern-app account views its namespace.
      const web = await tree.getChildren(await path(tree, context, 'modern-app', 'web', 'Permissions'));
      assert.ok(
        web.some((node) =>
          /via group system:serviceaccounts:modern-app/.test(String(tree.getTreeItem(node).description)),
        ),
      );
      // A user who may not list RBAC objects sees why, and the tree still works.
      const restricted = treeFor('sa-demo-restricted');
      const denied = await restricted.getChildren(
        await path(restricted, 'sa-demo-restricted', 'legacy-app', 'reporter', 'Permissions'),
      );
      assert.ok(denied.length > 0 && denied.every((node) => restricted.getTreeItem(node).contextValue === 'forbidden'));
      assert.match(String(restricted.getTreeItem(denied[0]).label), /\(403\)/);
    },
  );

  localServerTest(
    'Can It…?: the API server decides; a "no" opens a minimal Role and binding, never applied',
    async function () {
      const tree = treeFor(null);
      const context = kubectl('config', 'current-context').trim();
      const reporter = await path(tree, context, 'legacy-app', 'reporter');
      const yes = await vscode.commands.executeCommand<{ allowed: boolean; source: string; grantedBy: string[] }>(
        'saToken.cluster.canI',
        reporter,
        { question: 'list secrets -n legacy-app' },
      );
      assert.deepEqual([yes?.allowed, yes?.source], [true, 'subjectaccessreview']);
      assert.match(
        yes?.grantedBy[0] ?? '',
        /RoleBinding "reporter-reads-secrets\/legacy-app" of ClusterRole "secret-reader"/,
      );
      const bindingsBefore = kubectl('get', 'rolebindings', '-n', 'legacy-app', '-o', 'name');
      const no = await vscode.commands.executeCommand<{ allowed: boolean; suggestion: string | null }>(
        'saToken.cluster.canI',
        reporter,
        { question: 'create serviceaccounts/token deployer' },
      );
      assert.equal(no?.allowed, false);
      // kubectl agrees (it exits 1 for "no", printing the answer).
      const kubectlAnswer = spawnSync(
        'kubectl',
        [
          '--kubeconfig',
          kubeconfig!,
          'auth',
          'can-i',
          'create',
          'serviceaccounts/deployer',
          '--subresource=token',
          '-n',
          'legacy-app',
          '--as=system:serviceaccount:legacy-app:reporter',
        ],
        { encoding: 'utf8', timeout: 20_000 },
      );
      assert.equal(kubectlAnswer.stdout.trim(), 'no', kubectlAnswer.stderr);
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.scheme, 'untitled');
      assert.equal(editor?.document.languageId, 'yaml');
      assert.match(
        editor?.document.getText() ?? '',
        /kind: Role\n[\s\S]*resources:\n\s+- serviceaccounts\/token[\s\S]*kind: RoleBinding/,
      );
      assert.equal(kubectl('get', 'rolebindings', '-n', 'legacy-app', '-o', 'name'), bindingsBefore, 'nothing applied');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  );

  localServerTest(
    'Who Can…?, Who Can Obtain This Token? and Generate Kubeconfig: as kubectl decides, a kubeconfig kubectl accepts',
    async function () {
      const tree = treeFor(null);
      const context = kubectl('config', 'current-context').trim();
      const canList = (account: string) =>
        spawnSync(
          'kubectl',
          [
            '--kubeconfig',
            kubeconfig!,
            'auth',
            'can-i',
            'list',
            'secrets',
            '-n',
            'legacy-app',
            `--as=system:serviceaccount:${account.replace('/', ':')}`,
          ],
          { encoding: 'utf8', timeout: 20_000 },
        ).stdout.trim() === 'yes';
      // Who Can…? on a namespace: exactly the demo's accounts kubectl allows.
      const who = await vscode.commands.executeCommand<{ serviceAccounts: string[] }>(
        'saToken.cluster.whoCan',
        await path(tree, context, 'legacy-app'),
        { question: 'list secrets' },
      );
      const accounts = kubectlJson<{ items: Array<{ metadata: { namespace: string; name: string } }> }>(
        'get',
        'serviceaccounts',
        '-A',
      ).items.map(({ metadata }) => `${metadata.namespace}/${metadata.name}`);
      assert.deepEqual(
        who?.serviceAccounts.filter((account) => accounts.includes(account)).sort(),
        accounts.filter(canList).sort(),
      );
      await activeTextMatching(/legacy-app\/reporter ← RoleBinding/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      // Who Can Obtain This Token? on legacy-app/deployer: the Secret readers of its namespace, the reporter.
      const deployer = await path(tree, context, 'legacy-app', 'deployer');
      const obtainers = await vscode.commands.executeCommand<{ how: string[] }>(
        'saToken.cluster.whoCanGetToken',
        deployer,
      );
      assert.ok(obtainers?.how.includes('list secrets'), obtainers?.how.join(', '));
      assert.ok(canList('legacy-app/reporter'));
      await activeTextMatching(/list secrets:\n\s+legacy-app\/reporter/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      // Generate Kubeconfig: an untitled document; kubectl with it is the ServiceAccount.
      const generated = await vscode.commands.executeCommand<{ document: string }>(
        'saToken.cluster.generateKubeconfig',
        await path(tree, context, 'legacy-app', 'reporter'),
        { method: 'tokenRequest', duration: '1h' },
      );
      const document = vscode.window.activeTextEditor?.document;
      assert.equal(document?.uri.toString(), generated?.document);
      assert.equal(document?.isUntitled, true);
      const text = await activeTextMatching(/^# kubeconfig for ServiceAccount /);
      assert.match(text, /^# Expires: \d{4}-/m);
      const file = join(mkdtempSync(join(tmpdir(), 'sa-token-kubeconfig-')), 'config');
      writeFileSync(file, text);
      const whoami = JSON.parse(
        execFileSync('kubectl', ['--kubeconfig', file, 'auth', 'whoami', '-o', 'json'], {
          encoding: 'utf8',
          timeout: 20_000,
        }),
      ) as { status: { userInfo: { username: string } } };
      assert.equal(whoami.status.userInfo.username, 'system:serviceaccount:legacy-app:reporter');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  );

  localServerTest(
    'Can It…? picked from discovery: the picked verb and resource are asked, and answered as kubectl auth can-i --as',
    async function () {
      this.timeout(60_000);
      const tree = treeFor(null);
      const context = kubectl('config', 'current-context').trim();
      const reporter = await path(tree, context, 'legacy-app', 'reporter');
      const account = { namespace: 'legacy-app', name: 'reporter' };
      // The pick lists what discovery serves, in its order; the same discovery here finds each item's place.
      const { ClusterSession, loadKube } = installedClusterBundle();
      const session = new ClusterSession(
        loadKube,
        () => ({ kubeconfigPath: kubeconfig!, context: null, timeoutMs: 15_000 }),
        parseKeys,
      );
      const questions = discoveryQuestions(await (await session.connection()).apiResources());
      for (const [picked, asked, kubectlQuestion] of [
        ['list secrets', 'list secrets in namespace legacy-app', ['list', 'secrets']],
        [
          'create serviceaccounts/token',
          'create serviceaccounts/token in namespace legacy-app',
          ['create', 'serviceaccounts', '--subresource=token'],
        ],
      ] as const) {
        const index = questions.indexOf(picked);
        assert.ok(index >= 0, `discovery offers "${picked}": ${questions.join(', ')}`);
        const answering = Promise.resolve(
          vscode.commands.executeCommand<{ question: string; allowed: boolean; suggestion: string | null }>(
            'saToken.cluster.canI',
            reporter,
          ),
        );
        await acceptQuickPickItem(index);
        const answer = await answering;
        assert.equal(answer?.question, asked);
        assert.equal(answer.allowed ? 'yes' : 'no', kubectlCanI(account, ...kubectlQuestion), `kubectl on ${picked}`);
        if (!answer.allowed) {
          assert.match(answer.suggestion ?? '', /resources:\n\s+- serviceaccounts\/token/);
          await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        }
      }
    },
  );

  test('Generate Kubeconfig from an explicit token Secret (picked): a never-expiring token, a kubeconfig kubectl accepts as the account', async function () {
    this.timeout(60_000);
    const tree = treeFor(null);
    const { namespace, serviceAccount } = throwaway;
    const secretsBefore = kubectl('get', 'secrets', '-n', namespace, '-o', 'name');
    const generating = Promise.resolve(
      vscode.commands.executeCommand<{ document: string }>(
        'saToken.cluster.generateKubeconfig',
        await throwawayAccountNode(tree),
      ),
    );
    // The second option, Token Secret; its warning (the token never expires) is confirmed by the harness.
    await acceptQuickPickItem(1, 1000);
    const generated = await generating;
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.toString(), generated?.document);
    assert.equal(document?.isUntitled, true);
    const text = await activeTextMatching(/^# kubeconfig for ServiceAccount /);
    assert.match(text, /^# Expires: never/m);
    const secretName = /^# Token: token Secret [^/]+\/(\S+)\.$/m.exec(text)?.[1];
    assert.ok(secretName, 'the header names the token Secret');
    assert.ok(!secretsBefore.includes(`secret/${secretName}\n`), 'a new Secret');
    const secret = kubectlSecret(namespace, secretName);
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.name'], serviceAccount);
    const directory = mkdtempSync(join(tmpdir(), 'sa-token-kubeconfig-'));
    try {
      const file = join(directory, 'config');
      writeFileSync(file, text, { mode: 0o600 });
      const whoami = JSON.parse(
        execFileSync('kubectl', ['--kubeconfig', file, 'auth', 'whoami', '-o', 'json'], {
          encoding: 'utf8',
          timeout: 20_000,
        }),
      ) as { status: { userInfo: { username: string } } };
      assert.equal(whoami.status.userInfo.username, `system:serviceaccount:${namespace}:${serviceAccount}`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      kubectl('delete', 'secret', secretName, '-n', namespace);
    }
  });

  localServerTest('restricted user: forbidden resources become nodes, the rest still loads', async function () {
    const tree = treeFor('sa-demo-restricted');
    const legacyApp = await path(tree, 'sa-demo-restricted', 'legacy-app');
    const children = await tree.getChildren(legacyApp);
    const forbidden = children.filter((node) => tree.getTreeItem(node).contextValue === 'forbidden');
    assert.equal(forbidden.length, 1);
    assert.match(String(tree.getTreeItem(forbidden[0]).label), /not secrets in namespace legacy-app/);
    assert.ok(
      children.some((node) => tree.getTreeItem(node).label === 'legacy-api'),
      'service accounts still listed',
    );
  });

  test('Filter Namespaces (issue 18): the filter is stored for the workspace, not globally, and the view says it is on', async function () {
    this.timeout(60_000);
    const settings = () => vscode.workspace.getConfiguration('saToken');
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the harness opens a folder');
    assert.equal(settings().inspect<string[]>('namespaces')?.workspaceValue, undefined, 'no filter yet');
    // The pick starts with the namespaces the filter already names ticked: with modern-app named in the user's
    // settings, accepting the pick as it opens (Enter) stores that choice, and it must land in the workspace's.
    const namespace = 'modern-app';
    await settings().update('namespaces', [namespace], vscode.ConfigurationTarget.Global);
    try {
      await acceptingPrompts('the namespace pick to be accepted', 20_000, 'saToken.cluster.filterNamespaces');
      const filter = settings().inspect<string[]>('namespaces');
      assert.deepEqual(filter?.workspaceValue, [namespace], `stored for the workspace: ${JSON.stringify(filter)}`);
      assert.deepEqual(filter?.globalValue, [namespace], 'the user settings as they were');

      // The view the extension builds (the same provider, reading the same setting) says the filter is on.
      const { ClusterSession, ClusterTreeProvider, loadKube } = installedClusterBundle();
      const session = new ClusterSession(
        loadKube,
        () => ({ kubeconfigPath: kubeconfig!, context: null, timeoutMs: 15_000 }),
        parseKeys,
      );
      const tree = new ClusterTreeProvider(
        session,
        () => settings().get<string[]>('namespaces') ?? [],
        () => DEFAULT_CLEAN_UP_PERIOD_DAYS,
        vscode.window.createOutputChannel('cluster test', { log: true }),
      );
      const view = { description: undefined, message: undefined } as Partial<vscode.TreeView<ClusterNode>>;
      tree.attach(view as vscode.TreeView<ClusterNode>);
      const [root] = await tree.getChildren();
      assert.deepEqual(
        (await tree.getChildren(root)).map((node) => tree.getTreeItem(node).label),
        [namespace],
        'only the filtered namespace is listed',
      );
      assert.equal(view.description, `namespaces: ${namespace}`);
    } finally {
      await settings().update('namespaces', undefined, vscode.ConfigurationTarget.Workspace);
      await settings().update('namespaces', undefined, vscode.ConfigurationTarget.Global);
    }
    const cleared = settings().inspect<string[]>('namespaces');
    assert.equal(cleared?.workspaceValue ?? cleared?.globalValue, undefined, 'the filter is cleared');
  });

  test('a context the kubeconfig lacks (issue 18 item 6): the view says so and its welcome offers Switch Context', async function () {
    const tree = treeFor('no-such-context');
    const view = { message: undefined } as Partial<vscode.TreeView<ClusterNode>>;
    tree.attach(view as vscode.TreeView<ClusterNode>);
    // No rows: VS Code shows the view's welcome content for the state the provider set (saToken.cluster.state).
    assert.deepEqual(await tree.getChildren(), []);
    assert.match(String(view.message), /no-such-context/);
    assert.match(String(view.message), /not in the kubeconfig/);
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { viewsWelcome: { view: string; when: string; contents: string }[] };
    };
    const welcome = manifest.contributes.viewsWelcome.find(
      (entry) => entry.view === 'saToken.clusters' && entry.when === 'saToken.cluster.state == error',
    );
    assert.ok(welcome, 'a welcome for the error state');
    assert.match(welcome.contents, /\[Switch Context\]\(command:saToken\.cluster\.switchContext\)/);
  });

  test('unreachable cluster: one clear message within the timeout, no endless spinner', async function () {
    // The same kubeconfig, its server moved to a port nothing listens on.
    const config = readFileSync(kubeconfig!, 'utf8').replace(/server: \S+/g, 'server: https://127.0.0.1:9');
    const file = join(mkdtempSync(join(tmpdir(), 'sa-token-it-')), 'kubeconfig');
    writeFileSync(file, config);
    const tree = treeFor(null, file, 2_000);
    const started = Date.now();
    const [root] = await tree.getChildren();
    const [message] = await tree.getChildren(root);
    assert.ok(Date.now() - started < 10_000, 'answered within the timeout');
    assert.equal(tree.getTreeItem(message).contextValue, 'message');
    assert.match(
      String(tree.getTreeItem(message).label),
      /cannot reach https:\/\/127\.0\.0\.1:9 \(connection refused\)/,
    );
  });

  test('Create explicit token secret: populated Secret (kubectl), decoded view, then Delete', async function () {
    this.timeout(60_000);
    const tree = treeFor(null);
    const { namespace, serviceAccount } = throwaway;
    const account = await throwawayAccountNode(tree);
    // '' answers the name box with "generated", as leaving it empty does.
    const created = await vscode.commands.executeCommand<{ secretName: string }>(
      'saToken.cluster.createTokenSecret',
      account,
      { secretName: '' },
    );
    assert.ok(created?.secretName.startsWith(`${serviceAccount}-token-`), `created ${created?.secretName}`);

    const secret = kubectlSecret(namespace, created.secretName);
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.name'], serviceAccount);
    const uid = kubectlJson<{ metadata: { uid: string } }>('get', 'serviceaccount', serviceAccount, '-n', namespace)
      .metadata.uid;
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], uid);
    const token = secretToken(namespace, created.secretName);

    const document = shownDocument();
    const [, payload, signature] = token.split('.');
    assert.match(document.getText(), new RegExp(`system:serviceaccount:${namespace}:${serviceAccount}`));
    assert.ok(!document.getText().includes(signature), 'the decoded view never shows the signature');
    assert.ok(!document.uri.toString().includes(payload.slice(0, 20)), 'no token bytes in the URI');

    const node: ClusterNode = {
      type: 'tokenSecret',
      secret: {
        namespace: namespace,
        name: created.secretName,
        serviceAccount: serviceAccount,
        populated: true,
        createdAt: null,
        lastUsed: null,
        invalidSince: null,
      },
      readers: [],
    };
    await vscode.commands.executeCommand('saToken.cluster.openYaml', node);
    const yaml = shownDocument();
    assert.match(yaml.getText(), /kind: Secret/);
    assert.ok(!yaml.getText().includes(Buffer.from(token).toString('base64').slice(0, 40)), 'Secret data is masked');

    await vscode.commands.executeCommand('saToken.cluster.deleteTokenSecret', node);
    assert.throws(() => kubectl('get', 'secret', created.secretName, '-n', namespace), /NotFound|not found/);
  });

  test('Clusters view (issue 18 tree): a .secrets entry naming a missing Secret — Create Explicit Token Secret offers its name; Remove Reference patches it out', async function () {
    this.timeout(60_000);
    const { namespace, serviceAccount } = throwaway;
    const [recreate, drop] = [`${serviceAccount}-gone-a`, `${serviceAccount}-gone-b`];
    const entries = JSON.stringify([{ op: 'add', path: '/secrets', value: [{ name: recreate }, { name: drop }] }]);
    kubectl('patch', 'serviceaccount', serviceAccount, '-n', namespace, '--type=json', '-p', entries);
    const listed = async () =>
      (await tree.getChildren(await child(tree, await throwawayAccountNode(tree), '.secrets'))).map((node) => ({
        node,
        item: tree.getTreeItem(node),
      }));
    let tree = treeFor(null);
    const rows = await listed();
    assert.deepEqual(
      rows.map(({ item }) => [item.label, item.contextValue]),
      [
        [recreate, 'missingSecret'],
        [drop, 'missingSecret'],
      ],
    );

    // Create, answering the name box as a person pressing Enter would: the box offers the entry's own name.
    const created = await acceptingPrompts<{ secretName: string } | undefined>(
      'the name box to be accepted',
      30_000,
      'saToken.cluster.createTokenSecret',
      rows[0].node,
    );
    assert.equal(created?.secretName, recreate);
    const secret = kubectlSecret(namespace, recreate);
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.name'], serviceAccount);

    // Remove the other one (confirmed by the harness): exactly that entry leaves the list, as kubectl reads it.
    const removed = await vscode.commands.executeCommand('saToken.cluster.removeSecretReference', rows[1].node);
    assert.equal(removed, true);
    const account = kubectlJson<{ secrets?: { name: string }[] }>(
      'get',
      'serviceaccount',
      serviceAccount,
      '-n',
      namespace,
    );
    assert.deepEqual(account.secrets, [{ name: recreate }]);
    tree = treeFor(null);
    assert.deepEqual(
      (await listed()).map(({ item }) => [item.label, item.contextValue]),
      [[recreate, 'secretRef']],
      'the recreated Secret resolves the entry; the removed one is gone',
    );

    // A forged argument naming an entry that is not missing does nothing.
    const forged = { type: 'secretRef', namespace, serviceAccount, name: recreate, list: 'secrets', missing: true };
    assert.equal(await vscode.commands.executeCommand('saToken.cluster.removeSecretReference', forged), undefined);
    assert.deepEqual(
      kubectlJson<{ secrets?: { name: string }[] }>('get', 'serviceaccount', serviceAccount, '-n', namespace).secrets,
      [{ name: recreate }],
    );
    kubectl('delete', 'secret', recreate, '-n', namespace);
    kubectl('patch', 'serviceaccount', serviceAccount, '-n', namespace, '--type=json', '-p', DROP_SECRETS);
  });

  test('Clusters view (issue 18 tree): selecting a leaf opens it — the cluster YAML, linted read-only, or the workspace manifest at its line', async function () {
    this.timeout(60_000);
    const { namespace, serviceAccount } = throwaway;
    // A pod reading a legacy token Secret by env (the name pattern is enough for SAT001 to know it).
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: env-reader
  namespace: ${namespace}
spec:
  serviceAccountName: ${serviceAccount}
  containers:
    - name: app
      image: example/app:1.0
      env:
        - name: KUBE_TOKEN
          valueFrom:
            secretKeyRef:
              name: ${serviceAccount}-token-x7k2p
              key: token
`;
    execFileSync('kubectl', ['--kubeconfig', kubeconfig!, 'create', '-f', '-'], { input: pod, timeout: 20_000 });
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const manifest = vscode.Uri.joinPath(folder.uri, 'issue-18-open-test', 'service-account.yaml');
    try {
      const tree = treeFor(null);
      const podNode = await child(tree, await child(tree, await throwawayAccountNode(tree), 'Pods'), 'env-reader');
      // The token Secret it names does not exist, so the row lists only the admission-injected projected token.
      const [injected] = await tree.getChildren(podNode);
      assert.match(String(tree.getTreeItem(injected).label), /^kube-api-access-/);
      const [container] = await tree.getChildren(injected);
      const item = tree.getTreeItem(container);
      assert.equal(item.command?.command, 'saToken.cluster.open', 'a leaf opens on selection');
      assert.equal(tree.getTreeItem(podNode).command, undefined, 'a row with children expands instead');
      const opened = await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      assert.deepEqual(opened, { opened: 'cluster' });
      // Earlier tests may have left other cluster YAML open: this one is named after the pod.
      const yaml = vscode.window.visibleTextEditors.find(
        (e) => e.document.uri.scheme === 'sa-token-cluster' && e.document.uri.path.endsWith('-env-reader.yaml'),
      )?.document;
      assert.ok(yaml, 'the pod YAML from the cluster is shown');
      assert.match(yaml.getText(), /name: env-reader/);
      // Linted like workspace YAML, with the same rules; read-only: no fix is offered.
      const sat001 = await waitFor(
        () => vscode.languages.getDiagnostics(yaml.uri).find((d) => ruleOf(d) === 'SAT001'),
        'SAT001 on the cluster YAML',
      );
      const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        yaml.uri,
        sat001.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      assert.deepEqual(
        fixes.filter((action) => action.diagnostics?.some((d) => d.source === 'sa-token')).map((a) => a.title),
        [],
      );

      // The workspace declares the ServiceAccount: its missing .secrets entry's row opens that manifest at its line.
      await vscode.workspace.fs.writeFile(
        manifest,
        Buffer.from(
          `# Declared here\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${serviceAccount}\n  namespace: ${namespace}\n`,
        ),
      );
      kubectl(
        'patch',
        'serviceaccount',
        serviceAccount,
        '-n',
        namespace,
        '--type=json',
        '-p',
        '[{"op":"add","path":"/secrets","value":[{"name":"not-there"}]}]',
      );
      const fresh = treeFor(null);
      const [missing] = await fresh.getChildren(await child(fresh, await throwawayAccountNode(fresh), '.secrets'));
      const missingItem = fresh.getTreeItem(missing);
      assert.equal(missingItem.contextValue, 'missingSecret');
      const result = await waitFor(async () => {
        const answer = await vscode.commands.executeCommand<{ opened: string }>(
          missingItem.command!.command,
          ...(missingItem.command!.arguments ?? []),
        );
        return answer?.opened === 'manifest' ? answer : undefined;
      }, 'the workspace index to know the manifest');
      assert.deepEqual(result, { opened: 'manifest' });
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === manifest.toString());
      assert.ok(editor, 'the manifest is shown');
      assert.equal(editor.selection.active.line, 2, 'at the object (after the comment and the separator)');
    } finally {
      // Best effort: a failure above may have left less to clean up; it is the error worth reporting.
      for (const cleanup of [
        () => kubectl('delete', 'pod', 'env-reader', '-n', namespace, '--ignore-not-found'),
        () => kubectl('patch', 'serviceaccount', serviceAccount, '-n', namespace, '--type=json', '-p', DROP_SECRETS),
      ])
        try {
          cleanup();
        } catch {
          // nothing to undo
        }
      await vscode.workspace.fs
        .delete(vscode.Uri.joinPath(folder.uri, 'issue-18-open-test'), { recursive: true })
        .then(undefined, () => undefined);
    }
  });

  test('Decode token and Check token with cluster on an existing token Secret', async function () {
    const { namespace, serviceAccount } = throwaway;
    await populatedTokenSecret(throwaway, 'existing-token');
    const tree = treeFor(null);
    const tokenSecrets = await child(tree, await throwawayAccountNode(tree), 'Token Secrets');
    const secret = await child(tree, tokenSecrets, 'existing-token');
    await vscode.commands.executeCommand('saToken.cluster.decodeToken', secret);
    assert.match(shownDocument().getText(), new RegExp(`system:serviceaccount:${namespace}:${serviceAccount}`));
    // A TokenReview counts as a use of a legacy token: the command warns first (answered here) and reports the change.
    const review = await vscode.commands.executeCommand<{
      authenticated: boolean;
      lastUsed?: { before: string | null; after: string | null };
    }>('saToken.cluster.checkToken', secret);
    assert.equal(review.authenticated, true);
    assert.deepEqual(review.lastUsed, { before: null, after: new Date().toISOString().slice(0, 10) });
  });

  test('What Can This Token Do? on a legacy token Secret warns that it counts as a use, and reports the change', async function () {
    const { namespace, serviceAccount } = throwaway;
    await populatedTokenSecret(throwaway, 'whoami-token');
    const tree = treeFor(null);
    const secret = await child(
      tree,
      await child(tree, await throwawayAccountNode(tree), 'Token Secrets'),
      'whoami-token',
    );
    // The confirmation (answered by the harness) carries the last-used warning; the requests set the label.
    const result = await vscode.commands.executeCommand<{
      authenticated: boolean;
      username: string | null;
      lastUsed?: { before: string | null; after: string | null };
    }>('saToken.whatCanThisTokenDo', secret, { context: kubectl('config', 'current-context').trim() });
    assert.equal(result.authenticated, true);
    assert.equal(result.username, `system:serviceaccount:${namespace}:${serviceAccount}`);
    assert.deepEqual(result.lastUsed, { before: null, after: new Date().toISOString().slice(0, 10) });
  });

  test("Diagnose report's Create Secret: the command finds the missing Secret again, asks, creates it under that name", async function () {
    const { namespace, serviceAccount } = throwaway;
    const secretName = `${serviceAccount}-token-gone1`;
    execFileSync('kubectl', ['--kubeconfig', kubeconfig!, 'apply', '-n', namespace, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'reads-gone-secret' },
        spec: {
          serviceAccountName: serviceAccount,
          containers: [
            {
              name: 'app',
              image: 'busybox',
              env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: secretName, key: 'token' } } }],
            },
          ],
        },
      }),
      timeout: 20_000,
    });
    const target = { kind: 'Pod', namespace, name: 'reads-gone-secret' };
    const before = await vscode.commands.executeCommand<{ checks: { id: string; status: string }[] }>(
      'saToken.diagnose',
      target,
    );
    assert.equal(before.checks.find((check) => check.id === 'legacy-token-secret')?.status, 'fail');
    // A forged request naming another Secret or check is refused: the command looks the fix up itself.
    const forged = await vscode.commands.executeCommand('saToken.diagnose.applyFix', {
      ...target,
      check: 'legacy-token-secret',
      action: 'create-secret',
      secretName: 'kube-root-ca.crt',
      confirmed: true,
    });
    assert.equal(forged, true, 'the extra fields are ignored: the Secret the pod reads is created');
    const secret = kubectlSecret(namespace, secretName);
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.ok(secret.data?.token, 'filled by the token controller');
    const refused = await vscode.commands.executeCommand('saToken.diagnose.applyFix', {
      ...target,
      check: 'legacy-token-secret',
      action: 'create-secret',
    });
    assert.equal(refused, undefined, 'nothing is missing any more: an error, nothing created');
  });

  localServerTest(
    'Decode Token on a token Secret the cleaner invalidated states its labels, not "valid until deleted" (issue 18 item 4)',
    async () => {
      const tree = treeFor(null);
      const secret = await path(tree, 'sa-demo', 'legacy-app', 'deployer', 'Token Secrets', 'deployer-token-m5v7r');
      await vscode.commands.executeCommand('saToken.cluster.decodeToken', secret);
      const text = shownDocument().getText();
      assert.doesNotMatch(text, /valid until its Secret is deleted/);
      assert.match(text, /Expires: +no exp claim, but invalidated since 2025-01-15 .*the API server rejects it/);
      assert.match(text, /Last used: +2023-11-20/);
      // Not listed in deployer's .secrets: the cleaner did not label it and will not delete it; the view says so.
      assert.match(text, /Clean-up: +the legacy token cleaner leaves it alone/);
    },
  );

  test('Request token: bound token with the asked lifetime and audience, shown decoded', async function () {
    const web = await throwawayAccountNode(treeFor(null));
    await vscode.commands.executeCommand('saToken.cluster.requestToken', web, { duration: '15m', audiences: 'vault' });
    const text = shownDocument().getText();
    assert.match(text, new RegExp(`system:serviceaccount:${throwaway.namespace}:${throwaway.serviceAccount}`));
    assert.match(text, /vault/);
  });

  test('Request token rejects a lifetime under 10 minutes with one clear message', async function () {
    const web = await throwawayAccountNode(treeFor(null));
    const before = vscode.window.activeTextEditor?.document.uri.toString();
    // context.command turns the failure into an error message and resolves undefined.
    const result = await vscode.commands.executeCommand('saToken.cluster.requestToken', web, { duration: '5m' });
    assert.equal(result, undefined);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), before, 'nothing was requested or shown');
  });

  test('hover verifies a cluster token with the connected cluster keys', async function () {
    // The commands above connected the extension's own session; the hover may now use the cluster's keys.
    const token = kubectl(
      'create',
      'token',
      throwaway.serviceAccount,
      '-n',
      throwaway.namespace,
      '--duration',
      '15m',
    ).trim();
    const document = await vscode.workspace.openTextDocument({ content: `token: ${token}\n`, language: 'yaml' });
    await vscode.window.showTextDocument(document);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(0, 20),
    );
    const text = hovers
      .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
      .join('\n');
    // The demo workspace's key file is the demo cluster's key: either vouches, and the cluster's is named.
    assert.match(text, /signature verified with key \S+ from (cluster |.*Cluster sa\\-demo verifies it too)/i);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
  test('the token Secrets of a namespace the view loaded feed the manifest linter, until refreshed away', async function () {
    this.timeout(60_000);
    // A token Secret whose name does not look like one (<sa>-token-xxxxx): only the cluster can say what it is.
    await populatedTokenSecret(throwaway, 'api-credentials');
    const config = vscode.workspace.getConfiguration('saToken');
    try {
      // A second pod runs as "default": its SAT006 (on by default) is the sign that the manifest was linted.
      const bystander = `---\napiVersion: v1\nkind: Pod\nmetadata: {name: bystander, namespace: ${throwaway.namespace}}\nspec:\n  containers: [{name: c, image: x}]\n`;
      const editor = await openUntitled(readsApiCredentials(throwaway) + bystander, 'yaml');
      const { uri } = editor.document;
      const has = (rule: string): true | undefined =>
        vscode.languages.getDiagnostics(uri).some((d) => ruleOf(d) === rule) ? true : undefined;
      const hasSat001 = () => has('SAT001');
      await waitFor(() => has('SAT006'), 'the manifest to be linted');
      assert.equal(hasSat001(), undefined, 'unknown to the workspace and without the name pattern: not flagged yet');

      // What a person does: open the Clusters view and expand the namespace.
      await config.update('namespaces', [throwaway.namespace], vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('saToken.cluster.refresh');
      await waitFor(
        async () => {
          await expandFirstNamespaceInView();
          await vscode.window.showTextDocument(editor.document);
          return hasSat001();
        },
        `SAT001 once the view loaded ${throwaway.namespace}`,
        30_000,
      );

      // Refresh forgets what the cluster said until the namespace is loaded again (with the view hidden, it is not).
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await vscode.commands.executeCommand('saToken.cluster.refresh');
      await waitFor(() => (hasSat001() ? undefined : true), 'SAT001 gone after Refresh');
    } finally {
      await config.update('namespaces', undefined, vscode.ConfigurationTarget.Global);
      kubectl('delete', 'secret', 'api-credentials', '--namespace', throwaway.namespace);
    }
  });
});
