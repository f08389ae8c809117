// Optional diagnostics on tokens in open files (expired; a real service account token committed to a file), with a
// "Redact token" quick fix.
import * as vscode from 'vscode';
import { findTokens } from '../../core/tokens/finder';
import type { KubeconfigUserToken } from '../../core/tokens/kubeconfigTokens';
import {
  readsKubeconfigUsers,
  redactedReplacement,
  scanWithKubeconfigUsers,
  type ScanOptions,
  type TokenRuleId,
} from '../../core/tokens/scan';
import { onConfigChange } from '../shared/config';
import type { FeatureContext } from '../shared/context';
import {
  ANALYZED_SCHEMES,
  DocumentDiagnostics,
  ruleDocumentation,
  toDiagnosticSeverity,
} from '../shared/documentDiagnostics';

export const TOKEN_DIAGNOSTIC_SOURCE = 'sa-token';
const TOKEN_PROBLEM_CODES = new Set<string>(['SAT301', 'SAT302'] satisfies TokenRuleId[]);
/** Scanning is linear, but a multi-megabyte log is not worth re-scanning on every keystroke. */
const MAX_SCANNED_CHARACTERS = 5_000_000;

export function registerTokenDiagnostics(context: FeatureContext): void {
  const diagnostics = new DocumentDiagnostics(
    'sa-token-tokens',
    {
      accepts: (document) => {
        const { expiredTokens, committedTokens } = context.config.diagnostics;
        return (expiredTokens || committedTokens) && ANALYZED_SCHEMES.has(document.uri.scheme);
      },
      analyze: (document) => tokenDiagnostics(document, context),
    },
    (message) => context.log.warn(message),
  );
  context.own(
    diagnostics,
    onConfigChange(() => diagnostics.refreshAll()),
    vscode.languages.registerCodeActionsProvider(
      [...ANALYZED_SCHEMES].map((scheme) => ({ scheme })),
      new RedactTokenActions(),
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}

/** A kubeconfig's users are read by the YAML engine (off the host's thread): its diagnostics come later. */
function tokenDiagnostics(
  document: vscode.TextDocument,
  context: FeatureContext,
): vscode.Diagnostic[] | Promise<vscode.Diagnostic[]> {
  const text = document.getText();
  if (text.length > MAX_SCANNED_CHARACTERS) return [];
  const { diagnostics, rules } = context.config;
  const options: ScanOptions = {
    committed: diagnostics.committedTokens && rules.SAT301 !== 'off',
    expired: diagnostics.expiredTokens && rules.SAT302 !== 'off' && 'anywhere',
    fileName: document.isUntitled ? undefined : document.fileName,
    yaml: document.languageId === 'yaml',
  };
  if (!readsKubeconfigUsers(text, options)) return toDiagnostics(document, context, text, options, []);
  return context.services.manifestEngine
    .call('kubeconfigUserTokens', text)
    .then((users) => toDiagnostics(document, context, text, options, users));
}

function toDiagnostics(
  document: vscode.TextDocument,
  context: FeatureContext,
  text: string,
  options: ScanOptions,
  users: readonly KubeconfigUserToken[],
): vscode.Diagnostic[] {
  const { rules } = context.config;
  const problems = scanWithKubeconfigUsers(text, options, () => users);
  return problems.map((problem) => {
    const range = new vscode.Range(document.positionAt(problem.match.start), document.positionAt(problem.match.end));
    const level = rules[problem.rule];
    const severity = toDiagnosticSeverity(level && level !== 'off' ? level : problem.severity);
    const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
    diagnostic.source = TOKEN_DIAGNOSTIC_SOURCE;
    const docs = ruleDocumentation(context, problem.rule);
    diagnostic.code = docs ? { value: problem.rule, target: docs } : problem.rule;
    return diagnostic;
  });
}

class RedactTokenActions implements vscode.CodeActionProvider {
  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    return context.diagnostics.filter(isTokenProblem).flatMap((diagnostic) => {
      // The diagnostic's range is exactly one token; find it again rather than keep token text around.
      const match = findTokens(document.getText(diagnostic.range))[0];
      if (!match) return [];
      const action = new vscode.CodeAction('Redact token', vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, redactedReplacement(match));
      action.diagnostics = [diagnostic];
      action.isPreferred = codeOf(diagnostic) === 'SAT301';
      return [action];
    });
  }
}

const isTokenProblem = (diagnostic: vscode.Diagnostic): boolean =>
  diagnostic.source === TOKEN_DIAGNOSTIC_SOURCE && TOKEN_PROBLEM_CODES.has(String(codeOf(diagnostic)));

/** A diagnostic's rule id, whether its code is plain or linked to the documentation. */
const codeOf = (diagnostic: vscode.Diagnostic): unknown =>
  typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
