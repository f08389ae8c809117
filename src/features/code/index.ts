// Beyond manifests: client libraries too old to reload a rotated token (SAT201) in dependency files and lock files,
// and application code that reads the token once (SAT202). Only file names are checked on activation; the parsers
// (dist/code.js, with tree-sitter's grammars) load when such a file is first analysed.
import * as vscode from 'vscode';
import { codeLanguageOf } from '../../core/appCode/languages';
import type { TokenMount } from '../../core/appCode/mounts';
import { DEPENDENCY_FILE_GLOB, dependencyFileKind } from '../../core/dependencies/fileKinds';
import type { RuleId, Severity } from '../../core/manifests/types';
import { LineIndex } from '../../core/text';
import { loadCode } from '../../codeLoader';
import { onConfigChange } from '../shared/config';
import type { FeatureContext } from '../shared/context';
import {
  ANALYZED_SCHEMES,
  DocumentDiagnostics,
  ruleDocumentation,
  toDiagnosticSeverity,
} from '../shared/documentDiagnostics';
import { MANIFEST_DIAGNOSTIC_SOURCE, rangeOf, ruleOf } from '../manifests/analysis';

export const OPEN_CHANGELOG_COMMAND = 'saToken.openChangelog';
const MANIFEST_GLOB = '**/*.{yaml,yml}';
const EXCLUDED = '**/{node_modules,.git}/**';
const MAX_MANIFESTS = 2000;

export function registerCodeFeatures(context: FeatureContext): void {
  const mounts = new WorkspaceTokenMounts(context);
  const level = (rule: RuleId, engine: Severity): Severity | 'hint' | undefined => {
    const setting = context.config.rules[rule];
    if (setting === 'off') return undefined;
    return setting ?? engine;
  };
  const dependencies = new DocumentDiagnostics(
    'sa-token-dependencies',
    {
      accepts: (document) =>
        context.config.diagnostics.dependencies &&
        ANALYZED_SCHEMES.has(document.uri.scheme) &&
        dependencyFileKind(document.fileName) !== undefined &&
        level('SAT201', 'warning') !== undefined,
      analyze: (document) =>
        loadCode()
          .lintDependencyFile(document.fileName, document.getText())
          .map((finding) => ruleDiagnostic(context, document, finding, level('SAT201', finding.severity)!)),
    },
    (message) => context.log.warn(message),
  );
  const applicationCode = new DocumentDiagnostics(
    'sa-token-code',
    {
      accepts: (document) =>
        context.config.diagnostics.applicationCode &&
        ANALYZED_SCHEMES.has(document.uri.scheme) &&
        codeLanguageOf(document.fileName, undefined, document.languageId) !== undefined &&
        level('SAT202', 'info') !== undefined,
      analyze: async (document) => {
        const known = await mounts.get();
        const { lintSourceFile, mountFor, tokenEnvNames } = loadCode();
        const findings = await lintSourceFile(document.fileName, document.getText(), {
          languageId: document.languageId,
          tokenEnvNames: tokenEnvNames(known),
        });
        return findings.map((finding) => {
          const diagnostic = ruleDiagnostic(context, document, finding, level('SAT202', finding.severity)!);
          const mount = mountFor(finding, known);
          if (mount?.location)
            diagnostic.relatedInformation = [
              new vscode.DiagnosticRelatedInformation(
                mount.location,
                mount.kind === 'env' ? `${mount.value} is set from a token Secret here` : 'the token is mounted here',
              ),
            ];
          return diagnostic;
        });
      },
    },
    (message) => context.log.warn(message),
  );
  context.own(
    dependencies,
    applicationCode,
    mounts,
    onConfigChange(() => {
      dependencies.refreshAll();
      applicationCode.refreshAll();
    }),
    vscode.languages.registerCodeActionsProvider({ pattern: DEPENDENCY_FILE_GLOB }, new ChangelogActions(), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );
  context.command(OPEN_CHANGELOG_COMMAND, (libraryId?: unknown) => openChangelog(libraryId));
}

/** A diagnostic whose code links to its rule's documentation, as the manifest rules' do. */
function ruleDiagnostic(
  context: FeatureContext,
  document: vscode.TextDocument,
  finding: { rule: RuleId; start: number; end: number; message: string },
  severity: Severity | 'hint',
): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(rangeOf(document, finding), finding.message, toDiagnosticSeverity(severity));
  diagnostic.source = MANIFEST_DIAGNOSTIC_SOURCE;
  const docs = ruleDocumentation(context, finding.rule);
  diagnostic.code = docs ? { value: finding.rule, target: docs } : finding.rule;
  return diagnostic;
}

/** "Open changelog of …" on each SAT201 diagnostic. */
class ChangelogActions implements vscode.CodeActionProvider {
  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((diagnostic) => ruleOf(diagnostic) === 'SAT201');
    if (ours.length === 0) return [];
    // The library is found again from the document (diagnostics come back from VS Code as copies): the finding at
    // the diagnostic's range. SAT201 diagnostics exist only once dist/code.js is loaded: the parser is there.
    const findings = loadCode().lintDependencyFile(document.fileName, document.getText());
    return ours.flatMap((diagnostic) => {
      const library = findings.find((finding) => rangeOf(document, finding).isEqual(diagnostic.range))?.library;
      if (!library) return [];
      const title = `Open the changelog of ${library.title} ${library.firstReloading}`;
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.command = { command: OPEN_CHANGELOG_COMMAND, title, arguments: [library.id] };
      action.diagnostics = [diagnostic];
      return [action];
    });
  }
}

/** Opens only a URL of our fixed table, re-resolved from the library id (never a URL from an argument or a file). */
async function openChangelog(libraryId: unknown): Promise<void> {
  const url = typeof libraryId === 'string' ? loadCode().changelogOf(libraryId) : undefined;
  if (!url) throw new Error('Unknown client library: no changelog to open.');
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

/** Volume mounts and token env vars of the workspace's manifests, read when application code is first analysed and
 * again after a YAML file is saved, created or deleted. */
class WorkspaceTokenMounts implements vscode.Disposable {
  private current: Promise<LocatedMount[]> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly context: FeatureContext) {
    const stale = (uri: vscode.Uri) => {
      if (/\.ya?ml$/i.test(uri.path)) this.current = undefined;
    };
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument((document) => stale(document.uri)),
      vscode.workspace.onDidCreateFiles((event) => event.files.forEach(stale)),
      vscode.workspace.onDidDeleteFiles((event) => event.files.forEach(stale)),
    ];
  }

  get(): Promise<LocatedMount[]> {
    this.current ??= this.scan().catch((error: unknown) => {
      this.context.log.warn(`reading manifests for token mounts failed: ${String(error)}`);
      return [];
    });
    return this.current;
  }

  private async scan(): Promise<LocatedMount[]> {
    const uris = await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDED, MAX_MANIFESTS);
    const found: LocatedMount[] = [];
    const { tokenMounts } = loadCode();
    for (const uri of uris) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.length > 2_000_000) continue;
      const text = new TextDecoder().decode(bytes);
      const mounts = tokenMounts(text, uri.fsPath);
      if (mounts.length === 0) continue;
      const lines = new LineIndex(text);
      for (const mount of mounts) found.push({ ...mount, location: locationOf(uri, lines, mount) });
    }
    return found;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

type LocatedMount = TokenMount & { location?: vscode.Location };

function locationOf(uri: vscode.Uri, lines: LineIndex, span: { start: number; end: number }): vscode.Location {
  const position = (offset: number) => {
    const { line, character } = lines.positionAt(offset);
    return new vscode.Position(line, character);
  };
  return new vscode.Location(uri, new vscode.Range(position(span.start), position(span.end)));
}
