// The YAML engine on the desktop: dist/manifest-worker.js in a worker thread, started on the first request (a YAML
// file linted, the workspace indexed). The extension host's thread then never parses the YAML library or the rules,
// and a 10 MB file's lint never holds it. Under tsx (tests, where no bundle exists) the engine runs in-process.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EngineMethod, ManifestEngine } from './core/manifests/engine';
import type { LintOptions, ManifestAnalysis } from './core/manifests/types';
import {
  InProcessManifestEngine,
  type EngineResult,
  type ManifestEngineClient,
} from './features/shared/manifestEngine';
import type { EngineReply, EngineRequest } from './manifestWorker';

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

export class WorkerManifestEngine implements ManifestEngineClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly workerFile: string) {}

  call<M extends EngineMethod>(method: M, ...args: Parameters<ManifestEngine[M]>): Promise<EngineResult<M>> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const request: EngineRequest = { id, method, args };
      this.started().postMessage(request);
    });
  }

  /** The worker answers in order and its thread is not the host's: a stale result is simply dropped by the caller. */
  analyze(key: string, text: string, options: LintOptions, generation: number): Promise<ManifestAnalysis | undefined> {
    return this.call('analyze', key, text, options, generation);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile, { name: 'sa-token manifests' });
    // An idle worker must not keep the extension host (or a test process) alive.
    worker.unref();
    worker.on('message', (reply: EngineReply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.result);
    });
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => this.stopped(worker, new Error(`the manifest worker stopped (exit code ${code})`)));
    return (this.worker = worker);
  }

  /** Every request in flight fails; the next one starts a new worker (its per-document cache starts empty). */
  private stopped(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  dispose(): void {
    const worker = this.worker;
    if (!worker) return;
    this.stopped(worker, new Error('the extension is deactivating'));
    void worker.terminate();
  }
}

/** The engine for the desktop extension host: the worker when its bundle is there, else in-process (tsx). */
export function desktopManifestEngine(distDir: string = __dirname): ManifestEngineClient {
  const workerFile = path.join(distDir, 'manifest-worker.js');
  if (existsSync(workerFile)) return new WorkerManifestEngine(workerFile);
  // A computed path, so that esbuild does not inline the engine into the activation bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require(
    path.join(__dirname, 'core', 'manifests', 'engine'),
  ) as typeof import('./core/manifests/engine');
  return new InProcessManifestEngine(new engine.ManifestEngine());
}
