// Runs a child process and measures its wall time and peak resident set size.
// Peak RSS comes from GNU time (wait4 rusage, exact even for short-lived children). Without it we poll
// /proc/<pid>/status VmHWM, which can miss growth in the child's last few milliseconds, and say so.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
const POLL_INTERVAL_MS = 5;

export type RssMethod = 'gnu-time' | 'proc-vmhwm-poll';

export interface ChildRun {
  wallMs: number;
  /** Peak RSS in KiB, null when it could not be read. */
  peakRssKib: number | null;
  exitCode: number | null;
  /** Last lines of stderr, for failure messages (never contains stdout, which may hold tokens). */
  stderrTail: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Where stdout goes; /dev/null unless a file is given (a sanity check reads one run's output). */
  stdoutPath?: string;
  timeoutMs: number;
}

export const rssMethod: RssMethod = existsSync(GNU_TIME) ? 'gnu-time' : 'proc-vmhwm-poll';

export async function runMeasured(command: string, args: string[], options: RunOptions): Promise<ChildRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-'));
  const rssFile = join(scratch, 'rss');
  const [file, argv] =
    rssMethod === 'gnu-time' ? [GNU_TIME, ['-q', '-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const stdoutFd = openSync(options.stdoutPath ?? '/dev/null', 'w');
  try {
    const started = performance.now();
    // Its own process group, so a timeout kills the measured command too, not just the GNU time wrapper.
    const child = spawn(file, argv, {
      env: options.env ?? process.env,
      stdio: ['ignore', stdoutFd, 'pipe'],
      detached: true,
    });
    const polled = rssMethod === 'proc-vmhwm-poll' ? pollPeakRss(child.pid) : undefined;
    const stderrTail = collectTail(child.stderr);
    const exitCode = await waitForExit(child, options.timeoutMs);
    const wallMs = performance.now() - started;
    const peakRssKib = polled ? polled.stop() : readGnuTimeRss(rssFile);
    return { wallMs, peakRssKib, exitCode, stderrTail: stderrTail() };
  } finally {
    closeSync(stdoutFd);
    rmSync(scratch, { recursive: true, force: true });
  }
}

function waitForExit(child: ReturnType<typeof spawn>, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${child.spawnfile} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function collectTail(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-2000);
  });
  return () => text.trim().split('\n').slice(-3).join(' | ');
}

function readGnuTimeRss(path: string): number | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const value = Number(lines[lines.length - 1]);
  return Number.isFinite(value) ? value : null;
}

function pollPeakRss(pid: number | undefined): { stop(): number | null } {
  let peak: number | null = null;
  const read = (): void => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak ?? 0, Number(match[1]));
    } catch {
      // The process already exited: keep the last reading.
    }
  };
  const timer = setInterval(read, POLL_INTERVAL_MS);
  read();
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
