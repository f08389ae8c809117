// Runs one analysis per context, a bounded number at once (the work is mostly waiting on API servers), each with its
// own deadline: a cluster that fails, hangs or is cancelled is reported unreachable, never fails the whole run.
// Results come back in the order of the contexts given, whatever order they finish in.
import { unreachableReport } from './analyze';
import type { ClusterReport } from './model';

export interface FleetTarget {
  context: string;
  server: string;
}

export type FleetProgress =
  | { type: 'start'; context: string; running: number; done: number; total: number }
  | { type: 'done'; context: string; report: ClusterReport; elapsedMs: number; done: number; total: number };

export interface FleetOptions {
  /** Clusters analysed at once (at least 1). */
  concurrency: number;
  /** Per cluster, from its start. */
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (event: FleetProgress) => void;
}

/** Default clusters at once: enough to overlap the waiting, few enough to keep memory to a few clusters' lists. */
export const DEFAULT_FLEET_CONCURRENCY = 8;

export async function runFleet<T extends FleetTarget>(
  targets: readonly T[],
  analyze: (target: T, signal: AbortSignal) => Promise<ClusterReport>,
  options: FleetOptions,
): Promise<ClusterReport[]> {
  const results: ClusterReport[] = new Array(targets.length);
  let next = 0;
  let running = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index];
      running++;
      options.onProgress?.({ type: 'start', context: target.context, running, done, total: targets.length });
      const started = Date.now();
      const report = await analyzeWithin(target, analyze, options);
      running--;
      done++;
      results[index] = report;
      options.onProgress?.({
        type: 'done',
        context: target.context,
        report,
        elapsedMs: Date.now() - started,
        done,
        total: targets.length,
      });
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function analyzeWithin<T extends FleetTarget>(
  target: T,
  analyze: (target: T, signal: AbortSignal) => Promise<ClusterReport>,
  options: FleetOptions,
): Promise<ClusterReport> {
  if (options.signal?.aborted) return unreachableReport(target.context, target.server, 'cancelled');
  const deadline = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  // Resolves even when the analysis ignores the abort: a hung cluster never holds up the report.
  const timedOut = new Promise<ClusterReport>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort();
      resolve(
        unreachableReport(target.context, target.server, `no answer within ${seconds} s (the per-cluster timeout)`),
      );
    }, options.timeoutMs);
  });
  const cancelled = new Promise<ClusterReport>((resolve) => {
    const onAbort = () => resolve(unreachableReport(target.context, target.server, 'cancelled'));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const analysed = analyze(target, signal).catch((error: unknown) =>
    unreachableReport(target.context, target.server, error instanceof Error ? error.message : String(error)),
  );
  try {
    return await Promise.race([analysed, timedOut, cancelled]);
  } finally {
    clearTimeout(timer);
  }
}
