import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeManifest } from '../../../../src/core/manifests/lint';
import { ClusterTokenSecretRegistry } from '../../../../src/features/shared/clusterTokenSecrets';

function registryWithCount() {
  const registry = new ClusterTokenSecretRegistry();
  const counter = { changes: 0 };
  registry.onDidChange(() => counter.changes++);
  return { registry, counter };
}

const api = { name: 'api-credentials', serviceAccount: 'api' };

test('a loaded namespace publishes its token Secrets, in that namespace', () => {
  const { registry, counter } = registryWithCount();
  registry.namespaceLoaded('team-a', [{ ...api, namespace: 'elsewhere' }]);
  assert.deepEqual(registry.secrets, [{ name: 'api-credentials', namespace: 'team-a', serviceAccount: 'api' }]);
  assert.equal(counter.changes, 1);
});

test('the same listing again is no change (the tree re-reads namespaces on every redraw)', () => {
  const { registry, counter } = registryWithCount();
  const other = { name: 'api-token-x7k2p', serviceAccount: 'api' };
  registry.namespaceLoaded('team-a', [api, other]);
  registry.namespaceLoaded('team-a', [other, api]);
  assert.equal(counter.changes, 1);
  registry.namespaceLoaded('team-a', [other]);
  assert.equal(counter.changes, 2);
  registry.namespaceLoaded('team-b', []);
  assert.equal(counter.changes, 3, 'a namespace seen for the first time is news, even empty');
});

test('a forgotten namespace and a cleared registry drop what they knew, and say so only when they knew something', () => {
  const { registry, counter } = registryWithCount();
  registry.namespaceLoaded('team-a', [api]);
  registry.namespaceLoaded('team-b', [{ name: 'b-creds', serviceAccount: 'b' }]);
  registry.namespaceForgotten('team-a');
  assert.deepEqual(
    registry.secrets.map((entry) => entry.name),
    ['b-creds'],
  );
  registry.namespaceForgotten('team-a');
  registry.cleared();
  assert.deepEqual(registry.secrets, []);
  registry.cleared();
  assert.equal(counter.changes, 4);
});

test('a listener that was disposed hears nothing more', () => {
  const registry = new ClusterTokenSecretRegistry();
  let heard = 0;
  const subscription = registry.onDidChange(() => heard++);
  registry.namespaceLoaded('team-a', [api]);
  subscription.dispose();
  registry.cleared();
  assert.equal(heard, 1);
});

const READS_API_CREDENTIALS = `apiVersion: v1
kind: Pod
metadata: {name: reporter, namespace: team-a}
spec:
  serviceAccountName: api
  containers:
    - name: app
      image: example/app:1
      env:
        - name: KUBE_TOKEN
          valueFrom:
            secretKeyRef: {name: api-credentials, key: token}
`;

test('the linter flags a read of a cluster token Secret whose name does not look like one, in its namespace only', () => {
  const rulesOf = (tokenSecrets: ClusterTokenSecretRegistry['secrets']) =>
    analyzeManifest(READS_API_CREDENTIALS, { tokenSecrets }).findings.map((finding) => finding.rule);
  const registry = new ClusterTokenSecretRegistry();
  assert.ok(!rulesOf(registry.secrets).includes('SAT001'), 'unknown name, no pattern: not a token Secret');
  registry.namespaceLoaded('team-b', [api]);
  assert.ok(!rulesOf(registry.secrets).includes('SAT001'), 'a token Secret of that name in another namespace');
  registry.namespaceLoaded('team-a', [api]);
  assert.ok(rulesOf(registry.secrets).includes('SAT001'));
});
