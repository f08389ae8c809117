// dist/manifest-worker.js: the YAML engine (core/manifests/engine.ts) in a worker thread of the extension host, so
// that the host's own thread never loads the parser and the rules nor spends a lint's time. It answers the requests
// of src/manifestEngineLoader.ts, one at a time, in order.
import { parentPort } from 'node:worker_threads';
import { ENGINE_METHODS, ManifestEngine, type EngineMethod } from './core/manifests/engine';

export interface EngineRequest {
  id: number;
  method: EngineMethod;
  args: unknown[];
}

export type EngineReply = { id: number; result: unknown } | { id: number; error: string };

const engine = new ManifestEngine();
const port = parentPort;
if (!port) throw new Error('dist/manifest-worker.js runs as a worker thread');

port.on('message', ({ id, method, args }: EngineRequest) => {
  let reply: EngineReply;
  try {
    if (!ENGINE_METHODS.includes(method)) throw new Error(`no engine method ${String(method)}`);
    reply = { id, result: (engine[method] as (...parameters: unknown[]) => unknown)(...args) };
  } catch (error) {
    // The message only: a stack would name nothing the host can act on.
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
