// hover_large_vs_small_ratio, hover_p99_ms and decode_vs_floor_ratio, with real minted tokens.
import { explainMarkdown } from '../../src/core/tokens/explain';
import { findTokenAt } from '../../src/core/tokens/finder';
import { inspectMatch, inspectToken } from '../../src/core/tokens/inspect';
import type { TokenMatch } from '../../src/core/tokens/types';
import { ms, type BenchContext, type MetricResult } from '../lib/result';
import { cpuTimeOnce, interleave, summarize, wallTimeOnce } from '../lib/stats';
import type { TokenFile } from '../workloads/tokens';

const NOW = new Date();
const HOVER_TARGET = { atMost: 1.5 };
const DECODE_TARGET = { atMost: 2 };

/** What the hover provider does for one hover: find the token on the hovered line, inspect it, render markdown. */
function hover(text: string, offset: number): string {
  const match = findTokenAt(text, offset);
  if (!match) throw new Error(`no token found at offset ${offset}`);
  const report = inspectMatch(match, { now: NOW });
  if ('error' in report) throw new Error(`token at offset ${offset} did not decode: ${String(report.error)}`);
  return explainMarkdown(report, { timeZone: 'utc', now: NOW });
}

export async function measureHover(context: BenchContext, small: TokenFile, large: TokenFile): Promise<MetricResult[]> {
  context.log(`hover: ${small.lines}-line vs ${large.lines}-line file`);
  const wall: Record<'small' | 'large', number[]> = { small: [], large: [] };
  const cycle = (name: 'small' | 'large', file: TokenFile) => {
    let next = 0;
    return () => {
      let cpu = 0;
      const offset = file.hoverOffsets[next++ % file.hoverOffsets.length];
      wall[name].push(wallTimeOnce(() => (cpu = cpuTimeOnce(() => hover(file.text, offset)))));
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
  const failures = tokens.filter((token) => 'error' in inspectToken(token, { now: NOW })).length;
  context.log(`decode: ${tokens.length} tokens per batch, inspectToken vs bare decode`);
  const batch = (decode: (token: string) => unknown) => () =>
    cpuTimeOnce(() => {
      for (const token of tokens) decode(token);
    });
  // Diagnostic third case: inspectMatch on an already located token shows what locating the token costs.
  const located = new Map(
    tokens.map((jwt): [string, TokenMatch] => [jwt, { start: 0, end: jwt.length, source: 'jwt', jwt }]),
  );
  const samples = await interleave(
    {
      inspect: batch((token) => inspectToken(token, { now: NOW })),
      inspectMatch: batch((token) => inspectMatch(located.get(token)!, { now: NOW })),
      floor: batch(bareDecode),
    },
    { reps: context.quick ? 30 : 100, warmup: 10 },
  );
  const inspect = summarize(samples.inspect);
  const floor = summarize(samples.floor);
  const locatedStats = summarize(samples.inspectMatch);
  const perToken = (stats: { median: number }) => (stats.median * 1000) / tokens.length;
  return {
    key,
    value: inspect.median / floor.median,
    target: DECODE_TARGET,
    absolute: `${perToken(inspect).toFixed(1)} µs vs ${perToken(floor).toFixed(1)} µs per token (inspectMatch alone ${perToken(locatedStats).toFixed(1)} µs)`,
    details: {
      tokensPerBatch: tokens.length,
      inspectBatchMs: inspect,
      floorBatchMs: floor,
      inspectMatchBatchMs: locatedStats,
      inspectMatchVsFloor: locatedStats.median / floor.median,
      undecodable: failures,
    },
    invalid: failures ? `${failures} minted tokens did not decode` : undefined,
  };
}
