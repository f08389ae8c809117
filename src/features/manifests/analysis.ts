// Lints open manifests with the user's rule settings and the workspace's knowledge; remembers the findings of each
// document version so code actions reuse them instead of linting again.
import * as vscode from 'vscode';
import type { FixAllOptions } from '../../core/manifests/fix';
import { analyzeManifest } from '../../core/manifests/lint';
import { manifestTooLarge } from '../../core/manifests/sizeLimit';
import type {
  LintOptions,
  ManifestAnalysis,
  ManifestFinding,
  RuleId,
  TokenSecretIndex,
} from '../../core/manifests/types';
import type { FeatureContext } from '../shared/context';
import { toDiagnosticSeverity } from '../shared/documentDiagnostics';
import { displayedLevel, engineFixOptions, engineRuleSettings, isManifestDocument } from './settings';
import type { WorkspaceManifestIndex } from './workspaceIndex';

export const MANIFEST_DIAGNOSTIC_SOURCE = 'sa-token';
const MANIFEST_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

interface CachedAnalysis {
  version: number;
  generation: number;
  analysis: ManifestAnalysis;
}

/** Code of the diagnostic for YAML the engine cannot read (its rules skip that document). */
export const YAML_SYNTAX_CODE = 'yaml-syntax';
/** Code of the one diagnostic on a manifest over saToken.diagnostics.maxManifestSizeKB. */
export const TOO_LARGE_CODE = 'manifest-too-large';
const NOT_ANALYZED: ManifestAnalysis = { findings: [], parseProblems: [] };

export class ManifestAnalyzer {
  private readonly cache = new Map<string, CachedAnalysis>();
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
      MANIFEST_SCHEMES.has(document.uri.scheme) &&
      isManifestDocument(document.languageId, document.fileName)
    );
  }

  invalidate(): void {
    this.generation++;
  }

  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
  }

  findings(document: vscode.TextDocument): ManifestFinding[] {
    return this.analysis(document).findings;
  }

  /**
   * Why the document is not linted (nor fixed): over the size limit, as `sa-token lint` says it. Linting runs on the
   * extension host's thread at every edit: a generated multi-megabyte file would stall typing everywhere.
   */
  tooLarge(document: vscode.TextDocument): string | undefined {
    return manifestTooLarge(
      document.getText().length,
      this.context.config.diagnostics.maxManifestSizeKB,
      'the setting saToken.diagnostics.maxManifestSizeKB',
    );
  }

  private analysis(document: vscode.TextDocument): ManifestAnalysis {
    if (this.tooLarge(document)) return NOT_ANALYZED;
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version && cached.generation === this.generation) return cached.analysis;
    const analysis = analyzeManifest(document.getText(), this.lintOptions(document));
    this.cache.set(key, { version: document.version, generation: this.generation, analysis });
    return analysis;
  }

  lintOptions(document: { uri: vscode.Uri; fileName: string }): LintOptions {
    const config = this.context.config;
    const workspace = this.index.knowledgeExcept(document.uri);
    return {
      fileName: document.fileName,
      rules: engineRuleSettings(config.rules),
      fix: engineFixOptions(config.fix),
      ...workspace,
      tokenSecrets: [...workspace.tokenSecrets, ...this.clusterSecrets.secrets],
    };
  }

  /** Fix-all (command, on save, workspace): migrations, and hardening fixes when `saToken.fix.hardening` says so. */
  fixAllOptions(document: { uri: vscode.Uri; fileName: string }): FixAllOptions {
    return { ...this.lintOptions(document), hardening: this.context.config.fix.hardening };
  }

  diagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
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
    const { findings, parseProblems } = this.analysis(document);
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
    return [...syntax, ...this.findingDiagnostics(document, findings)];
  }

  private findingDiagnostics(document: vscode.TextDocument, findings: ManifestFinding[]): vscode.Diagnostic[] {
    const levels = this.context.config.rules;
    return findings.map((finding) => {
      const diagnostic = new vscode.Diagnostic(
        rangeOf(document, finding),
        finding.message,
        toDiagnosticSeverity(displayedLevel(finding.rule, finding.severity, levels)),
      );
      diagnostic.source = MANIFEST_DIAGNOSTIC_SOURCE;
      const docs = ruleDocumentation(this.context, finding.rule);
      diagnostic.code = docs ? { value: finding.rule, target: docs } : finding.rule;
      return diagnostic;
    });
  }
}

export const rangeOf = (document: vscode.TextDocument, span: { start: number; end: number }): vscode.Range =>
  new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));

/** The rule id a diagnostic of ours carries, whether its code is plain or linked to the docs. */
export function ruleOf(diagnostic: vscode.Diagnostic): RuleId | undefined {
  if (diagnostic.source !== MANIFEST_DIAGNOSTIC_SOURCE) return undefined;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return typeof code === 'string' && /^SAT\d{3}$/.test(code) ? (code as RuleId) : undefined;
}

/** The README section on rules, in the repository package.json names (no link when it names none). */
function ruleDocumentation(context: FeatureContext, rule: RuleId): vscode.Uri | undefined {
  const repository: unknown = context.extension.extension.packageJSON?.repository;
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || !url.startsWith('https://')) return undefined;
  return vscode.Uri.parse(`${url.replace(/\.git$/, '')}#${rule.toLowerCase()}`);
}
