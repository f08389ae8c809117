// Paths and small process helpers shared by the setup, demo, packaging and test launchers.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(repoRoot, '.cache');
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const node24Dir = join(cacheDir, 'node24');
export const codeServerDir = join(cacheDir, 'code-server');
export const codeServerPackage = join(codeServerDir, 'node_modules', 'code-server');
export const serverMain = join(codeServerPackage, 'lib', 'vscode', 'out', 'server-main.js');

interface PackageJson {
  name: string;
  publisher: string;
  version: string;
  scripts?: Record<string, string>;
}

export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
}

/** `<publisher>.<name>`: the id VS Code gives our extension. */
export function extensionId(): string {
  const { publisher, name } = readPackageJson();
  return `${publisher}.${name}`;
}

export function vsixPath(): string {
  const { name, version } = readPackageJson();
  return join(repoRoot, `${name}-${version}.vsix`);
}

const started = Date.now();
/** One progress line with the seconds since the script started, so nothing is silent for minutes. */
export function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${seconds}s] ${message}\n`);
}

/** A failure the user can act on: the launchers print its message as one line and exit non-zero. */
export class SetupError extends Error {}

/** Runs a command to completion with its output streamed; throws SetupError naming the command when it fails. */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new SetupError(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${command} ${args.join(' ')} exited with ${result.status}`);
}

/** Runs a command quietly, returning its trimmed stdout, or undefined when it fails. */
export function capture(command: string, args: string[], options: SpawnSyncOptions = {}): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return result.status === 0 ? String(result.stdout).trim() : undefined;
}

/**
 * Runs a long, noisy command (compilers, package installs) with its output going to `logFile`, printing a
 * heartbeat line every 30 s. On failure the error names the log and repeats its last lines.
 */
export async function runLogged(
  label: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
  ensureDir(dirname(options.logFile));
  const log = createWriteStream(options.logFile);
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const startedAt = Date.now();
  const heartbeat = setInterval(
    () => progress(`  still ${label} (${Math.round((Date.now() - startedAt) / 1000)}s)…`),
    30_000,
  );
  const code = await new Promise<number | null>((resolveExit) => {
    child.once('error', () => resolveExit(-1));
    child.once('close', resolveExit);
  });
  clearInterval(heartbeat);
  await new Promise<void>((resolveEnd) => log.end(resolveEnd));
  if (code !== 0) {
    const tail = readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
    process.stderr.write(`${tail}\n`);
    throw new SetupError(`${label} failed (exit ${code}); full log: ${options.logFile}`);
  }
}

/** Finds the first path `name` below `dir` (breadth first, bounded depth). */
export function findBelow(dir: string, name: string, maxDepth = 6): string | undefined {
  let level = [dir];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const current of level) {
      if (existsSync(join(current, name))) return join(current, name);
      for (const entry of safeReaddir(current)) {
        const child = join(current, entry);
        if (statSync(child, { throwIfNoEntry: false })?.isDirectory()) next.push(child);
      }
    }
    level = next;
  }
  return undefined;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released for the service to take). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface Service {
  child: ChildProcess;
  /** Resolves with the matching line once the service printed its ready line. */
  ready: Promise<string>;
  stop(): Promise<void>;
}

interface ServiceOptions {
  readyPattern: RegExp;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where the service's output goes (it is never printed: it could contain paths of secrets). */
  logFile: string;
}

/**
 * Starts a long-running child in its own process group (so stopping it stops its children too) and resolves
 * `ready` once a line of its output matches `readyPattern`; rejects when it exits first or the timeout passes.
 */
export function startService(label: string, command: string, args: string[], options: ServiceOptions): Service {
  ensureDir(dirname(options.logFile));
  const log = createWriteStream(options.logFile);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const ready = new Promise<string>((resolveReady, rejectReady) => {
    const timer = setTimeout(
      () => rejectReady(new SetupError(`${label} was not ready within ${timeoutMs / 1000}s (log: ${options.logFile})`)),
      timeoutMs,
    );
    const onLine = (line: string): void => {
      log.write(`${line}\n`);
      if (options.readyPattern.test(line)) {
        clearTimeout(timer);
        resolveReady(line);
      }
    };
    if (child.stdout) splitLines(child.stdout, onLine);
    if (child.stderr) splitLines(child.stderr, onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectReady(new SetupError(`${label} exited (${signal ?? code}) before it was ready (log: ${options.logFile})`));
    });
    child.once('error', (error) => rejectReady(new SetupError(`${label} could not start: ${error.message}`)));
  });
  // Keep an unhandled rejection from crashing the launcher when nobody awaits `ready` any more.
  ready.catch(() => undefined);
  return { child, ready, stop: () => stopGroup(child) };
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}

/** Stops a process group started by startService: SIGTERM, then SIGKILL after a grace period. */
export function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolveStop) => {
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-pid, signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    kill('SIGTERM');
  });
}

/** Runs `main`, turning any error into one clear stderr line and exit code 1 (never a stack trace). */
export function runMain(label: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${label}: ${message}\n`);
      process.exitCode = 1;
    },
  );
}

/** True when this module file is the script node was asked to run. */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}
