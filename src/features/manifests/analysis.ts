// Lints open manifests with the user's rule settings and the workspace's knowledge; remembers the findings of each
// document version so code actions reuse them instead of linting again. The YAML engine (services.manifestEngine)
// keeps each document's parsed pieces (core/manifests/incremental.ts): an edit re-parses one document. On the desktop
// it runs in a worker thread, so the extension host, shared by every extension, never loads the parser nor waits for
// a lint; in the browser a large file is linted in short slices (bench: web_host_max_block_ms).
import * as vscode from 'vscode';
import { diagnosticMessage } from '../../core/manifests/diagnosticMessage';
import type { FixAllOptions } from '../../core/manifests/fix';
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
import { ANALYZED_SCHEMES, ruleDocumentation, toDiagnosticSeverity } from '../shared/documentDiagnostics';
import { displayedLevel, engineFixOptions, engineRuleSettings, isManifestDocument } from './settings';
import type { WorkspaceManifestIndex } from './workspaceIndex';

export const MANIFEST_DIAGNOSTIC_SOURCE = 'sa-token';
/** Linted like the workspace's YAML but never fixed: the read-only YAML the Clusters view opens from the cluster. */
const READ_ONLY_SCHEMES = new Set([CLUSTER_DOCUMENT_SCHEME]);

/** The analysis of one version of a document under one generation (under way or done). */
interface VersionAnalysis {
  version: number;
  generation: number;
  analysis: Promise<ManifestAnalysis | undefined>;
}

/** Diagnostics built per step when converting a large file's findings. */
const DIAGNOSTICS_PER_STEP = 500;
/** From this many findings the diagnostics are built in slices, off the caller's stack. */
const SLICED_FROM_FINDINGS = 2 * DIAGNOSTICS_PER_STEP;

/** Code of the diagnostic for YAML the engine cannot read (its rules skip that document). */
export const YAML_SYNTAX_CODE = 'yaml-syntax';
/** Code of the one diagnostic on a manifest over saToken.diagnostics.maxManifestSizeKB. */
export const TOO_LARGE_CODE = 'manifest-too-large';
const NOT_ANALYZED: ManifestAnalysis = { findings: [], parseProblems: [] };

export class ManifestAnalyzer {
  /** By document URI: its latest analysis. */
  private readonly documents = new Map<string, VersionAnalysis>();
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
        (ANALYZED_SCHEMES.has(document.uri.scheme) && !this.index.ignores(document.fileName))) &&
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
    const key = document.uri.toString();
    if (!this.documents.delete(key)) return;
    this.context.services.manifestEngine.call('forget', key).catch(() => undefined);
  }

  async findings(document: vscode.TextDocument): Promise<ManifestFinding[]> {
    return (await this.analysis(document))?.findings ?? [];
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

  /**
   * The analysis of the document as it is now: the one already made or under way for this version, else a new one.
   * Undefined when the document changed or closed before it was done.
   */
  private analysis(document: vscode.TextDocument): Promise<ManifestAnalysis | undefined> {
    if (this.tooLarge(document)) return Promise.resolve(NOT_ANALYZED);
    const key = document.uri.toString();
    const { version } = document;
    const generation = this.generation;
    const latest = this.documents.get(key);
    if (latest?.version === version && latest.generation === generation) return latest.analysis;
    const stale = () => document.isClosed || document.version !== version || this.generation !== generation;
    const entry: VersionAnalysis = {
      version,
      generation,
      analysis: this.context.services.manifestEngine.analyze(
        key,
        document.getText(),
        this.lintOptions(document),
        generation,
        stale,
      ),
    };
    this.documents.set(key, entry);
    // A failed analysis is not kept: the next request tries again.
    entry.analysis.catch(() => this.documents.get(key) === entry && this.documents.delete(key));
    return entry.analysis;
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
   * The document's diagnostics, when its analysis is done; undefined when the document changed or closed first.
   * Many findings are turned into diagnostics in slices, so the host is never held long.
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
    const { version } = document;
    const stale = () => document.isClosed || document.version !== version;
    return this.analysis(document).then((analysis) => {
      if (!analysis || stale()) return undefined;
      if (analysis.findings.length < SLICED_FROM_FINDINGS) return this.toDiagnostics(document, analysis);
      return runInSlices(this.diagnosticSteps(document, analysis), { cancelled: stale });
    });
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
