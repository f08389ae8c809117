// Each fault mode of the local API server, observed through the real kubectl or a plain HTTPS client.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startLocalCluster, type LocalCluster } from '../index';
import { apiRequest, kubectl } from '../../kubectl';

let cluster: LocalCluster;
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);
const get = (path: string, accept?: string) =>
  apiRequest(`${cluster.url}${path}`, cluster.caPem, cluster.tokens.admin, { accept });

before(async () => {
  cluster = await startLocalCluster({ data: 'demo', tokenControllerDelayMs: 50 });
});
afterEach(() => cluster.setFault(null));
after(() => cluster.stop());

describe('fault modes', () => {
  it('latency: holds responses past the client timeout', async () => {
    cluster.setFault('latency');
    const started = Date.now();
    const result = await run(['get', '--raw', '/api/v1/namespaces', '--request-timeout=1s']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /timeout|deadline exceeded/i);
    // The server would hold it for 60 s; kubectl gave up long before (generous: the machine may be loaded).
    assert.ok(Date.now() - started < 30_000);
  });

  it('reset-mid-list: drops the connection after part of a list body', async () => {
    cluster.setFault('reset-mid-list');
    await assert.rejects(get('/api/v1/pods'), /aborted|ECONNRESET|socket hang up/);
    assert.equal((await get('/api/v1/namespaces/default/pods/missing')).status, 404, 'single reads are unaffected');
  });

  it('unauthorized: 401 for every request', async () => {
    cluster.setFault('unauthorized');
    assert.match((await run(['get', 'pods', '-n', 'default'])).stderr, /error: You must be logged in to the server/);
  });

  it('forbid-secrets: 403 on secrets only', async () => {
    cluster.setFault('forbid-secrets');
    const secrets = await run(['get', 'secrets', '-n', 'legacy-app']);
    assert.match(
      secrets.stderr,
      /secrets is forbidden: User "demo-admin" cannot list resource "secrets" in API group "" in the namespace "legacy-app"/,
    );
    assert.equal((await run(['get', 'pods,serviceaccounts', '-n', 'legacy-app', '-o', 'name'])).code, 0);
  });

  it('no-tokenrequest: 404 on TokenRequest and no serviceaccounts/token in discovery, like an old cluster', async () => {
    cluster.setFault('no-tokenrequest');
    assert.match(
      (await run(['create', 'token', 'default'])).stderr,
      /the server could not find the requested resource/,
    );
    assert.ok(!(await get('/api/v1')).body.includes('serviceaccounts/token'));
  });

  it('no-jwks: 404 on the issuer discovery endpoints', async () => {
    cluster.setFault('no-jwks');
    assert.match((await run(['get', '--raw', '/openid/v1/jwks'])).stderr, /NotFound/);
    assert.equal((await get('/.well-known/openid-configuration')).status, 404);
  });

  it('server-error: 500 InternalError on resource requests', async () => {
    cluster.setFault('server-error');
    const result = await run(['get', 'pods', '-n', 'default']);
    assert.match(
      result.stderr,
      /Error from server \(InternalError\): Internal error occurred: injected fault: server-error/,
    );
  });

  it('malformed-json: 200 with a body that is not JSON', async () => {
    cluster.setFault('malformed-json');
    const response = await get('/api/v1/namespaces/default/serviceaccounts');
    assert.equal(response.status, 200);
    assert.throws(() => JSON.parse(response.body), SyntaxError);
  });

  it('token-controller-stuck: a new token Secret is never filled', async () => {
    cluster.setFault('token-controller-stuck');
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'stuck-token',
        namespace: 'modern-app',
        annotations: { 'kubernetes.io/service-account.name': 'web' },
      },
      type: 'kubernetes.io/service-account-token',
    });
    assert.equal((await run(['create', '-f', '-'], manifest)).code, 0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const secret = JSON.parse(
      (await run(['get', 'secret', 'stuck-token', '-n', 'modern-app', '-o', 'json'])).stdout,
    ) as { data?: unknown };
    assert.equal(secret.data, undefined);
  });

  it('watch-drop: watches end early', async () => {
    cluster.setFault('watch-drop');
    const started = Date.now();
    const response = await get('/api/v1/namespaces/modern-app/serviceaccounts?watch=1');
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started < 3000);
    assert.match(response.body.split('\n')[0], /^\{"type":"ADDED"/);
  });

  it('wrong CA: kubectl refuses the server certificate', async () => {
    const wrong = await startLocalCluster({ wrongCa: true });
    try {
      const result = await kubectl(wrong.kubeconfigPath, ['get', 'namespaces']);
      assert.match(result.stderr, /x509: certificate signed by unknown authority/);
    } finally {
      await wrong.stop();
    }
  });
});
