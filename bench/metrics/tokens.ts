// hover_large_vs_small_ratio, hover_p99_ms and decode_vs_floor_ratio, with real minted tokens.
import { importIfPresent } from '../lib/optional';
import { pending, ms, type BenchContext, type MetricResult } from '../lib/result';
import { cpuTimeOnce, interleave, summarize, wallTimeOnce } from '../lib/stats';
import type { TokenFile } from '../workloads/tokens';

interface Match {
  start: number;
  end: number;
}
type ReportOrError = { error: string } | Record<string, unknown>;
interface TokenModules {
  findTokenAt(text: string, offset: number): Match | undefined;
  inspectMatch(match: Match, options: { now: Date }): ReportOrError;
  inspectToken(input: string, options: { now: Date }): ReportOrError;
  explainMarkdown(report: ReportOrError, options: { timeZone: 'utc'; now: Date }): string;
}

const NOW = new Date();
const HOVER_TARGET = { atMost: 1.5 };
const DECODE_TARGET = { atMost: 2 };

const FINDER = ['src/core/tokens/finder.ts', ['findTokenAt']] as const;
const INSPECT = ['src/core/tokens/inspect.ts', ['inspectMatch', 'inspectToken']] as const;
const EXPLAIN = ['src/core/tokens/explain.ts', ['explainMarkdown']] as const;

/** The token core's functions from the given modules, or why they are not there yet. */
async function loadTokenCore(
  context: BenchContext,
  parts: (readonly [string, readonly string[]])[],
): Promise<TokenModules | string> {
  const modules: Record<string, unknown> = {};
  for (const [path, names] of parts) {
    const loaded = await importIfPresent<Record<string, unknown>>(context.repoRoot, path, [...names]);
    if ('missing' in loaded) return loaded.missing;
    Object.assign(modules, loaded.module);
  }
  return modules as unknown as TokenModules;
}

/** What the hover provider does for one hover: find the token on the hovered line, inspect it, render markdown. */
function hover(core: TokenModules, text: string, offset: number): string {
  const match = core.findTokenAt(text, offset);
  if (!match) throw new Error(`no token found at offset ${offset}`);
  const report = core.inspectMatch(match, { now: NOW });
  if ('error' in report) throw new Error(`token at offset ${offset} did not decode: ${String(report.error)}`);
  return core.explainMarkdown(report, { timeZone: 'utc', now: NOW });
}

export async function measureHover(context: BenchContext, small: TokenFile, large: TokenFile): Promise<MetricResult[]> {
  const core = await loadTokenCore(context, [FINDER, INSPECT, EXPLAIN]);
  if (typeof core === 'string') {
    return [pending('hover_large_vs_small_ratio', HOVER_TARGET, core), pending('hover_p99_ms', { report: true }, core)];
  }
  context.log(`hover: ${small.lines}-line vs ${large.lines}-line file`);
  const wall: Record<'small' | 'large', number[]> = { small: [], large: [] };
  const cycle = (name: 'small' | 'large', file: TokenFile) => {
    let next = 0;
    return () => {
      let cpu = 0;
      const offset = file.hoverOffsets[next++ % file.hoverOffsets.length];
      wall[name].push(wallTimeOnce(() => (cpu = cpuTimeOnce(() => hover(core, file.text, offset)))));
      return cpu;
    };
  };
  const reps = context.quick ? 500 : 3000;
  const samples = await interleave(
    { small: cycle('small', small), large: cycle('large', large) },
    { reps, warmup: 200 },
  );
  const smallStats = summarize(samples.small);
  const largeStats = summarize(samples.large);
  const largeWall = summarize(wall.large.slice(200));
  const details = {
    smallFile: {
      lines: small.lines,
      chars: small.text.length,
      cpuMs: smallStats,
      wallMs: summarize(wall.small.slice(200)),
    },
    largeFile: { lines: large.lines, chars: large.text.length, cpuMs: largeStats, wallMs: largeWall },
  };
  return [
    {
      key: 'hover_large_vs_small_ratio',
      value: largeStats.median / smallStats.median,
      target: HOVER_TARGET,
      absolute: `median ${ms(largeStats.median)} (${large.lines} lines) vs ${ms(smallStats.median)} (${small.lines} lines)`,
      details,
    },
    {
      key: 'hover_p99_ms',
      value: largeStats.p99,
      target: { report: true },
      unit: 'ms',
      absolute: `CPU p99 over ${largeStats.n} hovers on the ${large.lines}-line file; max ${ms(largeStats.max)}; wall p99 ${ms(largeWall.p99)} (machine load)`,
      details: {},
    },
  ];
}

/** The floor: the least any decoder must do, base64url-decode and JSON.parse the header and the payload. */
function bareDecode(jwt: string): unknown[] {
  const [header, payload] = jwt.split('.', 2);
  return [
    JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  ];
}

export async function measureDecode(context: BenchContext, tokens: string[]): Promise<MetricResult> {
  const key = 'decode_vs_floor_ratio';
  const core = await loadTokenCore(context, [INSPECT]);
  if (typeof core === 'string') return pending(key, DECODE_TARGET, core);
  const failures = tokens.filter((token) => 'error' in core.inspectToken(token, { now: NOW })).length;
  context.log(`decode: ${tokens.length} tokens per batch, inspectToken vs bare decode`);
  const batch = (decode: (token: string) => unknown) => () =>
    cpuTimeOnce(() => {
      for (const token of tokens) decode(token);
    });
  // Diagnostic third case: inspectMatch on an already located token shows what locating the token costs.
  const located = new Map(tokens.map((jwt) => [jwt, { start: 0, end: jwt.length, source: 'jwt', jwt }]));
  const samples = await interleave(
    {
      inspect: batch((token) => core.inspectToken(token, { now: NOW })),
      inspectMatch: batch((token) => core.inspectMatch(located.get(token) as Match, { now: NOW })),
      floor: batch(bareDecode),
    },
    { reps: context.quick ? 30 : 100, warmup: 10 },
  );
  const inspect = summarize(samples.inspect);
  const floor = summarize(samples.floor);
  const inspectMatch = summarize(samples.inspectMatch);
  const perToken = (stats: { median: number }) => (stats.median * 1000) / tokens.length;
  return {
    key,
    value: inspect.median / floor.median,
    target: DECODE_TARGET,
    absolute: `${perToken(inspect).toFixed(1)} µs vs ${perToken(floor).toFixed(1)} µs per token (inspectMatch alone ${perToken(inspectMatch).toFixed(1)} µs)`,
    details: {
      tokensPerBatch: tokens.length,
      inspectBatchMs: inspect,
      floorBatchMs: floor,
      inspectMatchBatchMs: inspectMatch,
      inspectMatchVsFloor: inspectMatch.median / floor.median,
      undecodable: failures,
    },
    invalid: failures ? `${failures} minted tokens did not decode` : undefined,
  };
}
