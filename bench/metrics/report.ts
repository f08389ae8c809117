// report_contexts_concurrency_gain: `sa-token report`'s work (each cluster's lists fetched once, then inventory,
// doctor and RBAC judged) over 8 local API servers with demo data, each its own process: the time one cluster after
// the other takes, over the time with all 8 at once (the fleet runner the CLI and the view use). Interleaved, in
// this process, with the product's own client; a run that does not reach every server fails the measurement.
// Real clusters are remote: each server answers every request ROUND_TRIP_MS after it arrives, and a new connection's
// first request two round trips later still (over loopback the "waiting" would be nothing but the 8 servers' and the
// client's CPU on this machine's 2 cores, which no concurrency can overlap). `details` says how the CPU divides
// between the client and the servers.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
/**
 * A round trip from a workstation to a managed cluster's API endpoint in a nearby cloud region (20–80 ms is typical;
 * the API server's own time to answer a list from its watch cache comes on top and is not simulated). A request on a
 * new connection waits two more, for the TCP and TLS handshakes (test/cluster/server/server.ts): the report opens
 * about ten connections per cluster at once (one per list in flight, HTTP/1.1), a kept-alive one carries the rest.
 */
export const ROUND_TRIP_MS = 50;
/** Linux clock ticks per second (USER_HZ) in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_S = 100;

/** CPU milliseconds (user + system) used so far by a process and all its descendants (the server is npm → tsx →
 * node), read from /proc; 0 for a process already gone. */
function processTreeCpuMs(pid: number): number {
  let ticks = 0;
  const visit = (id: number) => {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      for (const task of readdirSync(`/proc/${id}/task`)) {
        for (const child of readFileSync(`/proc/${id}/task/${task}/children`, 'utf8').split(' ').filter(Boolean))
          visit(Number(child));
      }
    } catch {
      // exited meanwhile
    }
  };
  visit(pid);
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

const clientCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export async function measureReportConcurrency(context: BenchContext): Promise<MetricResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-report-'));
  const clusters: TestCluster[] = [];
  try {
    context.log(`starting ${CLUSTERS} local API servers (demo data)`);
    const started = await Promise.allSettled(
      Array.from({ length: CLUSTERS }, (_, index) => {
        const dir = join(scratch, `c${index}`);
        mkdirSync(dir);
        return startTestCluster(dir, { data: 'demo', timeoutMs: 180_000, roundTripMs: ROUND_TRIP_MS });
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
    const serversCpuMs = () =>
      clusters.reduce(
        (sum, cluster) => sum + (cluster.service.child.pid ? processTreeCpuMs(cluster.service.child.pid) : 0),
        0,
      );
    const cpu = {
      sequential: { client: [] as number[], servers: [] as number[] },
      concurrent: { client: [] as number[], servers: [] as number[] },
    };
    const run = (concurrency: number) => async () => {
      const [clientBefore, serversBefore] = [clientCpuMs(), serversCpuMs()];
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
      const side = cpu[concurrency === 1 ? 'sequential' : 'concurrent'];
      side.client.push(clientCpuMs() - clientBefore);
      side.servers.push(serversCpuMs() - serversBefore);
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
      absolute: `median ${ms(sequential.median)} one after the other vs ${ms(concurrent.median)} all ${CLUSTERS} at once; servers answer after a ${ROUND_TRIP_MS} ms round trip; CPU per run: client ${ms(summarize(cpu.sequential.client).median)}, servers ${ms(summarize(cpu.sequential.servers).median)}`,
      details: {
        clusters: CLUSTERS,
        roundTripMs: ROUND_TRIP_MS,
        // Warm-up rounds included: CPU per round hardly changes after the first.
        cpuMsPerRun: {
          sequential: { client: summarize(cpu.sequential.client), servers: summarize(cpu.sequential.servers) },
          concurrent: { client: summarize(cpu.concurrent.client), servers: summarize(cpu.concurrent.servers) },
        },
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
