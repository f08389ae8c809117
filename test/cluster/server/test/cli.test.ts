// `npm run cluster`'s contract: the ready line (port and kubeconfig path), usage errors, clean stop on signals.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as jose from 'jose';
import { parse, parseAllDocuments } from 'yaml';
import { kubectl } from '../../kubectl';

const main = join(__dirname, '..', 'main.ts');

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => stdout.includes('\n') && resolve(stdout));
    void exited.then(() => reject(new Error(`exited: ${stderr}`)));
  });
  ready.catch(() => undefined); // awaited only by tests that expect a start
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('npm run cluster', () => {
  it('prints one ready line with port and kubeconfig, serves kubectl, and stops on SIGTERM', async () => {
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sa-cli-')), 'config');
    const server = start(['--kubeconfig', kubeconfig, '--data', 'demo']);
    const line = await server.ready;
    const port = /port (\d+)/.exec(line)?.[1];
    assert.match(line, /ready/);
    assert.ok(line.includes(kubeconfig));
    const config = parse(readFileSync(kubeconfig, 'utf8')) as {
      'current-context': string;
      clusters: { cluster: { server: string } }[];
      contexts: { name: string }[];
    };
    assert.equal(config.clusters[0].cluster.server, `https://127.0.0.1:${port}`);
    assert.equal(config['current-context'], 'sa-demo');
    assert.deepEqual(
      config.contexts.map((context) => context.name),
      ['sa-demo', 'sa-demo-restricted', 'sa-demo-developer'],
    );
    assert.equal(
      (await kubectl(kubeconfig, ['get', 'namespace', 'legacy-app', '-o', 'name'])).stdout.trim(),
      'namespace/legacy-app',
    );
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('--demo-tokens: the demo workspace tokens, minted by this cluster, verify with its key and pass its TokenReview', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-cli-'));
    const kubeconfig = join(dir, 'config');
    const file = join(dir, 'demo-tokens.json');
    const server = start(['--kubeconfig', kubeconfig, '--data', 'demo', '--demo-tokens', file]);
    try {
      await server.ready;
      const demo = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      const key = createPublicKey(demo.publicKeyPem);
      const review = async (token: string) => {
        const request = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } };
        const result = await kubectl(
          kubeconfig,
          ['create', '--validate=false', '-f', '-', '-o', 'json'],
          JSON.stringify(request),
        );
        return (JSON.parse(result.stdout) as { status: { authenticated?: boolean; user?: { username: string } } })
          .status;
      };
      for (const [name, user] of [
        ['boundToken', 'system:serviceaccount:modern-app:web'],
        ['legacyToken', 'system:serviceaccount:legacy-app:legacy-api'],
      ]) {
        await jose.compactVerify(demo[name], key);
        const status = await review(demo[name]);
        assert.equal(status.authenticated, true, name);
        assert.equal(status.user?.username, user);
      }
      const bound = jose.decodeJwt(demo.boundToken) as { 'kubernetes.io': { pod: { name: string; uid: string } } };
      const pod = await kubectl(kubeconfig, [
        'get',
        'pod',
        '-n',
        'modern-app',
        'web-5c8d7f9b4-h2x9t',
        '-o',
        'jsonpath={.metadata.uid}',
      ]);
      assert.deepEqual(bound['kubernetes.io'].pod, { name: 'web-5c8d7f9b4-h2x9t', uid: pod.stdout });
      await jose.compactVerify(demo.expiredToken, key);
      assert.ok((jose.decodeJwt(demo.expiredToken).exp ?? Infinity) < Date.now() / 1000 - 3000, 'expired an hour ago');
      assert.equal((await review(demo.expiredToken)).authenticated ?? false, false);
      // The demo workspace's manifests live in this cluster's namespaces (issue 18 item 1: one story).
      const manifests = join(import.meta.dirname, '../../../../demo/manifests');
      const namespaces = new Set(
        readdirSync(manifests).flatMap((name) =>
          parseAllDocuments(readFileSync(join(manifests, name), 'utf8')).map(
            (document) => (document.toJS() as { metadata?: { namespace?: string } } | null)?.metadata?.namespace,
          ),
        ),
      );
      assert.ok(namespaces.size > 0 && !namespaces.has(undefined), 'every demo manifest names its namespace');
      for (const namespace of namespaces) {
        const found = await kubectl(kubeconfig, ['get', 'namespace', namespace!, '-o', 'name']);
        assert.equal(found.stdout.trim(), `namespace/${namespace}`);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('rejects bad arguments with one line and exit 2', async () => {
    const server = start(['--kubeconfig', '/tmp/x', '--fault', 'meteor']);
    assert.equal(await server.exited, 2);
    const { stderr } = server.output();
    assert.equal(stderr.trim().split('\n').length, 1);
    assert.match(stderr, /unknown --fault "meteor"/);
  });
});
