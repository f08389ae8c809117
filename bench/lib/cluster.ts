// Starts the local API server (test/cluster/server) as a child process with the large data set.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalCluster {
  kubeconfigPath: string;
  readyLine: string;
  stop(): Promise<void>;
}

const SERVER_ENTRY = 'test/cluster/server/main.ts';

export function serverMissing(repoRoot: string): string | undefined {
  return existsSync(join(repoRoot, SERVER_ENTRY)) ? undefined : `${SERVER_ENTRY} has not landed`;
}

export async function startLargeCluster(
  repoRoot: string,
  kubeconfigPath: string,
  scale: number,
  timeoutMs: number,
): Promise<LocalCluster> {
  const args = [
    '--import',
    'tsx',
    SERVER_ENTRY,
    '--kubeconfig',
    kubeconfigPath,
    '--data',
    'large',
    '--scale',
    String(scale),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const readyLine = await waitForReady(child, timeoutMs);
  return { kubeconfigPath, readyLine, stop: () => stopChild(child) };
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(`local API server ${reason}${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`),
      );
    };
    const timer = setTimeout(() => fail(`printed no "ready" line within ${timeoutMs / 1000} s`), timeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.includes('ready'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => fail(`exited with code ${code} before it was ready`));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.removeAllListeners('exit');
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
