// inventory_vs_kubectl_{time,rss}_ratio and tree_first_paint_ms against the local API server's large data set.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasured, rssMethod, type ChildRun } from '../lib/child';
import { pending, ms, type BenchContext, type MetricResult } from '../lib/result';
import { interleave, summarize } from '../lib/stats';

const TIME_TARGET = { atMost: 0.5 };
const RSS_TARGET = { atMost: 0.5 };
const CHILD_TIMEOUT_MS = 180_000;

interface Contender {
  command: string;
  args: string[];
}

function contenders(repoRoot: string, kubeconfigPath: string): Record<'inventory' | 'kubectl', Contender> {
  return {
    inventory: {
      command: process.execPath,
      args: [join(repoRoot, 'dist/cli.js'), 'inventory', '--json', '--kubeconfig', kubeconfigPath],
    },
    kubectl: {
      command: 'kubectl',
      args: ['--kubeconfig', kubeconfigPath, 'get', 'serviceaccounts,secrets,pods', '-A', '-o', 'json'],
    },
  };
}

/** Accepted exit codes: inventory 0 or 1 (partial); kubectl 0. */
function checkExit(name: string, run: ChildRun): void {
  const ok = name === 'inventory' ? run.exitCode === 0 || run.exitCode === 1 : run.exitCode === 0;
  if (!ok) throw new Error(`${name} exited with ${run.exitCode}: ${run.stderrTail}`);
}

/** One run of each with stdout kept, so we know both saw the same cluster (counts only; output then deleted). */
async function sanityRun(scratch: string, runners: Record<string, Contender>) {
  const counts: Record<string, unknown> = {};
  for (const [name, { command, args }] of Object.entries(runners)) {
    const stdoutPath = join(scratch, `${name}.json`);
    const run = await runMeasured(command, args, { stdoutPath, timeoutMs: CHILD_TIMEOUT_MS });
    checkExit(name, run);
    counts[name] = countObjects(name, JSON.parse(readFileSync(stdoutPath, 'utf8')));
    rmSync(stdoutPath);
  }
  return counts;
}

function countObjects(name: string, output: Record<string, unknown>): Record<string, number> {
  if (name === 'kubectl') {
    const counts: Record<string, number> = {};
    for (const item of output.items as { kind: string }[]) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
    return counts;
  }
  const accounts = (output.serviceAccounts ?? []) as { pods?: unknown[]; tokenSecrets?: unknown[] }[];
  return {
    ServiceAccount: accounts.length,
    TokenSecret: accounts.reduce((sum, account) => sum + (account.tokenSecrets?.length ?? 0), 0),
    Pod: accounts.reduce((sum, account) => sum + (account.pods?.length ?? 0), 0),
    errors: ((output.errors ?? []) as unknown[]).length,
  };
}

export async function measureInventory(
  context: BenchContext,
  kubeconfigPath: string,
  scratch: string,
): Promise<MetricResult[]> {
  const keys = ['inventory_vs_kubectl_time_ratio', 'inventory_vs_kubectl_rss_ratio'] as const;
  const missing = (reason: string) => [pending(keys[0], TIME_TARGET, reason), pending(keys[1], RSS_TARGET, reason)];
  if (!existsSync(join(context.repoRoot, 'dist/cli.js'))) return missing('dist/cli.js is not built');
  const runners = contenders(context.repoRoot, kubeconfigPath);
  const counts = await sanityRun(scratch, runners);
  context.log(`inventory vs kubectl: ${JSON.stringify(counts)}`);
  const rss: Record<string, number[]> = { inventory: [], kubectl: [] };
  const trial = (name: 'inventory' | 'kubectl') => async () => {
    const run = await runMeasured(runners[name].command, runners[name].args, { timeoutMs: CHILD_TIMEOUT_MS });
    checkExit(name, run);
    if (run.peakRssKib !== null) rss[name].push(run.peakRssKib);
    return run.wallMs;
  };
  const samples = await interleave(
    { inventory: trial('inventory'), kubectl: trial('kubectl') }, // The sanity run above was the warm-up (kubectl discovery cache, server page cache).
    { reps: 3, warmup: 0 },
  );
  const time = { inventory: summarize(samples.inventory), kubectl: summarize(samples.kubectl) };
  const memory =
    rss.inventory.length && rss.kubectl.length
      ? { inventory: summarize(rss.inventory), kubectl: summarize(rss.kubectl) }
      : null;
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  return [
    {
      key: keys[0],
      value: time.inventory.median / time.kubectl.median,
      target: TIME_TARGET,
      absolute: `inventory ${ms(time.inventory.median)} vs kubectl ${ms(time.kubectl.median)}`,
      details: { wallMs: time, objectCounts: counts },
    },
    memory
      ? {
          key: keys[1],
          value: memory.inventory.median / memory.kubectl.median,
          target: RSS_TARGET,
          absolute: `inventory ${mib(memory.inventory.median)} vs kubectl ${mib(memory.kubectl.median)} peak RSS`,
          details: { peakRssKib: memory, method: rssMethod },
        }
      : pending(keys[1], RSS_TARGET, 'peak RSS could not be read'),
  ];
}

export function measureTreeFirstPaint(context: BenchContext, kubeconfigPath: string): MetricResult {
  const key = 'tree_first_paint_ms';
  const target = { report: true } as const;
  if (!existsSync(join(context.repoRoot, 'dist/kube.js'))) return pending(key, target, 'dist/kube.js is not built');
  const probe = join(context.repoRoot, 'bench/probes/tree-probe.cjs');
  const reps = context.quick ? 5 : 15;
  const result = spawnSync(process.execPath, [probe, context.repoRoot, kubeconfigPath, String(reps)], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  });
  if (result.status !== 0)
    throw new Error(`the tree probe failed: ${(result.stderr || result.error?.message || '').trim().split('\n')[0]}`);
  const probed = JSON.parse(result.stdout) as {
    loadMs: number;
    firstMs: number;
    refreshMs: number[];
    namespaces: number;
  };
  const refresh = summarize(probed.refreshMs);
  return {
    key,
    value: refresh.median,
    target,
    unit: 'ms',
    absolute: `connect + listNamespaces → ${probed.namespaces} namespaces; first open ${ms(probed.loadMs + probed.firstMs)} incl. loading kube.js`,
    details: {
      refreshMs: refresh,
      firstCallMs: probed.firstMs,
      kubeModuleLoadMs: probed.loadMs,
      namespaces: probed.namespaces,
      measuredThrough: 'dist/kube.js connect() + listNamespaces()',
    },
  };
}
