// Token operations against the local API server; kubectl reads back what they did.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it, before, after } from 'node:test';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { parse } from 'yaml';
import { connect, isClusterError, type ClusterConnection } from '../../src/kube/index';
import { startLocalCluster, viewerContext, type LocalCluster } from './server/index';

const run = promisify(execFile);

describe('cluster operations against the local API server', () => {
  let cluster: LocalCluster;
  let admin: ClusterConnection;
  let viewer: ClusterConnection;
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args])).stdout;

  before(async () => {
    cluster = await startLocalCluster({ data: 'demo' });
    admin = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 10_000 });
    viewer = await connect({ kubeconfigPath: cluster.kubeconfigPath, context: viewerContext, timeoutMs: 10_000 });
  });
  after(async () => {
    admin.close();
    viewer.close();
    await cluster.stop();
  });

  it('lists namespaces and the service accounts of one namespace', async () => {
    const namespaces = await admin.listNamespaces();
    const fromKubectl = (await kubectl('get', 'namespaces', '-o', 'name')).trim().split('\n').map((line) => line.replace('namespace/', ''));
    assert.deepEqual(namespaces, fromKubectl.sort());
    const accounts = await admin.listServiceAccounts('legacy-app');
    assert.ok(accounts.some((sa) => sa.name === 'legacy-api' && sa.secrets.includes('legacy-api-token-x7k2p')));
  });

  it('creates an explicit token Secret and returns the token the controller wrote', async () => {
    const account = JSON.parse(await kubectl('get', 'serviceaccount', 'web', '-n', 'modern-app', '-o', 'json'));
    const created = await admin.createTokenSecret('modern-app', 'web', { timeoutMs: 10_000 });
    assert.match(created.secretName, /^web-token-[a-z0-9]{5}$/);
    const secret = JSON.parse(await kubectl('get', 'secret', created.secretName, '-n', 'modern-app', '-o', 'json'));
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.name'], 'web');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], account.metadata.uid);
    assert.equal(Buffer.from(secret.data.token, 'base64').toString(), created.token);
    const claims = decodeJwt(created.token);
    assert.equal(claims.sub, 'system:serviceaccount:modern-app:web');
    assert.equal(claims['kubernetes.io/serviceaccount/secret.name'], created.secretName);
    assert.equal(claims.exp, undefined, 'legacy tokens do not expire');

    assert.equal(await admin.readSecretToken('modern-app', created.secretName), created.token);
    await admin.deleteSecret('modern-app', created.secretName);
    await assert.rejects(kubectl('get', 'secret', created.secretName, '-n', 'modern-app'), /NotFound/);
  });

  it('requests a bound token with the claims kubectl create token would get', async () => {
    const pod = JSON.parse(await kubectl('get', 'pod', 'web-5c8d7f9b4-h2x9t', '-n', 'modern-app', '-o', 'json'));
    const token = await admin.requestToken('modern-app', 'web', {
      expirationSeconds: 1200,
      audiences: ['vault', 'https://kubernetes.default.svc.cluster.local'],
      boundObject: { kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
    });
    const claims = decodeJwt(token) as Record<string, unknown> & { exp: number; iat: number };
    assert.equal(claims.sub, 'system:serviceaccount:modern-app:web');
    assert.deepEqual(claims.aud, ['vault', 'https://kubernetes.default.svc.cluster.local']);
    assert.equal(claims.exp - claims.iat, 1200);
    const scoped = claims['kubernetes.io'] as { namespace: string; serviceaccount: { name: string }; pod: { name: string; uid: string } };
    assert.equal(scoped.namespace, 'modern-app');
    assert.equal(scoped.serviceaccount.name, 'web');
    assert.deepEqual(scoped.pod, { name: pod.metadata.name, uid: pod.metadata.uid });
  });

  it('reports a missing service account as not found, not as a cluster without TokenRequest', async () => {
    await assert.rejects(admin.requestToken('modern-app', 'nobody', { expirationSeconds: 600 }), (error: unknown) => {
      return isClusterError(error) && error.kind === 'not-found' && !/does not support/.test(error.message);
    });
  });

  it('asks the API server whether a token is accepted (TokenReview)', async () => {
    const token = await admin.requestToken('modern-app', 'web', { expirationSeconds: 600 });
    const accepted = await admin.tokenReview(token);
    assert.equal(accepted.authenticated, true);
    assert.equal(accepted.user, 'system:serviceaccount:modern-app:web');
    assert.ok(accepted.groups.includes('system:serviceaccounts:modern-app'));
    const rejected = await admin.tokenReview(`${token.slice(0, -4)}AAAA`);
    assert.equal(rejected.authenticated, false);
    assert.ok(rejected.error && !rejected.error.includes(token.split('.')[1]));
    await assert.rejects(viewer.tokenReview(token), (error: unknown) => isClusterError(error) && error.kind === 'forbidden');
  });

  it('fetches the issuer keys through the kubeconfig connection; they verify a requested token', async () => {
    const keys = await admin.fetchIssuerKeys();
    assert.ok('jwks' in keys, JSON.stringify(keys));
    assert.equal(keys.issuer, 'https://kubernetes.default.svc.cluster.local');
    const token = await admin.requestToken('modern-app', 'web', { expirationSeconds: 600 });
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys.jwks), { issuer: keys.issuer ?? undefined });
    assert.equal(payload.sub, 'system:serviceaccount:modern-app:web');
    const raw = JSON.parse(await kubectl('get', '--raw', '/openid/v1/jwks'));
    assert.deepEqual(keys.jwks, raw);
  });

  it('reports a 403 on the discovery endpoints as forbidden, not as a bad token', async () => {
    assert.deepEqual(await viewer.fetchIssuerKeys(), { forbidden: true });
  });

  it('shows a Secret as YAML with every value masked and no managedFields', async () => {
    const text = await admin.getObjectYaml('Secret', 'legacy-app', 'legacy-api-token-x7k2p');
    const secret = parse(text);
    assert.equal(secret.metadata.name, 'legacy-api-token-x7k2p');
    assert.equal(secret.metadata.managedFields, undefined);
    assert.match(secret.data.token, /^<masked: \d+ bytes>$/);
    const real = JSON.parse(await kubectl('get', 'secret', 'legacy-api-token-x7k2p', '-n', 'legacy-app', '-o', 'json'));
    for (const value of Object.values(real.data as Record<string, string>)) assert.ok(!text.includes(value));
    assert.ok(!text.includes('eyJ'));
    const pod = parse(await admin.getObjectYaml('Pod', 'modern-app', 'web-5c8d7f9b4-h2x9t'));
    assert.equal(pod.kind, 'Pod');
  });
});
