import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podsReadingSecret } from '../../../../src/core/cluster/judgements';
import {
  childrenOf,
  namespaceChildren,
  resolveMissingSecretRef,
  resolveObject,
  resourceChildren,
  type ClusterNode,
} from '../../../../src/features/cluster/nodes';
import { api, billing, inventory } from './fixtures';

const labels = (nodes: ClusterNode[]) =>
  nodes.map(
    (node) =>
      node.type +
      ':' +
      ('account' in node && node.type === 'serviceAccount' ? node.account.name : 'group' in node ? node.group : ''),
  );

test('a namespace lists its service accounts sorted, then what is forbidden', () => {
  const children = namespaceChildren(inventory, 'legacy-app');
  assert.deepEqual(labels(children), ['serviceAccount:api', 'serviceAccount:billing', 'forbidden:']);
  assert.deepEqual(namespaceChildren(inventory, 'empty'), [
    { type: 'message', text: 'No service accounts', tone: 'info' },
  ]);
});

test('a service account shows only its non-empty groups, then its Permissions', () => {
  const billingGroups = childrenOf({ type: 'serviceAccount', account: billing }, inventory);
  assert.deepEqual(labels(billingGroups), [
    'group:tokenSecrets',
    'group:secretsList',
    'group:imagePullSecrets',
    'group:pods',
    'permissions:',
  ]);
  const api = inventory.serviceAccounts.find((account) => account.name === 'api')!;
  assert.deepEqual(labels(childrenOf({ type: 'serviceAccount', account: api }, inventory)), [
    'group:pods',
    'permissions:',
  ]);
});

test('token secrets know which pods read them, across service accounts', () => {
  const secrets = childrenOf({ type: 'group', group: 'tokenSecrets', account: billing }, inventory);
  const first = secrets[0] as Extract<ClusterNode, { type: 'tokenSecret' }>;
  assert.equal(first.secret.name, 'billing-token-x7k2p');
  assert.deepEqual(first.readers, ['billing-7d9f', 'other-reader']);
  assert.deepEqual(podsReadingSecret(inventory, 'legacy-app', 'billing-old'), []);
  assert.deepEqual(podsReadingSecret(inventory, 'elsewhere', 'billing-token-x7k2p'), []);
});

test('.secrets entries flag the missing ones', () => {
  const refs = childrenOf({ type: 'group', group: 'secretsList', account: billing }, inventory);
  assert.deepEqual(
    refs.map((node) => node.type === 'secretRef' && [node.name, node.missing]),
    [
      ['billing-token-x7k2p', false],
      ['billing-token-gone', true],
    ],
  );
});

test('pods break down into token sources and those into containers', () => {
  const [pod] = childrenOf({ type: 'group', group: 'pods', account: billing }, inventory);
  const sources = childrenOf(pod, inventory);
  assert.deepEqual(
    sources.map((node) => node.type === 'tokenSource' && node.source.kind),
    ['env', 'secret-volume', 'projected'],
  );
  assert.deepEqual(childrenOf(sources[2], inventory), [
    {
      type: 'container',
      namespace: 'legacy-app',
      pod: 'billing-7d9f',
      use: { name: 'app', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    },
  ]);
});

test("under another tree's ServiceAccount or Pod (the Kubernetes extension's explorer): the Clusters view's children", () => {
  // What the namespace could not list comes first, as in the namespace's own children.
  assert.deepEqual(labels(resourceChildren('ServiceAccount', 'legacy-app', 'billing', inventory)), [
    'forbidden:',
    'group:tokenSecrets',
    'group:secretsList',
    'group:imagePullSecrets',
    'group:pods',
    'permissions:',
  ]);
  assert.deepEqual(
    resourceChildren('Pod', 'legacy-app', 'billing-7d9f', inventory).map(
      (node) => node.type === 'tokenSource' && node.source.kind,
    ),
    ['env', 'secret-volume', 'projected'],
  );
  const staticInventory = { ...inventory, staticPods: [{ namespace: 'legacy-app', name: 'etcd-node' }] };
  assert.deepEqual(resourceChildren('Pod', 'legacy-app', 'etcd-node', staticInventory), [
    { type: 'message', text: 'Static pod: no service account, no token', tone: 'info' },
  ]);
  const unmounted = {
    ...inventory,
    serviceAccounts: [{ ...api, pods: [{ name: 'quiet', automount: false, tokenSources: [] }] }],
  };
  assert.deepEqual(resourceChildren('Pod', 'legacy-app', 'quiet', unmounted), [
    { type: 'message', text: 'No service account token reaches this pod (automount off)', tone: 'info' },
  ]);
  // Another namespace's account of the same name is not this one; other kinds get nothing.
  assert.deepEqual(labels(resourceChildren('ServiceAccount', 'other', 'billing', { ...inventory, errors: [] })), [
    'message:',
  ]);
  assert.deepEqual(resourceChildren('Deployment', 'legacy-app', 'billing', inventory), []);
});

test('selecting a row opens the object the inventory holds for it, never one only the argument names', () => {
  const [pod] = childrenOf({ type: 'group', group: 'pods', account: billing }, inventory);
  const [source] = childrenOf(pod, inventory);
  const [container] = childrenOf(source, inventory);
  const [secret] = childrenOf({ type: 'group', group: 'tokenSecrets', account: billing }, inventory);
  const [listed, missing] = childrenOf({ type: 'group', group: 'secretsList', account: billing }, inventory);
  const [pullSecret] = childrenOf({ type: 'group', group: 'imagePullSecrets', account: billing }, inventory);
  const at = (kind: string, name: string) => ({ kind, namespace: 'legacy-app', name });
  assert.deepEqual(resolveObject(pod, inventory), at('Pod', 'billing-7d9f'));
  assert.deepEqual(resolveObject(container, inventory), at('Pod', 'billing-7d9f'));
  assert.deepEqual(resolveObject(secret, inventory), at('Secret', 'billing-token-x7k2p'));
  assert.deepEqual(resolveObject(listed, inventory), at('Secret', 'billing-token-x7k2p'));
  assert.deepEqual(resolveObject(pullSecret, inventory), at('Secret', 'registry-creds'));
  // A missing Secret has no YAML: its row opens the ServiceAccount whose .secrets names it.
  assert.deepEqual(resolveObject(missing, inventory), at('ServiceAccount', 'billing'));
  assert.deepEqual(
    resolveObject({ type: 'serviceAccount', account: billing }, inventory),
    at('ServiceAccount', 'billing'),
  );
  // Hand-made arguments naming what the inventory does not hold open nothing.
  for (const forged of [
    { ...pod, pod: { name: 'kube-apiserver-node-1' } },
    { type: 'secretRef', namespace: 'legacy-app', serviceAccount: 'billing', name: 'db-password', list: 'secrets' },
    { type: 'tokenSecret', secret: { namespace: 'legacy-app', name: 'db-password' } },
    { type: 'container', namespace: 'kube-system', pod: 'billing-7d9f' },
    { type: 'rule' },
    undefined,
  ])
    assert.equal(resolveObject(forged, inventory), undefined, JSON.stringify(forged));
});

test('a missing .secrets entry resolves only while the inventory still lists it as missing', () => {
  const [listed, missing] = childrenOf({ type: 'group', group: 'secretsList', account: billing }, inventory);
  assert.equal(resolveMissingSecretRef(missing, inventory)?.account, billing);
  assert.deepEqual(resolveMissingSecretRef(missing, inventory)?.node, missing);
  assert.equal(resolveMissingSecretRef(listed, inventory), undefined, 'that Secret exists');
  assert.equal(resolveMissingSecretRef({ ...missing, serviceAccount: 'api' }, inventory), undefined);
  const fixed = { ...inventory, serviceAccounts: [{ ...billing, missingSecrets: [] }] };
  assert.equal(resolveMissingSecretRef(missing, fixed), undefined, 'created since');
});
