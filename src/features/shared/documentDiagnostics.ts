// Keeps one diagnostic collection in step with open documents: analysed on open, on change (debounced), cleared on
// close. Shared by the token and the manifest diagnostics.
import * as vscode from 'vscode';
import type { RuleId } from '../../core/manifests/types';
import type { Severity } from '../../core/tokens/types';
import type { FeatureContext } from './context';
import { KeyedDebouncer } from './debounce';

/** The documents the user edits, whose diagnostics we show: on disk, untitled, remote and virtual (github.dev) —
 * not output channels or git's old versions. A feature that also lints another scheme adds it itself. */
export const ANALYZED_SCHEMES: ReadonlySet<string> = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export interface DocumentAnalyzer {
  /** Whether this document is analysed at all (language, scheme, settings). */
  accepts(document: vscode.TextDocument): boolean;
  /**
   * Diagnostics now, or later (a result for an older version of the document is dropped; undefined: the analysis
   * gave up because a newer version is coming).
   */
  analyze(document: vscode.TextDocument): vscode.Diagnostic[] | Promise<vscode.Diagnostic[] | undefined>;
}

export class DocumentDiagnostics implements vscode.Disposable {
  readonly collection: vscode.DiagnosticCollection;
  private readonly debouncer: KeyedDebouncer;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    name: string,
    private readonly analyzer: DocumentAnalyzer,
    private readonly onError: (message: string) => void,
    delayMs = 300,
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
    this.debouncer = new KeyedDebouncer(delayMs);
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.update(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) =>
        this.debouncer.schedule(document.uri.toString(), () => this.update(document)),
      ),
      vscode.workspace.onDidCloseTextDocument((document) => this.closed(document)),
    ];
    this.refreshAll();
  }

  /** Re-analyses every open document (after a settings or index change). */
  refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  update(document: vscode.TextDocument): void {
    if (document.isClosed || !this.analyzer.accepts(document)) {
      this.collection.delete(document.uri);
      return;
    }
    try {
      const result = this.analyzer.analyze(document);
      if (!(result instanceof Promise)) return this.collection.set(document.uri, result);
      const version = document.version;
      result.then(
        (diagnostics) => {
          if (diagnostics && !document.isClosed && document.version === version)
            this.collection.set(document.uri, diagnostics);
        },
        (error: unknown) => this.failed(document, error),
      );
    } catch (error) {
      this.failed(document, error);
    }
  }

  private failed(document: vscode.TextDocument, error: unknown): void {
    // Never the document text: only what went wrong.
    this.onError(`analysing ${document.uri.scheme} document failed: ${error instanceof Error ? error.message : error}`);
    this.collection.delete(document.uri);
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.debouncer.cancel(key);
    // An untitled name (Untitled-1) can be reused by a new document before the old one's close arrives: keep the
    // live document's diagnostics.
    const reopened = vscode.workspace.textDocuments.find((open) => open !== document && open.uri.toString() === key);
    if (reopened) this.update(reopened);
    else this.collection.delete(document.uri);
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

export function toDiagnosticSeverity(severity: Severity | 'hint'): vscode.DiagnosticSeverity {
  const severities = {
    error: vscode.DiagnosticSeverity.Error,
    warning: vscode.DiagnosticSeverity.Warning,
    info: vscode.DiagnosticSeverity.Information,
    hint: vscode.DiagnosticSeverity.Hint,
  };
  return severities[severity];
}

/** The rule's section of the README in the extension's repository (package.json `repository`), if it names one. */
export function ruleDocumentation(context: FeatureContext, rule: RuleId): vscode.Uri | undefined {
  const repository: unknown = context.extension.extension.packageJSON?.repository;
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || !url.startsWith('https://')) return undefined;
  return vscode.Uri.parse(`${url.replace(/\.git$/, '')}#${rule.toLowerCase()}`);
}
