// Issue 20's scale rules, on the product's own path (connect → reportPicture → analyzeCluster inside runFleet, as
// `sa-token report` and the Upgrade Readiness Report run it) against a local API server with the `large` data set,
// scaled down. Each list is fetched once per cluster and shared by the inventory, the doctor and RBAC (the requests
// the server sees). Memory is bounded by the largest cluster, not the sum: each cluster's picture (its lists as
// fetched, src/kube/report.ts) is garbage once its summary (ClusterReport) is computed — the reports, the
// connections and the fleet runner hold no reference to it (WeakRefs and a forced collection).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeCluster } from '../../src/core/report/analyze';
import { runFleet } from '../../src/core/report/fleet';
import type { ClusterReport } from '../../src/core/report/model';
import { connect, type ClusterConnection } from '../../src/kube/index';
import { startLocalCluster, type LocalCluster } from './server/index';

// V8's gc() without restarting node with --expose-gc: the flag takes effect for contexts created after it is set.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * How many of `refs` are still reachable after collecting. A WeakRef only lets go after the job that made or read
 * it, and a finished request's last callbacks run a few turns later: collect on later turns, up to five times.
 */
async function heldAfterCollecting(refs: WeakRef<object>[]): Promise<number> {
  let held = refs.length;
  for (let round = 0; round < 5 && held > 0; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    held = refs.filter((ref) => ref.deref() !== undefined).length;
  }
  return held;
}

/** Heap in use after a collection. */
async function heapUsed(): Promise<number> {
  await heldAfterCollecting([new WeakRef({})]);
  return process.memoryUsage().heapUsed;
}

const CLUSTERS = 4;

describe('sa-token report at scale', () => {
  let cluster: LocalCluster;

  before(async () => {
    // 100 namespaces, 500 ServiceAccounts and token Secrets, 1,500 pods: lists of a few MB as fetched.
    cluster = await startLocalCluster({
      data: 'large',
      scale: 0.05,
      kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sa-report-memory-')), 'kubeconfig'),
    });
  });

  after(async () => {
    await cluster?.stop();
  });

  it('fetches each list once, page by page, for the inventory, the doctor and RBAC together', async () => {
    const requests: string[] = [];
    const onRequest = (request: IncomingMessage) => requests.push(request.url ?? '');
    cluster.httpServer.on('request', onRequest);
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 30_000 });
    try {
      const report = await analyzeCluster(await connection.reportPicture(), { now: new Date() });
      assert.ok(report.failingChecks.length > 0 && report.risks.length > 0, 'the doctor and RBAC judged the lists');
    } finally {
      connection.close();
      cluster.httpServer.off('request', onRequest);
    }
    const firstPages = requests
      .filter((url) => !new URL(url, 'https://x').searchParams.has('continue'))
      .map((url) => new URL(url, 'https://x').pathname)
      .sort();
    const rbac = '/apis/rbac.authorization.k8s.io/v1';
    assert.deepEqual(firstPages, [
      '/api/v1',
      '/api/v1/namespaces/kube-system/configmaps/kube-apiserver-legacy-service-account-token-tracking',
      '/api/v1/pods',
      '/api/v1/secrets',
      '/api/v1/serviceaccounts',
      '/apis/authentication.k8s.io/v1',
      `${rbac}/clusterrolebindings`,
      `${rbac}/clusterroles`,
      `${rbac}/rolebindings`,
      `${rbac}/roles`,
      '/version',
    ]);
    // Long lists (1,500 pods) come in pages of 500: each further page once, nothing per pod, Secret or namespace.
    const furtherPages = requests.filter((url) => new URL(url, 'https://x').searchParams.has('continue'));
    assert.ok(furtherPages.some((url) => url.startsWith('/api/v1/pods?')));
    assert.equal(new Set(furtherPages).size, furtherPages.length, 'no page twice');
    for (const url of furtherPages) assert.ok(firstPages.includes(new URL(url, 'https://x').pathname), url);
  });

  it("frees each cluster's lists once its report is computed, while the reports and connections live on", async (t) => {
    const before = await heapUsed();
    /** Heap in use while the first cluster's picture is held (its lists, as fetched and reduced). */
    let withOnePicture = 0;
    const connections: ClusterConnection[] = [];
    const pictures: { context: string; lists: WeakRef<object>[] }[] = [];
    /** Per cluster from the second on: how many of the previous clusters' lists were still reachable at its start. */
    const heldAtStart: number[] = [];
    const targets = Array.from({ length: CLUSTERS }, (_, index) => ({ context: `cluster-${index}`, server: '' }));
    const reports: ClusterReport[] = await runFleet(
      targets,
      async (target, signal) => {
        if (pictures.length) heldAtStart.push(await heldAfterCollecting(pictures.flatMap((picture) => picture.lists)));
        const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 30_000 });
        connections.push(connection);
        try {
          const picture = await connection.reportPicture({ signal });
          assert.ok(picture.pods.length >= 1000, `the picture holds the cluster's pods (${picture.pods.length})`);
          if (!withOnePicture) withOnePicture = (await heapUsed()) - before;
          pictures.push({
            context: target.context,
            lists: [
              picture,
              picture.inventory,
              picture.inventory.serviceAccounts,
              picture.pods,
              picture.serviceAccounts,
              picture.tokenSecrets,
              ...(picture.rbac ? [picture.rbac] : []),
            ].map((list) => new WeakRef(list)),
          });
          return await analyzeCluster(picture, { now: new Date() });
        } finally {
          connection.close();
        }
      },
      // One at a time: at most one cluster's lists are alive (at concurrency N, N clusters' lists).
      { concurrency: 1, timeoutMs: 120_000 },
    );
    assert.deepEqual(
      reports.map((report) => [report.verdict, report.counts.pods >= 1000]),
      targets.map(() => ['will-break', true]),
    );
    assert.deepEqual(heldAtStart, [0, 0, 0], "a cluster's lists are gone before the next cluster is fetched");
    assert.equal(
      await heldAfterCollecting(pictures.flatMap((picture) => picture.lists)),
      0,
      'no report, connection or the fleet runner keeps a reference to any list',
    );
    const withReports = (await heapUsed()) - before;
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    t.diagnostic(
      `heap kept by the ${CLUSTERS} clusters' reports: ${mb(withReports)}; by one cluster's picture: ${mb(withOnePicture)}`,
    );
    // Still in use after the check, so that it was the lists, not the reports or connections, that went.
    assert.equal(reports.length + connections.length, 2 * CLUSTERS);
  });
});
