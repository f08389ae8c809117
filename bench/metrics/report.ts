// report_contexts_concurrency_gain: `sa-token report`'s work (each cluster's lists fetched once, then inventory,
// doctor and RBAC judged) over 8 local API servers with demo data, each its own process: the time one cluster after
// the other takes, over the time with all 8 at once (the fleet runner the CLI and the view use). Interleaved, in
// this process, with the product's own client; a run that does not reach every server fails the measurement.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCluster } from '../../src/core/report/analyze';
import { runFleet } from '../../src/core/report/fleet';
import type { ClusterReport } from '../../src/core/report/model';
import { connect } from '../../src/kube/index';
import { startTestCluster, type TestCluster } from '../../scripts/lib/cluster';
import { ms, type BenchContext, type MetricResult } from '../lib/result';
import { interleave, summarize } from '../lib/stats';

export const REPORT_KEY = 'report_contexts_concurrency_gain';
const TARGET = { atLeast: 3 };
const CLUSTERS = 8;

export async function measureReportConcurrency(context: BenchContext): Promise<MetricResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-report-'));
  const clusters: TestCluster[] = [];
  try {
    context.log(`starting ${CLUSTERS} local API servers (demo data)`);
    const started = await Promise.allSettled(
      Array.from({ length: CLUSTERS }, (_, index) => {
        const dir = join(scratch, `c${index}`);
        mkdirSync(dir);
        return startTestCluster(dir, { data: 'demo', timeoutMs: 180_000 });
      }),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') clusters.push(outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const targets = clusters.map((cluster, index) => ({
      context: `cluster-${index}`,
      server: '',
      kubeconfig: cluster.kubeconfig,
    }));
    let reports: ClusterReport[] = [];
    const run = (concurrency: number) => async () => {
      const started = performance.now();
      reports = await runFleet(
        targets,
        async (target, signal) => {
          const connection = await connect({ kubeconfigPath: target.kubeconfig, timeoutMs: 30_000 });
          try {
            return await analyzeCluster(await connection.reportPicture({ signal }), { now: new Date() });
          } finally {
            connection.close();
          }
        },
        { concurrency, timeoutMs: 120_000 },
      );
      const elapsed = performance.now() - started;
      const failed = reports.find((report) => report.verdict === 'unreachable');
      // A cluster that failed fast would flatter either side.
      if (failed) throw new Error(`a cluster was unreachable: ${failed.reasons[0]}`);
      return elapsed;
    };
    const samples = await interleave(
      { sequential: run(1), concurrent: run(CLUSTERS) },
      { reps: context.quick ? 3 : 7, warmup: 1 },
    );
    const sequential = summarize(samples.sequential);
    const concurrent = summarize(samples.concurrent);
    return {
      key: REPORT_KEY,
      value: sequential.median / concurrent.median,
      target: TARGET,
      absolute: `median ${ms(sequential.median)} one after the other vs ${ms(concurrent.median)} all ${CLUSTERS} at once`,
      details: {
        clusters: CLUSTERS,
        pods: reports.reduce((sum, report) => sum + report.counts.pods, 0),
        sequentialMs: sequential,
        concurrentMs: concurrent,
      },
      invalid: reports.length === CLUSTERS ? undefined : 'not every cluster was reported',
    };
  } finally {
    await Promise.all(clusters.map((cluster) => cluster.service.stop()));
    rmSync(scratch, { recursive: true, force: true });
  }
}
