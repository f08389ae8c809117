// The CLI as users run it: a bundle like dist/cli.js (+ the lazily loaded kube.js), built into a private temporary
// directory so that other test files rebuilding dist/ at the same moment cannot hand us a half-written file.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(import.meta.dirname, '..', '..', '..');

/**
 * Bundles entry points (name → path from the repository root) as esbuild.mjs does, into a private temporary directory;
 * returns that directory.
 */
export async function buildPrivateBundles(
  entryPoints: Record<string, string>,
  external: string[] = [],
  prefix = 'sa-token-reliability-cli-',
): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), prefix));
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, path]) => [name, join(root, path)])),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['vscode', ...external],
    define: { SA_TOKEN_VERSION: '"reliability"' },
    logLevel: 'warning',
  });
  return outdir;
}

/**
 * Bundles src/cli.ts with its lazily loaded parts (kube.js, cli-commands.js, cli-other-commands.js) as esbuild.mjs
 * does; returns cli.js.
 */
export async function buildCli(): Promise<string> {
  const entryPoints = {
    cli: 'src/cli.ts',
    kube: 'src/kube/index.ts',
    'cli-commands': 'src/cli/commandsBundle.ts',
    'cli-other-commands': 'src/cli/otherCommands.ts',
  };
  const lazy = ['./kube.js', './cli-commands.js', './cli-other-commands.js'];
  return join(await buildPrivateBundles(entryPoints, lazy), 'cli.js');
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  stdin?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Extra node flags, e.g. `--require` of a hook. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** Runs `node <cli> …args` asynchronously (so an in-process API server can answer it) and collects the result. */
export function runCli(cli: string, args: string[], options: CliOptions = {}): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cli, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 30_000,
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // A CLI that stops reading early closes stdin: that is its business, not an error here.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        status,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ms: performance.now() - started,
      }),
    );
  });
}
