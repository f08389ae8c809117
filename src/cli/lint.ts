// `sa-token lint`: the manifest engine over files and directories, as text, JSON or SARIF 2.1.0.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Command, Option } from 'commander';
import { analyzeManifest, isTemplate } from '../core/manifests/lint';
import { RULES } from '../core/manifests/rules/catalog';
import type { LintOptions, ManifestAnalysis, ManifestFinding, Severity } from '../core/manifests/types';
import { indexWorkspaceFile, mergeIndexes } from '../core/manifests/workspace';
import { EXIT_FINDINGS, UsageError } from './io';

declare const SA_TOKEN_VERSION: string | undefined;

export interface ManifestFile {
  path: string;
  text: string;
}

export interface CliFinding {
  file: string;
  rule: string;
  severity: Severity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const isManifestName = (name: string) => /\.ya?ml$/i.test(name);

/** Files named on the command line, and *.yaml/*.yml under named directories; sorted, each once. */
export async function readManifests(paths: readonly string[]): Promise<ManifestFile[]> {
  const files = new Set<string>();
  for (const path of paths) await collect(path, files, true);
  // Linting nothing must not pass as "no problems" (a mistyped path in CI would hide every finding).
  if (files.size === 0) throw new UsageError(`no *.yaml or *.yml files in ${paths.join(', ')}`);
  const sorted = [...files].sort();
  return Promise.all(sorted.map(async (path) => ({ path, text: await readText(path) })));
}

async function collect(path: string, files: Set<string>, named: boolean): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
    });
    for (const entry of entries) {
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      if (entry.isDirectory() || (entry.isFile() && isManifestName(entry.name)))
        await collect(join(path, entry.name), files, false);
    }
  } else if (named || isManifestName(path)) {
    files.add(path);
  }
}

async function readText(path: string): Promise<string> {
  const buffer = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (buffer.includes(0)) throw new UsageError(`cannot read ${path}: not a text file`);
  return buffer.toString('utf8');
}

/** Lint options per file, with the index of every given file so Secrets and ServiceAccounts match across them. */
export function workspaceOptions(files: readonly ManifestFile[]): (file: ManifestFile) => LintOptions {
  const index = mergeIndexes(...files.map((file) => indexWorkspaceFile(file.text, file.path)));
  return (file) => ({ fileName: file.path, tokenSecrets: index.tokenSecrets, serviceAccounts: index.serviceAccounts });
}

/** 1-based line and column of a UTF-16 offset; a BOM does not count as a column. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const bom = line === 1 && text.startsWith('\uFEFF') && offset > 0 ? 1 : 0;
  return { line, column: offset - lineStart + 1 - bom };
}

function toCliFinding(file: ManifestFile, finding: ManifestFinding): CliFinding {
  const start = lineColumn(file.text, finding.start);
  const end = lineColumn(file.text, finding.end);
  return {
    file: file.path,
    rule: finding.rule,
    severity: finding.severity,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: finding.message,
    fixable: finding.fixes.length > 0,
  };
}

type Format = 'text' | 'json' | 'sarif';

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('Find service account token problems in Kubernetes manifests (rules SAT001–SAT009).')
    .argument('<paths...>', 'manifest files or directories (searched recursively for *.yaml and *.yml)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .action(async (paths: string[], options: { format: Format }) => {
      const files = await readManifests(paths);
      const optionsFor = workspaceOptions(files);
      // One analysis per file gives both the findings and the syntax errors.
      const analyses = files.map((file) => ({ file, analysis: analyzeManifest(file.text, optionsFor(file)) }));
      const findings = analyses.flatMap(({ file, analysis }) => analysis.findings.map((f) => toCliFinding(file, f)));
      reportSyntaxErrors(analyses);
      process.stdout.write(render(options.format, findings));
      if (findings.length > 0) process.exitCode = EXIT_FINDINGS;
    });
}

/** YAML that does not parse is linted as far as it goes; say so once per file (Helm templates excepted). */
function reportSyntaxErrors(analyses: readonly { file: ManifestFile; analysis: ManifestAnalysis }[]): void {
  for (const { file, analysis } of analyses) {
    if (isTemplate(file.text, file.path)) continue;
    const [first, ...rest] = analysis.parseProblems;
    if (!first) continue;
    const at = lineColumn(file.text, first.start);
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    process.stderr.write(
      `sa-token: ${file.path}:${at.line}:${at.column}: YAML syntax error: ${first.message}${more}\n`,
    );
  }
}

function render(format: Format, findings: CliFinding[]): string {
  if (format === 'json') return JSON.stringify(findings, null, 2) + '\n';
  if (format === 'sarif') return JSON.stringify(sarif(findings), null, 2) + '\n';
  const lines = findings.map(
    (f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message}${f.fixable ? ' [fixable]' : ''}`,
  );
  const files = new Set(findings.map((f) => f.file)).size;
  lines.push(
    findings.length === 0
      ? 'No service account token problems found.'
      : `${findings.length} problem(s) in ${files} file(s).`,
  );
  return lines.join('\n') + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** SARIF 2.1.0 as GitHub code scanning reads it: rules on the driver, results with physical regions. */
export function sarif(findings: readonly CliFinding[]) {
  const ruleIndex = new Map(RULES.map((info, index) => [info.id as string, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sa-token',
            version: typeof SA_TOKEN_VERSION === 'string' ? SA_TOKEN_VERSION : '0.0.0-dev',
            informationUri: 'https://kubernetes.io/docs/concepts/security/service-accounts/',
            rules: RULES.map((info) => ({
              id: info.id,
              name: info.name,
              shortDescription: { text: info.summary },
              fullDescription: { text: info.help },
              help: { text: info.help },
              defaultConfiguration: { level: SARIF_LEVEL[info.severity], enabled: info.enabledByDefault },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** Repository-relative URIs with forward slashes, as code scanning matches them to files. */
function toUri(file: string): string {
  const path = relative(process.cwd(), file);
  return encodeURI((path.startsWith('..') ? file : path).split(sep).join('/'));
}
