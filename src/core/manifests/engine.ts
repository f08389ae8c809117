// Everything the editor asks of the YAML engine, plain data in and out. On the desktop it runs in a worker thread
// (src/manifestWorker.ts): the extension host, shared by every extension, then never loads the YAML parser nor the
// rules and never spends a lint's time (bench: activation_bundle_bytes, ext_host_max_block_ms). In the browser it
// runs in-process (features/manifests/engineClient.ts). One instance per worker or window: the parsed pieces of each
// open document are kept here between edits.
import { doctorKindArgument, isDoctorTarget } from '../podKinds';
import { kubeconfigUserTokens } from '../tokens/kubeconfigTokens';
import { explicitTokenSecretEdit, findConsumers } from './consumers';
import { fixAll } from './fix';
import { ManifestFileAnalyzer } from './incremental';
import { findObjectSpan } from './objects';
import { documentValue, parseYaml } from './nodes';
import { parseProjectConfig } from './projectConfig';
import type { LintOptions, ManifestAnalysis } from './types';
import { indexWorkspaceFile } from './workspace';

/** An object the doctor can diagnose, where its document's content starts (the troubleshoot code lens). */
export interface DiagnoseTarget {
  offset: number;
  kind: string;
  name: string;
  namespace?: string;
}

export class ManifestEngine {
  /** By document key (its URI): the document's parsed pieces, reused by the next version's analysis. */
  private readonly files = new Map<string, ManifestFileAnalyzer>();

  /**
   * The analysis of an open document's text. `generation` stands for everything `options` say about other files:
   * findings of unchanged pieces are reused while it stays the same.
   */
  analyze(key: string, text: string, options: LintOptions, generation: number): ManifestAnalysis {
    return this.fileAnalyzer(key).analyze(text, options, generation);
  }

  /** The same analysis in steps of about one document each (for an in-process caller that works in slices). */
  analyzeSteps(key: string, text: string, options: LintOptions, generation: number): Generator<void, ManifestAnalysis> {
    return this.fileAnalyzer(key).steps(text, options, generation);
  }

  forget(key: string): void {
    this.files.delete(key);
  }

  fixAll = fixAll;
  explicitTokenSecretEdit = explicitTokenSecretEdit;
  findConsumers = findConsumers;
  indexWorkspaceFile = indexWorkspaceFile;
  parseProjectConfig = parseProjectConfig;
  kubeconfigUserTokens = kubeconfigUserTokens;
  findObjectSpan = findObjectSpan;

  /** Each object of the text the doctor diagnoses (core/podKinds.ts), with a name. */
  diagnoseTargets(text: string): DiagnoseTarget[] {
    return parseYaml(text).flatMap((doc) => {
      // Read as the doctor's command reads it (documentValue): a lens only where the command finds the object.
      const read = documentValue(doc);
      const value = ('value' in read ? read.value : null) as {
        kind?: unknown;
        apiVersion?: unknown;
        metadata?: { name?: unknown; namespace?: unknown };
      } | null;
      const kind = diagnosableKind(value?.kind, value?.apiVersion);
      const name = value?.metadata?.name;
      if (!kind || typeof name !== 'string' || !doc.contents?.range) return [];
      const namespace = typeof value?.metadata?.namespace === 'string' ? value.metadata.namespace : undefined;
      return [{ offset: doc.contents.range[0], kind, name, ...(namespace !== undefined && { namespace }) }];
    });
  }

  private fileAnalyzer(key: string): ManifestFileAnalyzer {
    let analyzer = this.files.get(key);
    if (!analyzer) this.files.set(key, (analyzer = new ManifestFileAnalyzer()));
    return analyzer;
  }
}

/** The doctor's kind (core/podKinds.ts) for a manifest object, as the lens passes it; undefined: no lens. */
function diagnosableKind(kind: unknown, apiVersion: unknown): string | undefined {
  if (typeof kind !== 'string' || !isDoctorTarget(kind, typeof apiVersion === 'string' ? apiVersion : undefined))
    return undefined;
  return doctorKindArgument(kind);
}

/** The methods a caller in another thread may call: every public one but the in-process stepping. */
export const ENGINE_METHODS = [
  'analyze',
  'forget',
  'fixAll',
  'explicitTokenSecretEdit',
  'findConsumers',
  'indexWorkspaceFile',
  'parseProjectConfig',
  'kubeconfigUserTokens',
  'findObjectSpan',
  'diagnoseTargets',
] as const satisfies readonly (keyof ManifestEngine)[];

export type EngineMethod = (typeof ENGINE_METHODS)[number];
