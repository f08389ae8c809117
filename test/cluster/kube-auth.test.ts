// Credentials the way users have them: exec plugins, several KUBECONFIG files merged, a chosen context.
// kubectl runs with the same kubeconfig as the oracle.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { connect, isClusterError, listContexts } from '../../src/kube/index';
import { adminContext, startLocalCluster, viewerContext, type LocalCluster } from './server/index';

const run = promisify(execFile);

describe('kubeconfig credentials and contexts', () => {
  let cluster: LocalCluster;
  let dir: string;
  const clusterEntry = () => ({ name: 'local', cluster: { server: cluster.url, 'certificate-authority-data': Buffer.from(cluster.caPem).toString('base64') } });

  /** A kubeconfig whose user runs `plugin` (a Node script) as a client-go exec credential plugin. */
  function execKubeconfig(name: string, plugin: string): string {
    const script = join(dir, `${name}.cjs`);
    writeFileSync(script, plugin);
    const path = join(dir, `${name}.yaml`);
    const user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script], interactiveMode: 'Never' } };
    writeFileSync(
      path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [clusterEntry()],
        users: [{ name: 'plugin-user', user }],
        contexts: [{ name: 'via-plugin', context: { cluster: 'local', user: 'plugin-user' } }],
        'current-context': 'via-plugin',
      }),
    );
    return path;
  }

  before(async () => {
    cluster = await startLocalCluster({ data: 'demo' });
    dir = mkdtempSync(join(tmpdir(), 'sa-auth-'));
  });
  after(() => cluster.stop());

  it('authenticates through an exec credential plugin, like kubectl', async () => {
    const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: cluster.tokens.admin } };
    const kubeconfig = execKubeconfig('good-plugin', `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});`);
    const connection = await connect({ kubeconfigPath: kubeconfig, timeoutMs: 10_000 });
    try {
      const namespaces = await connection.listNamespaces();
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespaces', '-o', 'name']);
      assert.deepEqual(namespaces, stdout.trim().split('\n').map((line) => line.replace('namespace/', '')).sort());
      assert.ok('jwks' in (await connection.fetchIssuerKeys()), 'the plugin user is the admin');
    } finally {
      connection.close();
    }
  });

  it('a failing exec plugin is one clear error, not a crash', async () => {
    const kubeconfig = execKubeconfig('bad-plugin', `process.stderr.write('login required'); process.exit(1);`);
    const connection = await connect({ kubeconfigPath: kubeconfig, timeoutMs: 10_000 });
    try {
      await assert.rejects(connection.listNamespaces(), (error: unknown) => {
        assert.ok(isClusterError(error));
        assert.equal(error.kind, 'unauthorized');
        assert.match(error.message, /^cannot get credentials for user "plugin-user"/);
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    } finally {
      connection.close();
    }
  });

  it('merges the files of KUBECONFIG and switches context without writing them', async () => {
    const clusterFile = join(dir, 'cluster.yaml');
    writeFileSync(clusterFile, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [clusterEntry()], users: [], contexts: [] }));
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = [cluster.kubeconfigPath, clusterFile].join(delimiter);
    try {
      assert.deepEqual(
        listContexts().map((context) => [context.name, context.current]),
        [
          [adminContext, true],
          [viewerContext, false],
        ],
      );
      const viewer = await connect({ context: viewerContext, timeoutMs: 10_000 });
      assert.equal(viewer.context, viewerContext);
      assert.deepEqual(await viewer.fetchIssuerKeys(), { forbidden: true });
      viewer.close();
      const { stdout } = await run('kubectl', ['config', 'current-context']);
      assert.equal(stdout.trim(), adminContext, 'the kubeconfig on disk still names the admin context');
    } finally {
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
    }
  });
});
