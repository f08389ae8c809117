// Interleaved A/B measurement: machines are shared and noisy, so every ratio compares two things measured
// alternately in the same run, and reports medians (robust to outliers) with p99 and extremes alongside.
import { performance } from 'node:perf_hooks';

export interface Stats {
  n: number;
  median: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of already sorted samples. */
function percentile(sorted: number[], fraction: number): number {
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    n: sorted.length,
    median,
    p99: percentile(sorted, 0.99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
  };
}

/** Wall-clock milliseconds taken by one synchronous call. */
export function wallTimeOnce(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

export const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * CPU milliseconds (user + system of this process) taken by one synchronous call. In-process work is timed in
 * CPU time: on a shared, oversubscribed machine wall time mostly measures the neighbours' load (a 100 ms batch
 * is preempted many times, a 2 ms one rarely), which would skew a ratio between a long and a short case.
 */
export function cpuTimeOnce(work: () => unknown): number {
  const start = cpuMs();
  work();
  return cpuMs() - start;
}

/** One measurement of a case: returns the sample (usually milliseconds). */
export type Trial = () => number | Promise<number>;

export interface InterleaveOptions {
  reps: number;
  /** Discarded rounds first: JIT, caches and page faults settle. */
  warmup: number;
}

/**
 * Runs every case once per round, alternating the order (A B, B A, …) so slow drift in machine load hits
 * each case equally. Returns the samples per case, warm-up rounds excluded.
 */
export async function interleave<K extends string>(
  cases: Record<K, Trial>,
  { reps, warmup }: InterleaveOptions,
): Promise<Record<K, number[]>> {
  const names = Object.keys(cases) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + reps; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      collectGarbage();
      const sample = await cases[name]();
      if (round >= warmup) samples[name].push(sample);
    }
  }
  return samples;
}

/** Ratio of medians, both measured in the same interleaved run. */
export function medianRatio(numerator: readonly number[], denominator: readonly number[]): number {
  return summarize(numerator).median / summarize(denominator).median;
}

/** Collect garbage between samples when node runs with --expose-gc, so one case does not pay for another's. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Like `interleave`, but alternates the cases on every item (e.g. every file of a corpus) and sums per pass:
 * a pass takes seconds, and a noisy neighbour's burst then lands on both cases instead of one whole pass.
 * Returns one total (CPU ms) per case per pass, warm-up passes excluded.
 */
export function interleaveItems<T, K extends string>(
  items: readonly T[],
  cases: Record<K, (item: T) => unknown>,
  { reps, warmup }: InterleaveOptions,
): Record<K, number[]> {
  const names = Object.keys(cases) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let pass = 0; pass < warmup + reps; pass++) {
    const totals = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
    items.forEach((item, index) => {
      const order = (index + pass) % 2 === 0 ? names : [...names].reverse();
      for (const name of order) totals[name] += cpuTimeOnce(() => cases[name](item));
    });
    if (pass >= warmup) for (const name of names) samples[name].push(totals[name]);
  }
  return samples;
}
