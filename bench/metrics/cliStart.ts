// cli_decode_vs_node_ratio: `sa-token decode <token>` as a whole process (the built dist/cli.js) ÷ `node -e 0`, the
// floor of any Node CLI. Both run with the same preloaded probe that reports the process's CPU time at exit: CPU
// time, because on a shared machine a 60 ms process's wall time mostly measures the neighbours. Interleaved.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ms, pending, type BenchContext, type MetricResult } from '../lib/result';
import { interleave, summarize } from '../lib/stats';

const KEY = 'cli_decode_vs_node_ratio';
const TARGET = { atMost: 1.25 };

function runMeasured(args: string[]): { cpuMs: number; wallMs: number } {
  const probe = join(__dirname, '../probes/cpu-at-exit.cjs');
  const result = spawnSync(process.execPath, ['--require', probe, ...args], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`node ${args.join(' ').slice(0, 40)}… exited ${result.status}`);
  const [cpuMs, wallMs] = String(result.output[3]).trim().split(' ').map(Number);
  return { cpuMs, wallMs };
}

export async function measureCliDecode(context: BenchContext, token: string): Promise<MetricResult> {
  const cli = join(context.repoRoot, 'dist/cli.js');
  if (!existsSync(cli)) return pending(KEY, TARGET, 'dist/cli.js is not built');
  const wall: Record<'decode' | 'node', number[]> = { decode: [], node: [] };
  const measured = (name: 'decode' | 'node', args: string[]) => () => {
    const run = runMeasured(args);
    wall[name].push(run.wallMs);
    return run.cpuMs;
  };
  context.log('cli start: sa-token decode vs node -e 0, whole processes');
  const samples = await interleave(
    { decode: measured('decode', [cli, 'decode', token]), node: measured('node', ['-e', '0']) },
    { reps: context.quick ? 15 : 40, warmup: 3 },
  );
  const decode = summarize(samples.decode);
  const node = summarize(samples.node);
  return {
    key: KEY,
    value: decode.median / node.median,
    target: TARGET,
    absolute: `decode ${ms(decode.median)} vs node -e 0 ${ms(node.median)} CPU per process (wall ${ms(summarize(wall.decode).median)} vs ${ms(summarize(wall.node).median)})`,
    details: {
      decodeCpuMs: decode,
      nodeCpuMs: node,
      decodeWallMs: summarize(wall.decode),
      nodeWallMs: summarize(wall.node),
    },
  };
}
