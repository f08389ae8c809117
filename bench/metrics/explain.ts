// explain_vs_split_ratio: `sa-token explain --json -` over a 50 MB log on stdin (the built CLI: recognise every auth
// error, render the JSON) over the floor any line-oriented tool pays, a Node process reading the same stdin and
// splitting it into lines. Whole processes, as the issue defines it ("sa-token explain over a 50 MB log ÷ splitting
// the same log into lines") and as a user runs it; wall time, interleaved. The recogniser alone vs split in-process
// is reported beside it (details.inProcess), never as the key: it leaves out reading stdin and writing the answer.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainAuthErrors } from '../../src/core/troubleshoot/authErrors';
import { createRng } from '../lib/prng';
import { ms, pending, type BenchContext, type MetricResult } from '../lib/result';
import { cpuTimeOnce, interleave, summarize } from '../lib/stats';

const KEY = 'explain_vs_split_ratio';
const TARGET = { atMost: 3 };
const LOG_BYTES = 50 * 1024 * 1024;

/** Lines a cluster log holds: mostly ordinary (some with trigger words: "not found", "cannot "), 1 in 200 an auth error. */
const ORDINARY = [
  'I1130 10:00:00.000000       1 controller.go:120] "Synced" resource="deployments" namespace="team-0042" duration="3.2ms"',
  '2026-11-30T10:00:00.123Z INFO  http request method=GET path=/api/orders status=200 duration_ms=12',
  'W1130 10:00:01.000000       1 reflector.go:561] failed to list *v1.Pod: the server could not find the requested resource',
  '2026-11-30T10:00:02.000Z WARN  cache miss key=user:1234 (entry not found)',
  'E1130 10:00:03.000000       1 worker.go:88] cannot connect to redis at 10.0.0.7:6379: connection refused',
  '{"level":"info","ts":1732960800.1,"msg":"reconciled","object":{"name":"web","namespace":"shop"},"generation":7}',
];
const AUTH_ERRORS = [
  'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:shop:web" cannot list resource "pods" in API group "" in the namespace "shop"',
  'E1130 10:00:04.000000       1 authentication.go:73] "Unable to authenticate the request" err="[invalid bearer token, service account token has expired]"',
  'panic: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
  'An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience',
  'E1130 "Unable to authenticate the request" err="[invalid bearer token, token audiences [\\"vault\\"] is invalid for the target audiences [\\"https://kubernetes.default.svc\\"]]"',
];

export function generateLog(bytes: number): { text: string; lines: number; errors: number } {
  const rng = createRng(15);
  const parts: string[] = [];
  let size = 0;
  let errors = 0;
  while (size < bytes) {
    const isError = rng.chance(0.005);
    const line = isError ? rng.pick(AUTH_ERRORS) : rng.pick(ORDINARY);
    if (isError) errors++;
    parts.push(line);
    size += line.length + 1;
  }
  return { text: parts.join('\n'), lines: parts.length, errors };
}

/** The floor: a Node process that reads the same log from stdin, decodes it and splits it into lines. */
const SPLIT_SCRIPT =
  "const c=[];process.stdin.on('data',d=>c.push(d)).on('end',()=>process.stdout.write(String(Buffer.concat(c).toString('utf8').split('\\n').length)))";

export async function measureExplain(context: BenchContext): Promise<MetricResult> {
  const cli = join(context.repoRoot, 'dist/cli.js');
  if (!existsSync(cli)) return pending(KEY, TARGET, 'dist/cli.js is not built');
  const log = generateLog(context.quick ? LOG_BYTES / 10 : LOG_BYTES);
  const megabytes = (log.text.length / 2 ** 20).toFixed(0);
  context.log(`explain: ${megabytes} MB log, ${log.lines} lines, ${log.errors} auth errors`);
  const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-explain-'));
  try {
    const logPath = join(scratch, 'cluster.log');
    writeFileSync(logPath, log.text);
    const explainRun = runWithStdin(process.execPath, [cli, 'explain', '--json', '-'], logPath);
    const found = (JSON.parse(explainRun.stdout) as unknown[]).length;
    const samples = await interleave(
      {
        explain: () => runWithStdin(process.execPath, [cli, 'explain', '--json', '-'], logPath, true).wallMs,
        split: () => runWithStdin(process.execPath, ['-e', SPLIT_SCRIPT], logPath, true).wallMs,
      },
      { reps: context.quick ? 3 : 7, warmup: 1 },
    );
    // Diagnostic: the recogniser alone in this process vs String.prototype.split, without process start and I/O.
    const inProcess = await interleave(
      {
        explain: () => cpuTimeOnce(() => JSON.stringify(explainAuthErrors(log.text))),
        split: () => cpuTimeOnce(() => log.text.split('\n').length),
      },
      { reps: context.quick ? 3 : 7, warmup: 1 },
    );
    const explain = summarize(samples.explain);
    const split = summarize(samples.split);
    const coreExplain = summarize(inProcess.explain);
    const coreSplit = summarize(inProcess.split);
    return {
      key: KEY,
      value: explain.median / split.median,
      target: TARGET,
      absolute: `median ${ms(explain.median)} vs ${ms(split.median)} wall for ${log.lines} lines (${megabytes} MB on stdin); recogniser alone ${ms(coreExplain.median)} vs split ${ms(coreSplit.median)} in-process`,
      details: {
        lines: log.lines,
        bytes: log.text.length,
        errors: log.errors,
        found,
        explainWallMs: explain,
        splitWallMs: split,
        inProcess: { explainMs: coreExplain, splitMs: coreSplit, ratio: coreExplain.median / coreSplit.median },
      },
      invalid: found === log.errors ? undefined : `recognised ${found} of ${log.errors} auth errors`,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runWithStdin(command: string, args: string[], stdinPath: string, discard = false) {
  const input = openSync(stdinPath, 'r');
  try {
    const started = performance.now();
    const result = spawnSync(command, args, {
      stdio: [input, discard ? 'ignore' : 'pipe', 'pipe'],
      maxBuffer: 256 * 2 ** 20,
      encoding: 'utf8',
    });
    const wallMs = performance.now() - started;
    if (result.status !== 0)
      throw new Error(`${args[0]} exited with ${result.status}: ${(result.stderr ?? '').trim()}`);
    return { wallMs, stdout: result.stdout ?? '' };
  } finally {
    closeSync(input);
  }
}
