// How features reach the YAML engine (core/manifests/engine.ts): always asynchronously, so that it can run in a
// worker thread on the desktop (src/manifestEngineLoader.ts) and in-process in the browser (here). Only types of the
// engine are imported: the activation bundle must not carry the parser (bench: activation_bundle_bytes).
import type { EngineMethod, ManifestEngine } from '../../core/manifests/engine';
import type { LintOptions, ManifestAnalysis } from '../../core/manifests/types';
import { runInSlices } from '../../core/slices';

export type EngineResult<M extends EngineMethod> = ReturnType<ManifestEngine[M]>;

export interface ManifestEngineClient {
  call<M extends EngineMethod>(method: M, ...args: Parameters<ManifestEngine[M]>): Promise<EngineResult<M>>;
  /**
   * The analysis of an open document (core/manifests/engine.ts `analyze`); undefined when `cancelled` said so before
   * it was done (a newer version arrived).
   */
  analyze(
    key: string,
    text: string,
    options: LintOptions,
    generation: number,
    cancelled: () => boolean,
  ): Promise<ManifestAnalysis | undefined>;
  dispose(): void;
}

/** Above this size an in-process analysis runs in slices off the caller's stack; below it at once (it is quick). */
const SLICED_FROM_CHARS = 256 * 1024;

/**
 * The engine on the caller's own thread (the browser's web worker host, and tests): a large document is analysed in
 * short slices, so the host is never held longer than one slice (bench: web_host_max_block_ms).
 */
export class InProcessManifestEngine implements ManifestEngineClient {
  constructor(private readonly engine: ManifestEngine) {}

  async call<M extends EngineMethod>(method: M, ...args: Parameters<ManifestEngine[M]>): Promise<EngineResult<M>> {
    return (this.engine[method] as (...parameters: unknown[]) => EngineResult<M>)(...args);
  }

  async analyze(
    key: string,
    text: string,
    options: LintOptions,
    generation: number,
    cancelled: () => boolean,
  ): Promise<ManifestAnalysis | undefined> {
    if (text.length < SLICED_FROM_CHARS) return this.engine.analyze(key, text, options, generation);
    return runInSlices(this.engine.analyzeSteps(key, text, options, generation), { cancelled });
  }

  dispose(): void {}
}
