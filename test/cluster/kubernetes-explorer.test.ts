// Our contributor to the Microsoft Kubernetes extension's Cluster Explorer, typed against the API package's published
// declarations (vscode-kubernetes-tools-api, ClusterExplorerV1: `npm run typecheck` checks this file against them)
// and driven the way that extension drives contributors, over the real kube module and the local API server's demo
// data. The fake explorer mirrors the extension's own adapter (vscode-kubernetes-tools
// src/api/implementation/cluster-explorer/common.ts): nodes reach contributors as ClusterExplorerV1 nodes, and
// right-clicked nodes reach commands as its internal objects (category 'kubernetes-explorer-node'), our own nodes
// wrapped in a ContributedNode whose `impl` is the node we returned.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { ClusterExplorerV1 } from 'vscode-kubernetes-tools-api';
import {
  EXPLORER_CONTEXT_PREFIX,
  explorerCommandArgument,
  registerExplorerContributions,
  SERVICE_ACCOUNT_FOLDER,
} from '../../src/features/cluster/kubernetesExplorer';
import { loadChildren, serviceAccountChildren, type ClusterNode } from '../../src/features/cluster/nodes';
import { present, type NodeView } from '../../src/features/cluster/present';
import { ClusterSession } from '../../src/features/cluster/session';
import { parseKeys, type VerificationKey } from '../../src/core/tokens/verify';
import * as kube from '../../src/kube/index';
import { startLocalCluster, type LocalCluster } from './server/index';

const CATEGORY = 'kubernetes-explorer-node';

/** What our TreeItems carry, without VS Code: tree.ts's toTreeItem makes the real ones from the same NodeView. */
type FakeTreeItem = Pick<NodeView, 'label' | 'description' | 'contextValue' | 'collapsible'>;
const fakeTreeItem = (view: NodeView): vscode.TreeItem =>
  ({
    label: view.label,
    description: view.description,
    contextValue: view.contextValue,
    collapsible: view.collapsible,
  }) satisfies FakeTreeItem as unknown as vscode.TreeItem;

interface FolderSource {
  args: [string, string, string, string];
  parentFolder: string | undefined;
}

/** A Cluster Explorer implementing the published v1 interface, recording what is registered with it. */
class FakeExplorer implements ClusterExplorerV1 {
  readonly contributors: ClusterExplorerV1.NodeContributor[] = [];
  readonly folders: FolderSource[] = [];
  refreshes = 0;

  readonly nodeSources: ClusterExplorerV1.NodeSources = {
    resourceFolder: (displayName, pluralDisplayName, manifestKind, abbreviation) => {
      const source = (parentFolder: string | undefined): ClusterExplorerV1.NodeContributor => {
        this.folders.push({ args: [displayName, pluralDisplayName, manifestKind, abbreviation], parentFolder });
        return { contributesChildren: () => false, getChildren: async () => [] };
      };
      const nodeSource: ClusterExplorerV1.NodeSource = {
        at: source,
        if: () => nodeSource,
        nodes: async () => [],
      };
      return nodeSource;
    },
    groupingFolder: () => {
      throw new Error('not used');
    },
  };

  resolveCommandTarget(target?: unknown): ClusterExplorerV1.ClusterExplorerNode | undefined {
    const node = target as { nodeCategory?: string; nodeType?: string; api?: ClusterExplorerV1.ClusterExplorerNode };
    if (node?.nodeCategory !== CATEGORY) return undefined;
    return node.nodeType === 'extension' ? { nodeType: 'extension' } : node.api;
  }

  registerNodeContributor(contributor: ClusterExplorerV1.NodeContributor): void {
    this.contributors.push(contributor);
  }

  registerNodeUICustomizer(): void {
    throw new Error('not used');
  }

  refresh(): void {
    this.refreshes++;
  }

  /** What the extension passes a command for its own resource node. */
  static resourceTarget(api: ClusterExplorerV1.ClusterExplorerResourceNode) {
    return { nodeCategory: CATEGORY, nodeType: 'resource', api };
  }

  /** What the extension passes a command for a contributed node (its ContributedNode wrapper). */
  static contributedTarget(impl: ClusterExplorerV1.Node) {
    return { nodeCategory: CATEGORY, nodeType: 'extension', id: 'dummy', impl };
  }
}

function resourceNode(
  manifestKind: string,
  namespace: string,
  name: string,
): ClusterExplorerV1.ClusterExplorerResourceNode {
  return {
    nodeType: 'resource',
    namespace,
    name,
    resourceKind: { manifestKind, abbreviation: manifestKind.toLowerCase() },
  };
}

const itemOf = (node: ClusterExplorerV1.Node) => node.getTreeItem() as unknown as FakeTreeItem;
const labels = (nodes: ClusterExplorerV1.Node[]) => nodes.map((node) => itemOf(node).label);

describe("contributor to the Kubernetes extension's Cluster Explorer, on the local API server", () => {
  let cluster: LocalCluster;
  let session: ClusterSession<VerificationKey>;
  let explorer: FakeExplorer;
  let contributor: ClusterExplorerV1.NodeContributor;

  before(async () => {
    cluster = await startLocalCluster({ data: 'demo', tokenControllerDelayMs: 0 });
    session = new ClusterSession<VerificationKey>(
      () => kube,
      () => ({ kubeconfigPath: cluster.kubeconfigPath, context: null, timeoutMs: 10_000, watch: false }),
      parseKeys,
    );
    explorer = new FakeExplorer();
    registerExplorerContributions(explorer, { session, cleanUpPeriodDays: () => 365, treeItem: fakeTreeItem });
    contributor = explorer.contributors[1];
  });
  after(async () => {
    session.dispose();
    await cluster.stop();
  });

  it('adds a Service Accounts folder under Configuration, through nodeSources, then its own contributor', () => {
    assert.deepEqual(explorer.folders, [
      {
        args: ['Service Account', 'Service Accounts', 'ServiceAccount', 'serviceaccount'],
        parentFolder: 'Configuration',
      },
    ]);
    assert.equal(explorer.contributors.length, 2);
    assert.equal(SERVICE_ACCOUNT_FOLDER.abbreviation, 'serviceaccount');
  });

  it('hooks into ServiceAccount and Pod resource nodes only, without any I/O', () => {
    assert.equal(contributor.contributesChildren(resourceNode('ServiceAccount', 'legacy-app', 'legacy-api')), true);
    assert.equal(contributor.contributesChildren(resourceNode('Pod', 'legacy-app', 'x')), true);
    assert.equal(contributor.contributesChildren(resourceNode('Deployment', 'legacy-app', 'x')), false);
    assert.equal(contributor.contributesChildren({ nodeType: 'context', name: 'local' }), false);
    assert.equal(contributor.contributesChildren({ nodeType: 'folder.grouping' }), false);
    assert.equal(contributor.contributesChildren(undefined), false);
  });

  it('under a ServiceAccount: the Clusters view groups and Permissions, with its token Secrets and pods', async () => {
    const children = await contributor.getChildren(resourceNode('ServiceAccount', 'legacy-app', 'legacy-api'));
    assert.deepEqual(labels(children), ['Token Secrets', '.secrets', 'imagePullSecrets', 'Pods', 'Permissions']);
    // The same nodes as the Clusters view shows for that account, from the same inventory.
    const inventory = await session.namespaceInventory('legacy-app');
    const account = inventory.serviceAccounts.find((candidate) => candidate.name === 'legacy-api');
    assert.ok(account);
    const now = new Date();
    assert.deepEqual(
      children.map((child) => itemOf(child)),
      serviceAccountChildren(account).map((node) => {
        const view = present(node, now, 365);
        return { ...fakeTreeItem(view), contextValue: `${EXPLORER_CONTEXT_PREFIX}${view.contextValue}` };
      }),
    );
    const [tokenSecrets, , imagePullSecrets, pods] = children;
    const secrets = await tokenSecrets.getChildren();
    assert.deepEqual(labels(secrets), ['legacy-api-token-x7k2p']);
    assert.equal(itemOf(secrets[0]).contextValue, 'saToken.tokenSecret');
    assert.match(itemOf(secrets[0]).description ?? '', /^never expires · /);
    assert.deepEqual(labels(await imagePullSecrets.getChildren()), ['registry-credentials']);
    const [pod] = await pods.getChildren();
    assert.equal(itemOf(pod).label, 'legacy-api-7d9f8b6c5-x2k4p');
    assert.equal(itemOf(pod).contextValue, 'saToken.pod');
    const sources = labels(await pod.getChildren());
    assert.ok(sources.includes('env ← legacy-api-token-x7k2p'), sources.join(', '));
    assert.ok(sources.includes('api-token'), sources.join(', '));
    assert.ok(
      sources.some((label) => label?.toString().startsWith('kube-api-access-')),
      sources.join(', '),
    );
  });

  it("under a ServiceAccount's Permissions: the RBAC bindings that apply to it", async () => {
    const children = await contributor.getChildren(resourceNode('ServiceAccount', 'legacy-app', 'reporter'));
    const permissions = children.find((child) => itemOf(child).label === 'Permissions');
    assert.ok(permissions);
    const bindings = await permissions.getChildren();
    assert.ok(labels(bindings).includes('ClusterRole secret-reader'), labels(bindings).join(', '));
    const secretReader = bindings.find((binding) => itemOf(binding).label === 'ClusterRole secret-reader');
    assert.match(itemOf(secretReader!).description ?? '', /RoleBinding legacy-app\/reporter-reads-secrets/);
    const rules = await secretReader!.getChildren();
    assert.ok(rules.length > 0);
    // Expanding through the explorer gives what the Clusters view's loader gives.
    const account = (await session.namespaceInventory('legacy-app')).serviceAccounts.find(
      (a) => a.name === 'reporter',
    )!;
    const viaClustersView = await loadChildren({ type: 'permissions', account }, session);
    assert.deepEqual(
      labels(bindings),
      viaClustersView.map((node) => present(node, new Date()).label),
    );
  });

  it('under a Pod: its token sources; a pod not (any more) in the namespace says so', async () => {
    const sources = await contributor.getChildren(resourceNode('Pod', 'legacy-app', 'legacy-api-7d9f8b6c5-x2k4p'));
    const kinds = new Map(sources.map((source) => [itemOf(source).label, itemOf(source).contextValue]));
    assert.equal(kinds.size, 3);
    assert.equal(kinds.get('env ← legacy-api-token-x7k2p'), 'saToken.secretRead');
    assert.equal(kinds.get('api-token'), 'saToken.secretRead');
    const projected = [...kinds.keys()].find((label) => String(label).startsWith('kube-api-access-'));
    assert.equal(kinds.get(projected!), 'saToken.projectedToken');
    const env = sources.find((source) => itemOf(source).label === 'env ← legacy-api-token-x7k2p')!;
    assert.deepEqual(labels(await env.getChildren()), ['api']);
    const gone = await contributor.getChildren(resourceNode('Pod', 'legacy-app', 'no-such-pod'));
    assert.deepEqual(labels(gone), ['Not in namespace legacy-app any more: refresh']);
  });

  it("a node without namespace (the explorer's own listing of our folder) is in the kubeconfig context's namespace", async () => {
    // The demo kubeconfig's context names no namespace: kubectl, and so the explorer, list in "default".
    const children = await contributor.getChildren(resourceNode('ServiceAccount', '', 'default'));
    assert.equal(itemOf(children.at(-1)!).label, 'Permissions');
    assert.ok(!labels(children).some((label) => String(label).startsWith('Not in namespace')), labels(children).join());
    assert.deepEqual(
      explorerCommandArgument(explorer, FakeExplorer.resourceTarget(resourceNode('ServiceAccount', '', 'x')), session),
      {
        type: 'serviceAccount',
        account: { namespace: 'default', name: 'x' },
      },
    );
  });

  it('a load failure becomes one error node', async () => {
    const broken = new ClusterSession<VerificationKey>(
      () => kube,
      () => ({ kubeconfigPath: '/nonexistent/kubeconfig', context: null, timeoutMs: 1000, watch: false }),
      parseKeys,
    );
    const failing = new FakeExplorer();
    registerExplorerContributions(failing, { session: broken, cleanUpPeriodDays: () => 365, treeItem: fakeTreeItem });
    const [node] = await failing.contributors[1].getChildren(
      resourceNode('ServiceAccount', 'legacy-app', 'legacy-api'),
    );
    assert.equal(itemOf(node).contextValue, 'saToken.message');
    assert.ok(itemOf(node).label);
  });

  it('commands get an identifier to re-resolve, never a node object from outside', async () => {
    const target = FakeExplorer.resourceTarget(resourceNode('ServiceAccount', 'legacy-app', 'legacy-api'));
    assert.deepEqual(explorerCommandArgument(explorer, target, session), {
      type: 'serviceAccount',
      account: { namespace: 'legacy-app', name: 'legacy-api' },
    });
    assert.deepEqual(
      explorerCommandArgument(explorer, FakeExplorer.resourceTarget(resourceNode('Pod', 'ns', 'p')), session),
      {
        type: 'pod',
        namespace: 'ns',
        pod: { name: 'p' },
      },
    );
    // Our own node, as the explorer wraps it: the node we made for that Secret.
    const [tokenSecrets] = await contributor.getChildren(resourceNode('ServiceAccount', 'legacy-app', 'legacy-api'));
    const [secret] = await tokenSecrets.getChildren();
    const argument = explorerCommandArgument(explorer, FakeExplorer.contributedTarget(secret), session) as ClusterNode;
    assert.equal(argument.type, 'tokenSecret');
    assert.equal(argument.type === 'tokenSecret' && argument.secret.name, 'legacy-api-token-x7k2p');
    // A look-alike made from data (what a command link can pass) is nothing: the command refuses it.
    const forged = { getChildren: async () => [], getTreeItem: () => ({}), node: { type: 'tokenSecret' } };
    assert.deepEqual(explorerCommandArgument(explorer, FakeExplorer.contributedTarget(forged as never), session), {});
    // Not an explorer node at all (the Clusters view, the palette): left to the Clusters view's handlers.
    assert.equal(explorerCommandArgument(explorer, { type: 'serviceAccount', account: {} }, session), undefined);
    assert.equal(explorerCommandArgument(explorer, undefined, session), undefined);
  });
});
