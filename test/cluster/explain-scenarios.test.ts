// `sa-token explain` on the errors the local API server and kubectl really print when a token breaks (built with
// kubectl: a viewer reading Secrets, a garbage token, a token whose pod, ServiceAccount or audience is wrong).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildCli, runCli } from '../unit/reliability/cli';
import { startLocalCluster, viewerContext, type LocalCluster } from './server/index';
import { apiRequest, kubectl } from './kubectl';

describe('sa-token explain on errors the local API server produces', () => {
  let cluster: LocalCluster;
  let cli: string;
  const ns = 'explain';
  const kc = (...args: string[]) => kubectl(cluster.kubeconfigPath, args);
  const explainKind = async (text: string) => {
    const result = await runCli(cli, ['explain', '--json'], { stdin: text });
    assert.equal(result.status, 0, `not recognised: ${text}`);
    return (JSON.parse(result.stdout) as { kind: string; serviceAccount: unknown }[])[0];
  };
  /** The TokenReview's status.error for `token` (what kube-apiserver logs after "invalid bearer token"). */
  const reviewError = async (token: string) => {
    const response = await apiRequest(
      `${cluster.url}/apis/authentication.k8s.io/v1/tokenreviews`,
      cluster.caPem,
      cluster.tokens.admin,
      {
        method: 'POST',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
      },
    );
    const status = JSON.parse(response.body).status as { authenticated?: boolean; error?: string };
    assert.notEqual(status.authenticated, true);
    return status.error ?? '';
  };

  before(async () => {
    [cluster, cli] = await Promise.all([startLocalCluster({ data: 'demo' }), buildCli()]);
    await kc('create', 'namespace', ns);
    await kc('create', 'serviceaccount', 'app', '-n', ns);
  });
  after(() => cluster.stop());

  it('forbidden: the viewer reading Secrets', async () => {
    const result = await kc('--context', viewerContext, 'get', 'secrets', '-n', 'modern-app');
    assert.notEqual(result.code, 0);
    const found = await explainKind(result.stderr);
    assert.equal(found.kind, 'forbidden');
  });

  it('unauthorized: kubectl with a garbage token', async () => {
    const result = await kc('get', 'pods', '--token', 'not-a-token');
    assert.notEqual(result.code, 0);
    assert.equal((await explainKind(result.stderr)).kind, 'unauthorized');
  });

  it('token-invalidated: a pod-bound token after its pod is deleted', async () => {
    await kubectl(
      cluster.kubeconfigPath,
      ['apply', '-f', '-'],
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: short-lived\n  namespace: ${ns}\nspec:\n  serviceAccountName: app\n  containers:\n  - name: main\n    image: busybox\n`,
    );
    const uid = (await kc('get', 'pod', 'short-lived', '-n', ns, '-o', 'jsonpath={.metadata.uid}')).stdout;
    const token = (
      await kc(
        'create',
        'token',
        'app',
        '-n',
        ns,
        '--bound-object-kind',
        'Pod',
        '--bound-object-name',
        'short-lived',
        '--bound-object-uid',
        uid,
      )
    ).stdout.trim();
    await kc('delete', 'pod', 'short-lived', '-n', ns);
    assert.equal((await explainKind(await reviewError(token))).kind, 'token-invalidated');
  });

  it('serviceaccount-missing: a token whose ServiceAccount was deleted', async () => {
    await kc('create', 'serviceaccount', 'gone', '-n', ns);
    const token = (await kc('create', 'token', 'gone', '-n', ns)).stdout.trim();
    await kc('delete', 'serviceaccount', 'gone', '-n', ns);
    assert.equal((await explainKind(await reviewError(token))).kind, 'serviceaccount-missing');
  });

  it('serviceaccount-missing: a token of a recreated ServiceAccount (uid differs)', async () => {
    await kc('create', 'serviceaccount', 'again', '-n', ns);
    const token = (await kc('create', 'token', 'again', '-n', ns)).stdout.trim();
    await kc('delete', 'serviceaccount', 'again', '-n', ns);
    await kc('create', 'serviceaccount', 'again', '-n', ns);
    const error = await reviewError(token);
    assert.match(error, /does not match claim/);
    assert.equal((await explainKind(error)).kind, 'serviceaccount-missing');
  });

  it('audience-mismatch: a Vault-audience token sent to the API server', async () => {
    const token = (await kc('create', 'token', 'app', '-n', ns, '--audience', 'vault')).stdout.trim();
    assert.equal((await explainKind(await reviewError(token))).kind, 'audience-mismatch');
  });
});
