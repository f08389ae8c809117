import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { kubeconfigFiles, listContexts, loadKubeconfig } from '../../../src/kube/config';
import { isClusterError } from '../../../src/kube/errors';

const dir = mkdtempSync(join(tmpdir(), 'sa-token-kubeconfig-'));
const SECRET = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

function kubeconfig(
  file: string,
  current: string,
  entries: { context: string; cluster: string; server: string; skipTls?: boolean }[],
): string {
  const path = join(dir, file);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    clusters: entries.map((e) => ({
      name: e.cluster,
      cluster: { server: e.server, 'insecure-skip-tls-verify': e.skipTls ?? false },
    })),
    users: entries.map((e) => ({ name: `${e.context}-user`, user: { token: SECRET } })),
    contexts: entries.map((e) => ({
      name: e.context,
      context: { cluster: e.cluster, user: `${e.context}-user`, namespace: 'team-a' },
    })),
  };
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

const first = kubeconfig('first.yaml', 'dev', [
  { context: 'dev', cluster: 'shared', server: 'https://first.example:6443' },
]);
const second = kubeconfig('second.yaml', 'prod', [
  { context: 'prod', cluster: 'prod', server: 'https://prod.example:6443', skipTls: true },
  { context: 'dev', cluster: 'shared', server: 'https://second.example:6443' },
]);

const expectConfigError = (run: () => unknown, message: RegExp) =>
  assert.throws(
    run,
    (error: unknown) =>
      isClusterError(error) &&
      error.kind === 'config' &&
      message.test(error.message) &&
      !error.message.includes(SECRET),
  );

describe('kubeconfig loading', () => {
  it('merges KUBECONFIG files the way kubectl does: first definition and first current-context win', () => {
    const env = { KUBECONFIG: [first, join(dir, 'does-not-exist.yaml'), second].join(delimiter) };
    assert.deepEqual(kubeconfigFiles(undefined, env), [first, second]);
    const loaded = loadKubeconfig({}, env);
    assert.equal(loaded.context, 'dev');
    assert.equal(loaded.cluster.server, 'https://first.example:6443');
    assert.deepEqual(loaded.warnings, []);
  });

  it('uses an explicit path over KUBECONFIG and lets a context be chosen without touching the files', () => {
    const loaded = loadKubeconfig({ kubeconfigPath: second, context: 'prod' }, { KUBECONFIG: first });
    assert.equal(loaded.context, 'prod');
    assert.equal(loaded.kubeConfig.getCurrentContext(), 'prod');
    assert.deepEqual(
      listContexts(second).map((c) => [c.name, c.current]),
      [
        ['prod', true],
        ['dev', false],
      ],
    );
  });

  it('warns when the kubeconfig itself disables TLS verification', () => {
    const loaded = loadKubeconfig({ kubeconfigPath: second });
    assert.equal(loaded.warnings.length, 1);
    assert.match(loaded.warnings[0], /insecure-skip-tls-verify/);
  });

  it('fails with one clear config error for a missing file, an unknown context or no kubeconfig', () => {
    expectConfigError(() => loadKubeconfig({ kubeconfigPath: join(dir, 'nope.yaml') }), /does not exist/);
    expectConfigError(
      () => loadKubeconfig({ kubeconfigPath: first, context: 'staging' }),
      /context "staging" is not in the kubeconfig; choose one of: dev/,
    );
    expectConfigError(() => loadKubeconfig({}, { HOME: dir }), /no kubeconfig found/);
    assert.deepEqual(kubeconfigFiles(undefined, { HOME: dir }), []);
  });

  it('reports invalid YAML by position without quoting the file (it may hold a token)', () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, `users:\n- name: u\n  user:\n    token: ${SECRET}\n   bad: [\n`);
    expectConfigError(() => loadKubeconfig({ kubeconfigPath: broken }), /cannot be read: invalid YAML .* line \d+/);
  });
});

describe('server URL checks', () => {
  it('refuses plain http without the kubeconfig opting out of TLS, and invalid URLs', () => {
    const plain = kubeconfig('plain.yaml', 'p', [{ context: 'p', cluster: 'plain', server: 'http://127.0.0.1:8080' }]);
    expectConfigError(
      () => loadKubeconfig({ kubeconfigPath: plain }),
      /plain http:\/\/ without insecure-skip-tls-verify/,
    );
    const invalid = kubeconfig('invalid.yaml', 'i', [{ context: 'i', cluster: 'bad', server: 'not a url' }]);
    expectConfigError(() => loadKubeconfig({ kubeconfigPath: invalid }), /invalid server URL/);
  });
});
