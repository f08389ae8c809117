// Quick fixes linked to our diagnostics by rule id, "Show consumers" for token Secrets, "Create explicit token
// secret" on ServiceAccounts, and source.fixAll.saToken (fix on save).
import * as vscode from 'vscode';
import { explicitTokenSecretEdit } from '../../core/manifests/consumers';
import { fixAll } from '../../core/manifests/fix';
import type { ManifestFinding, ManifestFix, TextEdit } from '../../core/manifests/types';
import { rangeOf, ruleOf, type ManifestAnalyzer } from './analysis';
import { minimalReplacement } from '../../core/text';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('saToken');
const CREATE_SECRET_KIND = vscode.CodeActionKind.Refactor.append('saToken.createTokenSecret');
export const SHOW_CONSUMERS_COMMAND = 'saToken.showConsumers';

export class ManifestCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND, CREATE_SECRET_KIND];

  constructor(private readonly analyzer: ManifestAnalyzer) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!this.analyzer.accepts(document) || this.analyzer.tooLarge(document)) return [];
    const wants = (kind: vscode.CodeActionKind): boolean => !context.only || context.only.intersects(kind);
    return [
      ...(context.only && FIX_ALL_KIND.intersects(context.only) ? this.fixAllActions(document) : []),
      ...(wants(vscode.CodeActionKind.QuickFix) ? this.quickFixes(document, context.diagnostics) : []),
      ...(wants(CREATE_SECRET_KIND) ? this.createSecretActions(document, range) : []),
    ];
  }

  private quickFixes(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
    // Only our diagnostics need the findings (a large file's analysis is not redone for a cursor move elsewhere).
    if (!diagnostics.some((diagnostic) => ruleOf(diagnostic))) return [];
    const findings = this.analyzer.findings(document);
    return diagnostics.flatMap((diagnostic) => {
      const finding = findings.find((candidate) => matches(document, candidate, diagnostic));
      if (!finding) return [];
      // Only a migration is preferred (auto-fix): a hardening fix takes something away and is chosen by hand.
      const fixes = finding.fixes.map((fix, position) =>
        fixAction(document, diagnostic, fix, position === 0 && fix.kind === 'migration'),
      );
      return finding.rule === 'SAT002' ? [...fixes, ...showConsumersAction(document, diagnostic, finding)] : fixes;
    });
  }

  private fixAllActions(document: vscode.TextDocument): vscode.CodeAction[] {
    const text = document.getText();
    const edit = minimalReplacement(text, fixAll(text, this.analyzer.fixAllOptions(document)).text);
    if (!edit) return [];
    const action = new vscode.CodeAction('Fix all service account token issues', FIX_ALL_KIND);
    action.edit = workspaceEdit(document, [edit]);
    return [action];
  }

  private createSecretActions(document: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const text = document.getText();
    // Cheap guard: the cursor moves often, and only ServiceAccount documents qualify.
    if (!text.includes('ServiceAccount')) return [];
    const edit = explicitTokenSecretEdit(text, document.offsetAt(range.start));
    if (!edit) return [];
    const action = new vscode.CodeAction('Create explicit token secret for this ServiceAccount', CREATE_SECRET_KIND);
    action.edit = workspaceEdit(document, [edit]);
    return [action];
  }
}

function matches(document: vscode.TextDocument, finding: ManifestFinding, diagnostic: vscode.Diagnostic): boolean {
  return ruleOf(diagnostic) === finding.rule && rangeOf(document, finding).isEqual(diagnostic.range);
}

function fixAction(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  fix: ManifestFix,
  preferred: boolean,
): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  action.edit = workspaceEdit(document, fix.edits);
  action.diagnostics = [diagnostic];
  action.isPreferred = preferred;
  return action;
}

function showConsumersAction(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  finding: ManifestFinding,
): vscode.CodeAction[] {
  if (!finding.subject) return [];
  const action = new vscode.CodeAction('Show consumers in workspace', vscode.CodeActionKind.QuickFix);
  action.command = {
    command: SHOW_CONSUMERS_COMMAND,
    title: action.title,
    arguments: [document.uri, diagnostic.range.start, finding.subject.name, finding.subject.namespace],
  };
  action.diagnostics = [diagnostic];
  return [action];
}

export function workspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const { start, end, newText } of edits) edit.replace(document.uri, rangeOf(document, { start, end }), newText);
  return edit;
}
