// Quick fixes linked to our diagnostics by rule id, "Fix all SATnnn problems in this file" (as ESLint offers per rule),
// "Show consumers" for token Secrets, "Create explicit token secret" on ServiceAccounts, and source.fixAll.saToken
// (fix on save).
import * as vscode from 'vscode';
import type { ManifestFinding, ManifestFix, RuleId, TextEdit } from '../../core/manifests/types';
import type { ManifestEngineClient } from '../shared/manifestEngine';
import { rangeOf, ruleOf, type ManifestAnalyzer } from './analysis';
import { minimalReplacement } from '../../core/text';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('saToken');
const CREATE_SECRET_KIND = vscode.CodeActionKind.Refactor.append('saToken.createTokenSecret');
export const SHOW_CONSUMERS_COMMAND = 'saToken.showConsumers';

/** "Fix all SATnnn problems in this file": its edit is computed only when chosen (fix-all of one rule). */
class FixRuleInFileAction extends vscode.CodeAction {
  constructor(
    readonly document: vscode.TextDocument,
    readonly rule: RuleId,
    readonly version: number,
  ) {
    super(`Fix all ${rule} problems in this file`, vscode.CodeActionKind.QuickFix);
  }
}

export class ManifestCodeActions implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND, CREATE_SECRET_KIND];

  constructor(
    private readonly analyzer: ManifestAnalyzer,
    private readonly engine: ManifestEngineClient,
  ) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    if (!this.analyzer.accepts(document) || this.analyzer.isReadOnly(document) || this.analyzer.tooLarge(document))
      return [];
    const wants = (kind: vscode.CodeActionKind): boolean => !context.only || context.only.intersects(kind);
    const actions = await Promise.all([
      context.only && FIX_ALL_KIND.intersects(context.only) ? this.fixAllActions(document) : [],
      wants(vscode.CodeActionKind.QuickFix) ? this.quickFixes(document, context.diagnostics) : [],
      wants(CREATE_SECRET_KIND) ? this.createSecretActions(document, range) : [],
    ]);
    return actions.flat();
  }

  private async quickFixes(
    document: vscode.TextDocument,
    diagnostics: readonly vscode.Diagnostic[],
  ): Promise<vscode.CodeAction[]> {
    // Only our diagnostics need the findings (a large file's analysis is not redone for a cursor move elsewhere).
    if (!diagnostics.some((diagnostic) => ruleOf(diagnostic))) return [];
    const findings = await this.analyzer.findings(document);
    const quickFixes = diagnostics.flatMap((diagnostic) => {
      const finding = findings.find((candidate) => matches(document, candidate, diagnostic));
      if (!finding) return [];
      // Only a migration is preferred (auto-fix): a hardening fix takes something away and is chosen by hand.
      const fixes = finding.fixes.map((fix, position) =>
        fixAction(document, diagnostic, fix, position === 0 && fix.kind === 'migration'),
      );
      return finding.rule === 'SAT002' ? [...fixes, ...showConsumersAction(document, diagnostic, finding)] : fixes;
    });
    return [...quickFixes, ...this.fixRuleActions(document, diagnostics, findings)];
  }

  /** One per rule of the diagnostics at hand that has more than one fixable finding in the file, as ESLint does. */
  private fixRuleActions(
    document: vscode.TextDocument,
    diagnostics: readonly vscode.Diagnostic[],
    findings: readonly ManifestFinding[],
  ): vscode.CodeAction[] {
    const rules = new Set(diagnostics.map(ruleOf).filter((rule): rule is RuleId => rule !== undefined));
    return [...rules]
      .filter((rule) => findings.filter((finding) => finding.rule === rule && finding.fixes.length > 0).length > 1)
      .map((rule) => new FixRuleInFileAction(document, rule, document.version));
  }

  async resolveCodeAction(action: vscode.CodeAction): Promise<vscode.CodeAction> {
    if (!(action instanceof FixRuleInFileAction) || action.document.version !== action.version) return action;
    const text = action.document.getText();
    const options = { ...this.analyzer.fixAllOptions(action.document), onlyRules: [action.rule] };
    const edit = minimalReplacement(text, (await this.engine.call('fixAll', text, options)).text);
    if (edit && action.document.version === action.version) action.edit = workspaceEdit(action.document, [edit]);
    return action;
  }

  private async fixAllActions(document: vscode.TextDocument): Promise<vscode.CodeAction[]> {
    const { version } = document;
    const text = document.getText();
    const fixed = await this.engine.call('fixAll', text, this.analyzer.fixAllOptions(document));
    const edit = minimalReplacement(text, fixed.text);
    if (!edit || document.version !== version) return [];
    const action = new vscode.CodeAction('Fix all service account token issues', FIX_ALL_KIND);
    action.edit = workspaceEdit(document, [edit]);
    return [action];
  }

  private async createSecretActions(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
    const { version } = document;
    const text = document.getText();
    // Cheap guard: the cursor moves often, and only ServiceAccount documents qualify.
    if (!text.includes('ServiceAccount')) return [];
    const edit = await this.engine.call('explicitTokenSecretEdit', text, document.offsetAt(range.start));
    if (!edit || document.version !== version) return [];
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
