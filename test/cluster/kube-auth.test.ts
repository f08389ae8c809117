// Credentials the way users have them: exec plugins, several KUBECONFIG files merged, a chosen context.
// kubectl runs with the same kubeconfig as the oracle.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { connect, isClusterError, listContexts } from '../../src/kube/index';
import { adminContext, developerContext, startLocalCluster, viewerContext, type LocalCluster } from './server/index';

const run = promisify(execFile);

describe('kubeconfig credentials and contexts', () => {
  let cluster: LocalCluster;
  let dir: string;
  const clusterEntry = () => ({
    name: 'local',
    cluster: { server: cluster.url, 'certificate-authority-data': Buffer.from(cluster.caPem).toString('base64') },
  });

  /** A kubeconfig whose user runs `plugin` (a Node script) as a client-go exec credential plugin. */
  function execKubeconfig(name: string, plugin: string): string {
    const script = join(dir, `${name}.cjs`);
    writeFileSync(script, plugin);
    const path = join(dir, `${name}.yaml`);
    const user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [script],
        interactiveMode: 'Never',
      },
    };
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
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: cluster.tokens.admin },
    };
    const kubeconfig = execKubeconfig(
      'good-plugin',
      `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});`,
    );
    const connection = await connect({ kubeconfigPath: kubeconfig, timeoutMs: 10_000 });
    try {
      const namespaces = await connection.listNamespaces();
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespaces', '-o', 'name']);
      assert.deepEqual(
        namespaces,
        stdout
          .trim()
          .split('\n')
          .map((line) => line.replace('namespace/', ''))
          .sort(),
      );
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
    writeFileSync(
      clusterFile,
      stringify({ apiVersion: 'v1', kind: 'Config', clusters: [clusterEntry()], users: [], contexts: [] }),
    );
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = [cluster.kubeconfigPath, clusterFile].join(delimiter);
    try {
      assert.deepEqual(
        listContexts().map((context) => [context.name, context.current]),
        [
          [adminContext, true],
          [viewerContext, false],
          [developerContext, false],
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

  it('authenticates with a client certificate from the kubeconfig (TLS verification on both sides)', async () => {
    const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
    const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    await openssl(
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      '/CN=cert-test-ca',
      '-days',
      '1',
    );
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    for (const [name, subject, extensions] of [
      ['server', '/CN=127.0.0.1', ['-extfile', 'san.ext']],
      ['client', '/CN=cert-user', []],
    ] as const) {
      await openssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      await openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '1',
        ...extensions,
      );
    }
    const file = (name: string) => readFileSync(join(dir, name));
    // Answers a namespace list naming the client certificate's CN: proof of which identity reached it.
    const server = createServer(
      {
        key: file('server.key'),
        cert: file('server.crt'),
        ca: file('ca.crt'),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (request, response) => {
        const subject = (request.socket as TLSSocket).getPeerCertificate().subject.CN;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            kind: 'NamespaceList',
            apiVersion: 'v1',
            metadata: {},
            items: [{ metadata: { name: subject } }],
          }),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base64 = (name: string) => file(name).toString('base64');
    const kubeconfig = join(dir, 'cert.yaml');
    writeFileSync(
      kubeconfig,
      stringify({
        clusters: [
          {
            name: 'cert',
            cluster: {
              server: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
              'certificate-authority-data': base64('ca.crt'),
            },
          },
        ],
        users: [
          {
            name: 'cert-user',
            user: { 'client-certificate-data': base64('client.crt'), 'client-key-data': base64('client.key') },
          },
        ],
        contexts: [{ name: 'cert', context: { cluster: 'cert', user: 'cert-user' } }],
        'current-context': 'cert',
      }),
    );
    const connection = await connect({ kubeconfigPath: kubeconfig, timeoutMs: 10_000 });
    try {
      assert.deepEqual(await connection.listNamespaces(), ['cert-user']);
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/api/v1/namespaces']);
      assert.equal(JSON.parse(stdout).items[0].metadata.name, 'cert-user', 'kubectl presents the same identity');
    } finally {
      connection.close();
      server.close();
    }
  });
});
