// Lints open manifests with the user's rule settings and the workspace's knowledge; remembers the findings of each
// document version so code actions reuse them instead of linting again. Each document keeps its parsed pieces
// (core/manifests/incremental.ts): an edit re-parses one document, and a large file is linted in short slices so the
// extension host, shared by every extension, is never held longer than one slice (bench: ext_host_max_block_ms).
import * as vscode from 'vscode';
import { diagnosticMessage } from '../../core/manifests/diagnosticMessage';
import type { FixAllOptions } from '../../core/manifests/fix';
import { ManifestFileAnalyzer } from '../../core/manifests/incremental';
import { ruleSettingsOf } from '../../core/manifests/projectConfig';
import { manifestTooLarge } from '../../core/manifests/sizeLimit';
import { runInSlices } from '../../core/slices';
import type {
  LintOptions,
  ManifestAnalysis,
  ManifestFinding,
  RuleId,
  TokenSecretIndex,
} from '../../core/manifests/types';
import type { FeatureContext } from '../shared/context';
import type { SaTokenConfig } from '../shared/settingValues';
import { CLUSTER_DOCUMENT_SCHEME } from '../shared/memoryDocuments';
import { ruleDocumentation, toDiagnosticSeverity } from '../shared/documentDiagnostics';
import { displayedLevel, engineFixOptions, engineRuleSettings, isManifestDocument } from './settings';
import type { WorkspaceManifestIndex } from './workspaceIndex';

export const MANIFEST_DIAGNOSTIC_SOURCE = 'sa-token';
const MANIFEST_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);
/** Linted like the workspace's YAML but never fixed: the read-only YAML the Clusters view opens from the cluster. */
const READ_ONLY_SCHEMES = new Set([CLUSTER_DOCUMENT_SCHEME]);

interface DocumentState {
  /** Keeps the document's parsed pieces between versions. */
  analyzer: ManifestFileAnalyzer;
  /** The analysis of one version under one generation, once complete. */
  done?: { version: number; generation: number; analysis: ManifestAnalysis };
}

/** Above this size a document is linted in slices off the caller's stack; below it at once (it is quick). */
const SLICED_FROM_CHARS = 256 * 1024;
/** Diagnostics built per step when converting a large file's findings. */
const DIAGNOSTICS_PER_STEP = 500;

/** Code of the diagnostic for YAML the engine cannot read (its rules skip that document). */
export const YAML_SYNTAX_CODE = 'yaml-syntax';
/** Code of the one diagnostic on a manifest over saToken.diagnostics.maxManifestSizeKB. */
export const TOO_LARGE_CODE = 'manifest-too-large';
const NOT_ANALYZED: ManifestAnalysis = { findings: [], parseProblems: [] };

export class ManifestAnalyzer {
  private readonly documents = new Map<string, DocumentState>();
  /** Bumped when settings, the workspace index or the cluster's token Secrets change: every cached result is stale. */
  private generation = 0;

  constructor(
    private readonly context: FeatureContext,
    private readonly index: WorkspaceManifestIndex,
    /** Token Secrets the connected cluster holds (names only), beside what the workspace declares. */
    private readonly clusterSecrets: { readonly secrets: TokenSecretIndex },
  ) {}

  accepts(document: vscode.TextDocument): boolean {
    return (
      this.context.config.diagnostics.manifests &&
      (READ_ONLY_SCHEMES.has(document.uri.scheme) ||
        (MANIFEST_SCHEMES.has(document.uri.scheme) && !this.index.ignores(document.fileName))) &&
      isManifestDocument(document.languageId, document.fileName)
    );
  }

  /** Diagnostics only, no fixes: the document cannot be edited (the cluster's YAML). */
  isReadOnly(document: vscode.TextDocument): boolean {
    return READ_ONLY_SCHEMES.has(document.uri.scheme);
  }

  invalidate(): void {
    this.generation++;
  }

  forget(document: vscode.TextDocument): void {
    this.documents.delete(document.uri.toString());
  }

  findings(document: vscode.TextDocument): ManifestFinding[] {
    return this.analysis(document).findings;
  }

  /**
   * Why the document is not linted (nor fixed): over the size limit, as `sa-token lint` says it. A generated
   * multi-megabyte file would cost CPU at every edit for findings nobody reads.
   */
  tooLarge(document: vscode.TextDocument): string | undefined {
    return manifestTooLarge(
      textLength(document),
      this.context.config.diagnostics.maxManifestSizeKB,
      'the setting saToken.diagnostics.maxManifestSizeKB',
    );
  }

  private state(document: vscode.TextDocument): DocumentState {
    const key = document.uri.toString();
    let state = this.documents.get(key);
    if (!state) this.documents.set(key, (state = { analyzer: new ManifestFileAnalyzer() }));
    return state;
  }

  private completed(document: vscode.TextDocument): ManifestAnalysis | undefined {
    const done = this.documents.get(document.uri.toString())?.done;
    return done?.version === document.version && done.generation === this.generation ? done.analysis : undefined;
  }

  /** The analysis of the document as it is now, computed at once when not already there. */
  private analysis(document: vscode.TextDocument): ManifestAnalysis {
    if (this.tooLarge(document)) return NOT_ANALYZED;
    const completed = this.completed(document);
    if (completed) return completed;
    const state = this.state(document);
    const { version } = document;
    const generation = this.generation;
    const analysis = state.analyzer.analyze(document.getText(), this.lintOptions(document), generation);
    state.done = { version, generation, analysis };
    return analysis;
  }

  /**
   * Fix-all (command, on save, workspace): migrations, and hardening fixes when the file's .sa-token.yaml
   * (`fix.hardening`) or else `saToken.fix.hardening` says so.
   */
  fixAllOptions(document: { uri: vscode.Uri; fileName: string }): FixAllOptions {
    const { hardening } = this.index.projectConfigFor(document.fileName).config.fix;
    return { ...this.lintOptions(document), hardening: hardening ?? this.context.config.fix.hardening };
  }

  /**
   * The options `sa-token lint` gives the same file: the knowledge of its scope's files, whether a kustomization
   * names it as a patch, and its .sa-token.yaml. Rule levels: `saToken.rules` entries win over the file's (as the
   * CLI's --enable/--disable do); fix settings: the file's win over `saToken.fix.*` (they decide what is written into
   * the project's files).
   */
  lintOptions(document: { uri: vscode.Uri; fileName: string }): LintOptions {
    const config = this.context.config;
    const project = this.index.projectConfigFor(document.fileName).config;
    const { hardening: _hardening, ...projectFix } = project.fix;
    const workspace = this.index.knowledgeFor(document.uri, document.fileName);
    return {
      fileName: document.fileName,
      rules: { ...ruleSettingsOf(project.rules), ...engineRuleSettings(config.rules) },
      fix: { ...engineFixOptions(config.fix), ...projectFix },
      ...workspace,
      tokenSecrets: [...workspace.tokenSecrets, ...this.clusterSecrets.secrets],
      patch: this.index.isPatch(document.fileName),
    };
  }

  /**
   * The document's diagnostics: at once for a small document; for a large one a promise, worked off in slices, that
   * gives up (undefined) when the document changes or closes before it is done.
   */
  diagnostics(document: vscode.TextDocument): vscode.Diagnostic[] | Promise<vscode.Diagnostic[] | undefined> {
    const tooLarge = this.tooLarge(document);
    if (tooLarge) {
      const firstLine = document.lineAt(0).range;
      const diagnostic = new vscode.Diagnostic(
        firstLine,
        `This file is not checked: ${tooLarge}.`,
        vscode.DiagnosticSeverity.Information,
      );
      diagnostic.source = MANIFEST_DIAGNOSTIC_SOURCE;
      diagnostic.code = TOO_LARGE_CODE;
      return [diagnostic];
    }
    const completed = this.completed(document);
    if (completed || textLength(document) < SLICED_FROM_CHARS)
      return this.toDiagnostics(document, completed ?? this.analysis(document));
    const state = this.state(document);
    const { version } = document;
    const generation = this.generation;
    const stale = () => document.isClosed || document.version !== version || this.generation !== generation;
    const steps = state.analyzer.steps(document.getText(), this.lintOptions(document), generation);
    const work = function* (analyzer: ManifestAnalyzer) {
      const analysis: ManifestAnalysis = yield* steps;
      state.done = { version, generation, analysis };
      return yield* analyzer.diagnosticSteps(document, analysis);
    };
    return runInSlices(work(this), { cancelled: stale });
  }

  private toDiagnostics(document: vscode.TextDocument, analysis: ManifestAnalysis): vscode.Diagnostic[] {
    const steps = this.diagnosticSteps(document, analysis);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** Diagnostics of an analysis, built a few hundred per step. */
  private *diagnosticSteps(
    document: vscode.TextDocument,
    analysis: ManifestAnalysis,
  ): Generator<void, vscode.Diagnostic[]> {
    const { findings, parseProblems } = analysis;
    const syntax = parseProblems.map((problem) => {
      const message = `YAML syntax error: ${problem.message} (service account token rules skip this document)`;
      const diagnostic = new vscode.Diagnostic(
        rangeOf(document, problem),
        message,
        vscode.DiagnosticSeverity.Information,
      );
      diagnostic.source = MANIFEST_DIAGNOSTIC_SOURCE;
      diagnostic.code = YAML_SYNTAX_CODE;
      return diagnostic;
    });
    const levels = this.context.config.rules;
    const diagnostics = syntax;
    for (let from = 0; from < findings.length; from += DIAGNOSTICS_PER_STEP) {
      diagnostics.push(...this.findingDiagnostics(document, findings.slice(from, from + DIAGNOSTICS_PER_STEP), levels));
      yield;
    }
    return diagnostics;
  }

  private findingDiagnostics(
    document: vscode.TextDocument,
    findings: ManifestFinding[],
    levels: SaTokenConfig['rules'],
  ): vscode.Diagnostic[] {
    return findings.map((finding) => {
      const diagnostic = new vscode.Diagnostic(
        rangeOf(document, finding),
        diagnosticMessage(finding),
        toDiagnosticSeverity(displayedLevel(finding.rule, finding.severity, levels)),
      );
      diagnostic.source = MANIFEST_DIAGNOSTIC_SOURCE;
      const docs = ruleDocumentation(this.context, finding.rule);
      diagnostic.code = docs ? { value: finding.rule, target: docs } : finding.rule;
      return diagnostic;
    });
  }
}

/** The document's length in characters, without copying its text (checked at every edit and cursor move). */
const textLength = (document: vscode.TextDocument): number =>
  document.offsetAt(document.lineAt(document.lineCount - 1).range.end);

export const rangeOf = (document: vscode.TextDocument, span: { start: number; end: number }): vscode.Range =>
  new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));

/** The rule id a diagnostic of ours carries, whether its code is plain or linked to the docs. */
export function ruleOf(diagnostic: vscode.Diagnostic): RuleId | undefined {
  if (diagnostic.source !== MANIFEST_DIAGNOSTIC_SOURCE) return undefined;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return typeof code === 'string' && /^SAT\d{3}$/.test(code) ? (code as RuleId) : undefined;
}
