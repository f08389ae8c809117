// Every fault the local API server can inject ends in a specific ClusterError (or a partial result) within the timeout.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { connect, isClusterError, type ClusterConnection, type ClusterErrorKind } from '../../src/kube/index';
import { MAX_THROTTLE_RETRIES } from '../../src/kube/http';
import { startLocalCluster, viewerContext, type FaultMode, type LocalCluster } from './server/index';
import { closedPort } from '../support/net';

/** Long enough for healthy requests on a loaded 2-core machine running 4 test files at once. */
const TIMEOUT_MS = 3000;
/** Time allowed beyond the timeout for the failure to surface (a loaded 2-core machine). */
const SLACK_MS = 2000;

describe('cluster faults', () => {
  let cluster: LocalCluster;
  let connection: ClusterConnection;
  let secretValues: string[];

  before(async () => {
    cluster = await startLocalCluster({ data: 'demo', tokenControllerDelayMs: 0 });
    connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: TIMEOUT_MS });
    secretValues = [cluster.tokens.admin, cluster.tokens.viewer];
  });
  after(async () => {
    connection.close();
    cluster.setFault(null);
    await cluster.stop();
  });

  /** Runs `operation` under `fault` and checks the error's kind, message and that it came in time. */
  async function expectFailure(
    fault: FaultMode | null,
    operation: () => Promise<unknown>,
    kind: ClusterErrorKind,
    message: RegExp,
    within = TIMEOUT_MS + SLACK_MS,
  ) {
    cluster.setFault(fault);
    const started = Date.now();
    try {
      await assert.rejects(operation(), (error: unknown) => {
        assert.ok(isClusterError(error), `a ClusterError, got ${String(error)}`);
        assert.equal(error.kind, kind, error.message);
        assert.match(error.message, message);
        for (const value of secretValues) assert.ok(!error.message.includes(value), 'no credential in the message');
        return true;
      });
    } finally {
      cluster.setFault(null);
    }
    assert.ok(Date.now() - started < within, `failed after ${Date.now() - started} ms`);
  }

  it('latency beyond the timeout: timeout, within the timeout', () =>
    expectFailure(
      'latency',
      () => connection.inventory(),
      'timeout',
      /did not answer within 3 s while trying to list/,
    ));

  it('cancellation: cancelled at once', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expectFailure(
      'latency',
      () => connection.inventory({ signal: controller.signal }),
      'cancelled',
      /cancelled/,
      // At once: well before the timeout would have ended it.
      TIMEOUT_MS / 2,
    );
  });

  it('connection reset mid-list: unreachable', () =>
    expectFailure('reset-mid-list', () => connection.inventory(), 'unreachable', /connection reset/));

  it('401 (expired credentials): unauthorized', () =>
    expectFailure('unauthorized', () => connection.inventory(), 'unauthorized', /rejected the credentials \(401\)/));

  it('500s: server error naming the status', () =>
    expectFailure('server-error', () => connection.inventory(), 'server', /failed \(500\)/));

  it('malformed JSON: malformed', () =>
    expectFailure('malformed-json', () => connection.inventory(), 'malformed', /malformed JSON/));

  it('404 on TokenRequest: this cluster does not support TokenRequest', () =>
    expectFailure(
      'no-tokenrequest',
      () => connection.requestToken('modern-app', 'web', { expirationSeconds: 600 }),
      'not-found',
      /does not support TokenRequest/,
    ));

  it('a token controller that never fills the Secret: timeout naming the empty Secret', async () => {
    await expectFailure(
      'token-controller-stuck',
      () => connection.createTokenSecret('modern-app', 'web', { timeoutMs: 1000 }),
      'timeout',
      /did not fill Secret web-token-[a-z0-9]{5} in namespace modern-app within 1 s; the Secret exists but is empty/,
      1000 + SLACK_MS,
    );
  });

  it('cancelling the wait for the token says which Secret was left behind', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await expectFailure(
      'token-controller-stuck',
      () => connection.createTokenSecret('modern-app', 'web', { timeoutMs: 5000, signal: controller.signal }),
      'cancelled',
      /^cancelled while waiting for the token; Secret web-token-[a-z0-9]{5} in namespace modern-app was created and is kept$/,
      1000,
    );
  });

  it('403 on secrets only: the rest of the inventory is still there', async () => {
    cluster.setFault('forbid-secrets');
    try {
      const inventory = await connection.inventory();
      assert.ok(inventory.serviceAccounts.some((sa) => sa.pods.length > 0));
      assert.deepEqual(inventory.errors, [
        {
          resource: 'secrets',
          namespace: null,
          reason: 'forbidden: can list serviceaccounts and pods but not secrets in any namespace',
        },
      ]);
    } finally {
      cluster.setFault(null);
    }
  });

  it('429 with Retry-After on secrets: bounded retries, then a partial inventory saying why (bug 5)', async () => {
    cluster.setFault('throttle-secrets');
    const before = cluster.cluster.throttled;
    try {
      const inventory = await connection.inventory();
      assert.ok(inventory.serviceAccounts.some((sa) => sa.pods.length > 0));
      assert.deepEqual(inventory.errors, [
        {
          resource: 'secrets',
          namespace: null,
          reason:
            'the API server is throttling requests (429 Too Many Requests) and still refused after retries to list secrets in all namespaces',
        },
      ]);
      // One try and MAX_THROTTLE_RETRIES retries, each after the server's Retry-After.
      assert.equal(cluster.cluster.throttled - before, 1 + MAX_THROTTLE_RETRIES);
    } finally {
      cluster.setFault(null);
    }
  });

  it('429 beyond the server seats: the per-namespace fallback backs off and completes (bug 5)', async () => {
    const viewer = await connect({ kubeconfigPath: cluster.kubeconfigPath, context: viewerContext, timeoutMs: 5000 });
    const whole = await viewer.inventory();
    cluster.setFault('too-many-requests');
    const before = cluster.cluster.throttled;
    try {
      const throttled = await viewer.inventory();
      assert.ok(cluster.cluster.throttled > before, 'the fallback ran into the seat limit');
      assert.deepEqual(throttled, whole, 'the same inventory as without throttling');
    } finally {
      cluster.setFault(null);
      viewer.close();
    }
  });

  it('404 on the JWKS: unavailable, with the reason', async () => {
    cluster.setFault('no-jwks');
    try {
      const keys = await connection.fetchIssuerKeys();
      assert.ok(
        'unavailable' in keys && /does not serve \/openid\/v1\/jwks/.test(keys.unavailable),
        JSON.stringify(keys),
      );
    } finally {
      cluster.setFault(null);
    }
  });

  it('a wrong CA in the kubeconfig: tls, never a silent fallback', async () => {
    const wrong = await startLocalCluster({ data: 'empty', wrongCa: true });
    const wrongConnection = await connect({ kubeconfigPath: wrong.kubeconfigPath, timeoutMs: TIMEOUT_MS });
    try {
      await expectFailure(
        null,
        () => wrongConnection.listNamespaces(),
        'tls',
        /TLS verification of https:\/\/127\.0\.0\.1:\d+ failed/,
      );
    } finally {
      wrongConnection.close();
      await wrong.stop();
    }
  });

  it('nothing listening: unreachable, and the CLI says so in one line with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-faults-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      readFileSync(cluster.kubeconfigPath, 'utf8').replace(cluster.url, `https://127.0.0.1:${await closedPort()}`),
    );
    const dead = await connect({ kubeconfigPath: kubeconfig, timeoutMs: TIMEOUT_MS });
    await expectFailure(
      null,
      () => dead.inventory(),
      'unreachable',
      /cannot reach https:\/\/127\.0\.0\.1:\d+ \(connection refused\)/,
    );
    dead.close();
    const cli = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'src/cli.ts',
      'inventory',
      '--kubeconfig',
      kubeconfig,
      '--timeout',
      '1',
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(cli.code, 2);
    assert.match(
      cli.stderr,
      /^sa-token: no usable cluster: cannot reach https:\/\/127\.0\.0\.1:\d+ \(connection refused\) while trying to list \w+ in all namespaces\n$/,
    );
  });
});
