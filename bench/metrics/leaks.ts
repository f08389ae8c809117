// leak_scan_log_scaling and leak_scan_kubeconfig_scaling: the leak scan (SAT301, SAT302) is linear in its input — a
// CI log eight times as long, a kubeconfig with eight times the users, cost about eight times as much CPU.
import { scanForTokenProblems, type ScanOptions } from '../../src/core/tokens/scan';
import { ms, type BenchContext, type MetricResult } from '../lib/result';
import { cpuTimeOnce, interleave, summarize } from '../lib/stats';
import type { Minter } from '../workloads/tokens';

/** Linear is 8; the target leaves room for noise and cache effects, not for a quadratic step. */
const TARGET = { atMost: 10 };

/** A CI log of `lines` lines, a bearer token (expired or not, legacy or bound) on every 50th. */
function ciLog(lines: number, tokens: readonly string[]): string {
  return Array.from({ length: lines }, (_, i) =>
    i % 50 === 25
      ? `2026-11-28T10:00:${String(i % 60).padStart(2, '0')}Z curl -H "Authorization: Bearer ${tokens[i % tokens.length]}" https://10.0.0.1:6443/api`
      : `2026-11-28T10:00:${String(i % 60).padStart(2, '0')}Z step ${i}: ${'ok '.repeat(20)}`,
  ).join('\n');
}

/** A kubeconfig with `users` users, each presenting a token. */
function kubeconfig(users: number, tokens: readonly string[]): string {
  const entries = Array.from(
    { length: users },
    (_, i) => `- name: user-${i}\n  user:\n    token: ${tokens[i % tokens.length]}\n`,
  );
  return `apiVersion: v1\nkind: Config\nusers:\n${entries.join('')}`;
}

async function scaling(
  context: BenchContext,
  key: string,
  small: string,
  large: string,
  options: ScanOptions,
  unit: string,
): Promise<MetricResult> {
  const found = (text: string) => scanForTokenProblems(text, options).length;
  const [smallCount, largeCount] = [found(small), found(large)];
  const samples = await interleave(
    {
      small: () => cpuTimeOnce(() => scanForTokenProblems(small, options)),
      large: () => cpuTimeOnce(() => scanForTokenProblems(large, options)),
    },
    { reps: context.quick ? 5 : 15, warmup: 2 },
  );
  const smallStats = summarize(samples.small);
  const largeStats = summarize(samples.large);
  return {
    key,
    value: largeStats.median / smallStats.median,
    target: TARGET,
    absolute: `${ms(largeStats.median)} for 8× the ${unit} vs ${ms(smallStats.median)} (${largeCount} vs ${smallCount} findings; linear: 8)`,
    details: { smallMs: smallStats, largeMs: largeStats, chars: [small.length, large.length] },
    invalid:
      largeCount === 8 * smallCount
        ? undefined
        : `findings do not scale with the input: ${smallCount} vs ${largeCount}`,
  };
}

export async function measureLeakScan(context: BenchContext, minter: Minter): Promise<MetricResult[]> {
  const tokens = [
    await minter.legacy('ci', 'builder', 'builder-token-x7k2q'),
    await minter.bound('ci', 'deployer', 'deploy-5f6d7'),
  ];
  const lines = context.quick ? 2_000 : 10_000;
  const users = context.quick ? 200 : 1_000;
  context.log(`leak scan: a CI log of ${lines} vs ${8 * lines} lines, a kubeconfig of ${users} vs ${8 * users} users`);
  const log: ScanOptions = { committed: true, expired: 'kubeconfig', fileName: 'build.log' };
  const config: ScanOptions = { ...log, fileName: 'ci.kubeconfig' };
  return [
    await scaling(context, 'leak_scan_log_scaling', ciLog(lines, tokens), ciLog(8 * lines, tokens), log, 'lines'),
    await scaling(
      context,
      'leak_scan_kubeconfig_scaling',
      kubeconfig(users, tokens),
      kubeconfig(8 * users, tokens),
      config,
      'users',
    ),
  ];
}
