// The YAML engine in its worker thread, as the desktop extension runs it: a bundle like dist/manifest-worker.js, built
// into a private directory (other tests may rebuild dist/ meanwhile). Its answers must equal the in-process engine's
// (the browser's), and a failure must reach the caller as a rejection, never a hang.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManifestEngine } from '../../src/core/manifests/engine';
import { InProcessManifestEngine, type ManifestEngineClient } from '../../src/features/shared/manifestEngine';
import { desktopManifestEngine, WorkerManifestEngine } from '../../src/manifestEngineLoader';
import { buildPrivateBundles } from './reliability/cli';

const buildWorker = (): Promise<string> =>
  buildPrivateBundles({ 'manifest-worker': 'src/manifestWorker.ts' }, [], 'sa-token-manifest-worker-');

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: team-a
spec:
  containers:
    - name: app
      image: nginx
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef: { name: app-token, key: token }
---
apiVersion: v1
kind: Secret
metadata:
  name: app-token
  namespace: team-a
  annotations:
    kubernetes.io/service-account.name: app
type: kubernetes.io/service-account-token
`;
const ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n  namespace: ci\n';
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nusers:\n  - name: ci\n    user:\n      token: abc.def.ghi\n';

/** The same questions to both engines, in the same order (the analysis is asked twice: the second reuses pieces). */
async function answers(engine: ManifestEngineClient) {
  const never = () => false;
  return {
    first: await engine.analyze('file:///pod.yaml', POD, { fileName: '/pod.yaml' }, 0, never),
    again: await engine.analyze('file:///pod.yaml', POD + '---\n' + ACCOUNT, { fileName: '/pod.yaml' }, 0, never),
    fixed: await engine.call('fixAll', POD, { fileName: '/pod.yaml' }),
    secret: await engine.call('explicitTokenSecretEdit', ACCOUNT, 0),
    consumers: await engine.call('findConsumers', 'app-token', 'team-a', [{ fileName: 'pod.yaml', text: POD }]),
    index: await engine.call('indexWorkspaceFile', ACCOUNT, '/sa.yaml'),
    config: await engine.call('parseProjectConfig', 'rules:\n  SAT001: off\nignore: ["vendor/**"]\n'),
    users: await engine.call('kubeconfigUserTokens', KUBECONFIG),
    lenses: await engine.call('diagnoseTargets', POD),
  };
}

test('the worker engine answers every request as the in-process engine does', async () => {
  const worker = desktopManifestEngine(await buildWorker());
  assert.ok(worker instanceof WorkerManifestEngine, 'with the bundle there, the desktop engine is the worker');
  try {
    const expected = await answers(new InProcessManifestEngine(new ManifestEngine()));
    assert.ok(expected.first!.findings.some((finding) => finding.rule === 'SAT001'));
    assert.ok(expected.fixed.applied > 0);
    assert.deepEqual(expected.lenses, [{ offset: 0, kind: 'Pod', name: 'app', namespace: 'team-a' }]);
    assert.equal(expected.users.length, 1);
    assert.deepEqual(await answers(worker), expected);
  } finally {
    worker.dispose();
  }
});

test('a refused request rejects; after dispose, requests in flight reject and the next one starts a new worker', async () => {
  const worker = new WorkerManifestEngine(join(await buildWorker(), 'manifest-worker.js'));
  try {
    await assert.rejects(worker.call('nope' as 'forget', 'x'), /no engine method nope/);
    const inFlight = worker.call('indexWorkspaceFile', ACCOUNT, '/sa.yaml');
    worker.dispose();
    await assert.rejects(inFlight, /deactivating/);
    const index = await worker.call('indexWorkspaceFile', ACCOUNT, '/sa.yaml');
    assert.deepEqual(
      index.serviceAccounts.map(({ name }) => name),
      ['builder'],
    );
  } finally {
    worker.dispose();
  }
});
