// Auth error explanations in VS Code: the hover on a line that holds one, and "Explain Kubernetes Auth Error" on a
// selection. Log text is hostile: it is escaped everywhere, and command links carry only names the recogniser
// captured in Kubernetes' name alphabet; the commands look everything up again themselves.
import * as vscode from 'vscode';
import type { FeatureContext } from '../shared/context';
import { escapeMarkdown, fenced } from '../../core/tokens/explain';
import {
  type AuthErrorExplanation,
  canIResource,
  explainAuthErrors,
  explainLine,
} from '../../core/troubleshoot/authErrors';
import { DIAGNOSE_COMMAND, type DiagnoseRequest, EXPLAIN_COMMAND } from './ids';
import type { Report, ReportPanel } from './reportPanel';

/** How much of a hovered line is searched: a hover on a megabyte-long line stays instant. */
const HOVER_WINDOW = 8192;

/** The hover for one line of a document, or undefined when it holds no recognised error. */
export function authErrorHover(lineText: string, line: number, character: number): vscode.Hover | undefined {
  const from = Math.max(0, character - HOVER_WINDOW / 2);
  const found = explainLine(lineText.slice(from, from + HOVER_WINDOW), line + 1, from);
  if (!found) return undefined;
  return new vscode.Hover(hoverMarkdown(found), new vscode.Range(line, found.start, line, found.end));
}

/** The command links a hover may contain; nothing else runs from it. */
const HOVER_COMMANDS = [EXPLAIN_COMMAND, DIAGNOSE_COMMAND];

function hoverMarkdown(explanation: AuthErrorExplanation): vscode.MarkdownString {
  const lines = [
    `**Kubernetes auth error: ${escapeMarkdown(explanation.title)}**`,
    '',
    escapeMarkdown(explanation.meaning),
    '',
    ...subjectLines(explanation),
    'Likely causes:',
    '',
    ...explanation.causes.map((cause, index) => `${index + 1}. ${escapeMarkdown(cause)}`),
    '',
    links(explanation).join(' · '),
    '',
    ...fenced(explanation.next.join('\n'), 'sh'),
    '',
    `_Pattern: ${escapeMarkdown(explanation.source)}_`,
  ];
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}

function subjectLines(explanation: AuthErrorExplanation): string[] {
  const facts: string[] = [];
  const sa = explanation.serviceAccount;
  if (sa) facts.push(`ServiceAccount \`${sa.namespace}/${sa.name}\``);
  else if (explanation.user) facts.push(`User ${escapeMarkdown(explanation.user)}`);
  if (explanation.verb && explanation.resource)
    facts.push(
      `${escapeMarkdown(explanation.verb)} ${escapeMarkdown(canIResource(explanation.resource, explanation.apiGroup))}`,
    );
  if (explanation.namespace) facts.push(`in namespace \`${explanation.namespace}\``);
  return facts.length ? [facts.join(' · '), ''] : [];
}

const commandLink = (label: string, command: string, args: unknown): string =>
  `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;

function diagnoseRequest(explanation: AuthErrorExplanation): DiagnoseRequest | undefined {
  const sa = explanation.serviceAccount;
  if (!sa) return undefined;
  const forChecks =
    explanation.kind === 'forbidden' &&
    explanation.verb &&
    explanation.resource &&
    !explanation.resource.startsWith('/')
      ? [`${explanation.verb} ${canIResource(explanation.resource, explanation.apiGroup)}`]
      : undefined;
  return { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name, for: forChecks };
}

function links(explanation: AuthErrorExplanation): string[] {
  const result = [commandLink('Explain in a report', EXPLAIN_COMMAND, [{ line: explanation.message }])];
  const request = diagnoseRequest(explanation);
  if (request)
    result.unshift(commandLink(`Diagnose ${request.namespace}/${request.name}`, DIAGNOSE_COMMAND, [request]));
  return result;
}

/** The selection (or the cursor's line), or the text a hover link passed; explained in the report panel. */
export async function explainSelection(
  context: FeatureContext,
  panel: ReportPanel,
  argument?: { line?: unknown },
): Promise<void> {
  const text = typeof argument?.line === 'string' ? argument.line : selectedText();
  if (text === undefined) {
    void context.showInformationMessage('Select the error message (or put the cursor on its line) first.');
    return;
  }
  const explanations = explainAuthErrors(text);
  if (explanations.length === 0) {
    void context.showInformationMessage(
      'No Kubernetes authentication or authorization error recognised in the selection.',
    );
    return;
  }
  panel.show(explanationReport(context, explanations));
}

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { selection, document } = editor;
  return selection.isEmpty ? document.lineAt(selection.active.line).text : document.getText(selection);
}

export function explanationReport(context: FeatureContext, explanations: AuthErrorExplanation[]): Report {
  return {
    title: 'Kubernetes Auth Error',
    subtitle: 'What the error means, its likely causes (most likely first) and what to do next.',
    summary: `${explanations.length} error${explanations.length === 1 ? '' : 's'} recognised`,
    items: explanations.map((explanation) => {
      const request = diagnoseRequest(explanation);
      return {
        status: 'fail',
        title: `Line ${explanation.line}: ${explanation.title}`,
        detail: explanation.meaning,
        list: { heading: 'Likely causes', entries: explanation.causes },
        evidence: [
          explanation.message,
          `Pattern: ${explanation.source}`,
          ...explanation.next.map((step) => `$ ${step}`),
        ],
        actions: [
          ...(request
            ? [
                {
                  label: `Diagnose ${request.namespace}/${request.name}`,
                  run: () => vscode.commands.executeCommand(DIAGNOSE_COMMAND, request),
                },
              ]
            : []),
          {
            label: 'Copy Next Commands',
            run: async () => {
              await vscode.env.clipboard.writeText(explanation.next.join('\n'));
              void context.showInformationMessage('Copied the next-step commands.');
            },
          },
        ],
      };
    }),
  };
}
