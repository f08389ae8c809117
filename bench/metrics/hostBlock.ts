// ext_host_max_block_ms and web_host_max_block_ms: how long linting a 10 MB, 20,000-document file after a one-line
// edit holds the thread other extensions share. The desktop's extension host hands the lint to the YAML engine's
// worker thread (src/manifestEngineLoader.ts running dist/manifest-worker.js); the browser's host runs the same engine
// in-process in short slices (core/slices.ts). Both end with the diagnostics built on the host's thread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { diagnosticMessage } from '../../src/core/manifests/diagnosticMessage';
import { ManifestFileAnalyzer } from '../../src/core/manifests/incremental';
import { analyzeManifest } from '../../src/core/manifests/lint';
import type { LintOptions, ManifestAnalysis } from '../../src/core/manifests/types';
import { runInSlices } from '../../src/core/slices';
import { LineIndex } from '../../src/core/text';
import { desktopManifestEngine, WorkerManifestEngine } from '../../src/manifestEngineLoader';
import { ms, type BenchContext, type MetricResult } from '../lib/result';
import { cpuMs } from '../lib/stats';
import type { Corpus } from '../workloads/corpus';

const DOCUMENTS = 20_000;
const OPTIONS: LintOptions = { fileName: 'bundle.yaml' };

/**
 * A file of `count` documents and `bytes` in all, cut from the corpus (names made unique per copy), each document
 * padded to the size with a comment block like the license headers generated files carry. The corpus' planted
 * problems make about one finding per five documents, each with its quick fixes: the reply the host receives is sized
 * like a real one.
 */
function bundleOf(corpus: Corpus, count: number, bytes: number): string {
  const documents: string[] = [];
  for (const file of corpus.files) documents.push(...file.text.split(/^---\n/m).filter((doc) => doc.trim()));
  const size = Math.floor(bytes / count);
  const fitting = documents.filter((doc) => doc.length < size - 4);
  const header = '# Copyright The Authors. Licensed under the Apache License, Version 2.0; generated, do not edit.\n';
  return Array.from({ length: count }, (_, i) => {
    const doc = fitting[i % fitting.length];
    const unique = i < fitting.length ? doc : doc.replace(/^(  name: .*)$/m, `$1-copy${i}`);
    const padding = header.repeat(Math.max(0, Math.round((size - unique.length - 4) / header.length)));
    return `${padding}${unique}`;
  }).join('---\n');
}

/** The n-th one-line edit: a container image tag somewhere in the file, alternating so every edit changes it. */
function edited(text: string, n: number): string {
  const at = text.indexOf('image: "registry', (text.length * (n % 7)) / 8) + 'image: "registry'.length;
  return `${text.slice(0, at)}${n % 2 ? '-mirror' : '-cache'}${text.slice(at)}`;
}

/**
 * What the host's thread does with an analysis (features/manifests/analysis.ts): positions and the displayed message
 * of each finding, 500 per step. The line index stands for the document's own (VS Code rebuilds it after an edit).
 */
function* diagnosticsOf(analysis: ManifestAnalysis, source: string): Generator<void, unknown[]> {
  const lines = new LineIndex(source);
  yield;
  const diagnostics: unknown[] = [];
  for (let from = 0; from < analysis.findings.length; from += 500) {
    for (const finding of analysis.findings.slice(from, from + 500))
      diagnostics.push([lines.positionAt(finding.start), lines.positionAt(finding.end), diagnosticMessage(finding)]);
    yield;
  }
  return diagnostics;
}

/** Everything a finding is, fixes included: the results must equal a one-shot lint's. */
const canonical = (analysis: ManifestAnalysis) =>
  JSON.stringify([
    analysis.findings.map(({ rule, severity, start, end, message, subject, fixes }) => [
      rule,
      severity,
      start,
      end,
      message,
      subject ?? null,
      fixes,
    ]),
    analysis.parseProblems,
  ]);

/**
 * CPU time of the calling thread and its time waiting for a CPU while runnable (Linux; scheduler ticks, ~4 ms), or
 * undefined where they cannot be read.
 */
function threadSchedule(): { cpu: number; waiting: number } | undefined {
  try {
    const [cpu, waiting] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { cpu: cpu / 1e6, waiting: waiting / 1e6 };
  } catch {
    return undefined;
  }
}

/** The host thread's CPU time where Linux says it, else the process' (which counts the worker and GC helpers too). */
const hostCpuMs = (): number => threadSchedule()?.cpu ?? cpuMs();

/**
 * The longest time the event loop went without turning while `work` ran: a 1 ms timer notes each turn, and the gap
 * between two notes is a block (the host could answer no other extension). Its CPU time on this thread is the value
 * (other processes on a shared machine stretch wall time); the longest wall-clock gap, how much of it the thread
 * waited for a CPU, and Node's event loop delay are reported beside it.
 */
async function longestBlock<T>(
  work: () => Promise<T>,
): Promise<{ result: T; cpu: number; wall: number; waiting: number; delay: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let cpu = 0;
  let wall = 0;
  let waiting = 0;
  const sample = () => ({ wall: performance.now(), cpu: hostCpuMs(), waiting: threadSchedule()?.waiting ?? 0 });
  let last = sample();
  const note = () => {
    const now = sample();
    cpu = Math.max(cpu, now.cpu - last.cpu);
    if (now.wall - last.wall > wall) [wall, waiting] = [now.wall - last.wall, now.waiting - last.waiting];
    last = now;
  };
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    note();
    timer = setTimeout(tick, 1);
  };
  histogram.enable();
  timer = setTimeout(tick, 1);
  try {
    const result = await work();
    note();
    return { result, cpu, wall, waiting, delay: histogram.max / 1e6 };
  } finally {
    clearTimeout(timer);
    histogram.disable();
  }
}

/**
 * ext_host_max_block_ms: the desktop. The product's loader starts the built worker; the file is opened, then edited
 * `edits` times; each time the host joins the document's lines into its text (`getText()`), posts it, receives the
 * analysis (its structured clone is read on the host's thread) and builds the diagnostics in slices as the extension
 * does. The value is the longest block of the host's thread over the edits. INVALID when the worker's findings differ
 * from a one-shot in-process lint of the same text.
 */
export async function measureExtHostBlock(context: BenchContext, corpus: Corpus): Promise<MetricResult> {
  if (threadSchedule() === undefined) context.log('ext host: no per-thread CPU clock, the worker counts too');
  const text = bundleOf(corpus, DOCUMENTS, 10_000_000);
  const engine = desktopManifestEngine(join(context.repoRoot, 'dist'));
  if (!(engine instanceof WorkerManifestEngine)) {
    engine.dispose();
    return { ...result('ext_host_max_block_ms', 0, ''), value: null, pending: 'dist/manifest-worker.js is not built' };
  }
  context.log(`ext host (worker): ${(text.length / 1e6).toFixed(1)} MB, ${DOCUMENTS} documents, opened, then edited`);
  const lint = (source: string) =>
    longestBlock(async () => {
      const analysis = (await engine.analyze('file:///bundle.yaml', source, OPTIONS, 0))!;
      const diagnostics = (await runInSlices(diagnosticsOf(analysis, source)))!;
      return { analysis, diagnostics: diagnostics.length };
    });
  try {
    // The document as the host keeps it: lines, joined into one string when the extension asks for its text.
    const opened = await lint(text.split('\n').join('\n'));
    const edits = context.quick ? 3 : 8;
    const runs = [];
    let last = text;
    for (let n = 1; n <= edits; n++) {
      const lines = (last = edited(text, n)).split('\n');
      runs.push(await lint(lines.join('\n')));
    }
    const { analysis } = runs[runs.length - 1].result;
    const same = canonical(analysis) === canonical(analyzeManifest(last, OPTIONS));
    const cpu = Math.max(...runs.map((run) => run.cpu));
    const longest = runs.reduce((a, b) => (b.wall > a.wall ? b : a));
    return {
      ...result(
        'ext_host_max_block_ms',
        cpu,
        `longest block ${ms(cpu)} CPU; longest wall-clock gap ${ms(longest.wall)}, ${ms(longest.waiting)} of it waiting for a CPU (event loop delay ${ms(Math.max(...runs.map((run) => run.delay)))}) over ${edits} edits, ${analysis.findings.length} findings with their fixes sent back each time; opening the file: ${ms(opened.cpu)} CPU`,
      ),
      details: {
        chars: text.length,
        findings: analysis.findings.length,
        perEditMaxCpuMs: runs.map((run) => run.cpu),
        perEditMaxWallMs: runs.map((run) => run.wall),
        perEditMaxWallRunQueueMs: runs.map((run) => run.waiting),
        perEditEventLoopDelayMaxMs: runs.map((run) => run.delay),
        openingMaxCpuMs: opened.cpu,
      },
      invalid: same ? undefined : "the worker's analysis differs from a one-shot lint of the same text",
    };
  } finally {
    engine.dispose();
  }
}

/**
 * web_host_max_block_ms: the browser's host, where the engine runs in-process: the kept analysis re-run in slices by
 * the very scheduler the extension uses (core/slices.ts), then the diagnostics. The value is the longest slice in CPU
 * time of this thread (a major GC of the heap holding the parsed documents counts where it lands); the wall-clock
 * longest is in the details. INVALID when the sliced result differs from a one-shot lint.
 */
export async function measureWebHostBlock(context: BenchContext, corpus: Corpus): Promise<MetricResult> {
  const text = bundleOf(corpus, DOCUMENTS, 10_000_000);
  const analyzer = new ManifestFileAnalyzer();
  context.log(`web host (sliced): ${(text.length / 1e6).toFixed(1)} MB, ${DOCUMENTS} documents, opened, then edited`);
  const sliced = async (source: string) => {
    const cpu: number[] = [];
    const wall: number[] = [];
    let sliceCpu = 0;
    function* measured<T>(steps: Generator<void, T>): Generator<void, T> {
      for (;;) {
        const started = hostCpuMs();
        const step = steps.next();
        sliceCpu += hostCpuMs() - started;
        if (step.done) return step.value;
        yield;
      }
    }
    function* lintThenDiagnostics(): Generator<void, ManifestAnalysis> {
      const analysis = yield* analyzer.steps(source, OPTIONS, 'workspace');
      yield* diagnosticsOf(analysis, source);
      return analysis;
    }
    const analysis = await runInSlices(measured(lintThenDiagnostics()), {
      onSlice: (milliseconds) => {
        wall.push(milliseconds);
        cpu.push(sliceCpu);
        sliceCpu = 0;
      },
    });
    return { analysis: analysis!, cpu: Math.max(...cpu), wall: Math.max(...wall), slices: cpu.length };
  };
  const opened = await sliced(text);
  context.log(`web host: opening took ${opened.slices} slices, longest ${ms(opened.cpu)} CPU`);
  const edits = context.quick ? 3 : 8;
  const runs = [];
  for (let n = 1; n <= edits; n++) runs.push(await sliced(edited(text, n)));
  const { analysis } = runs[runs.length - 1];
  const same = canonical(analysis) === canonical(analyzeManifest(edited(text, edits), OPTIONS));
  const cpu = Math.max(...runs.map((run) => run.cpu));
  return {
    ...result(
      'web_host_max_block_ms',
      cpu,
      `longest slice ${ms(cpu)} CPU (${ms(Math.max(...runs.map((run) => run.wall)))} wall) over ${edits} edits, ~${Math.round(runs.reduce((sum, run) => sum + run.slices, 0) / edits)} slices each, ${analysis.findings.length} findings; opening the file: longest ${ms(opened.cpu)} CPU`,
    ),
    details: {
      chars: text.length,
      findings: analysis.findings.length,
      perEditMaxCpuMs: runs.map((run) => run.cpu),
      perEditMaxWallMs: runs.map((run) => run.wall),
      openingMaxCpuMs: opened.cpu,
    },
    invalid: same ? undefined : 'the sliced analysis differs from a one-shot lint of the same text',
  };
}

const result = (key: string, value: number, absolute: string): MetricResult => ({
  key,
  value,
  target: { atMost: 50 },
  absolute,
  details: {},
});
