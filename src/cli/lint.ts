// `sa-token lint`: the manifest engine over files and directories, as text, JSON or SARIF 2.1.0.
import { type Command, Option } from 'commander';
import { DEFAULT_MANIFEST_LIMIT_KB } from '../core/manifests/sizeLimit';
import type { ManifestAnalysis } from '../core/manifests/types';
import { inertJson, printable, printableLine } from '../core/printable';
import { LineIndex } from '../core/text';
import { toCliFindings, type CliFinding } from './findings';
import { EXIT_FINDINGS, UsageError } from './io';
import { loadCommands } from './commands';
import type { ManifestFile } from './manifestFiles';
import type { sarif } from './sarif';

type Format = 'text' | 'json' | 'sarif';

/** `--max-manifest-size KB`: a whole number of KB, at least 1. */
function parseSizeLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--max-manifest-size takes a whole number of KB (1 or more), not ${printable(value)}`);
  return limit;
}

/** `--max-manifest-size KB`, shared by lint and fix (the editor's saToken.diagnostics.maxManifestSizeKB). */
export const maxManifestSizeOption = () =>
  new Option('--max-manifest-size <KB>', 'skip manifests larger than this (1 KB = 1,024 characters)')
    .argParser(parseSizeLimit)
    .default(DEFAULT_MANIFEST_LIMIT_KB);

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description(
      'Find service account token problems in Kubernetes manifests (SAT001–SAT009, SAT101–SAT104, SAT203), client-library versions in dependency files (SAT201) and application code (SAT202).',
    )
    .argument(
      '<paths...>',
      'files or directories (searched recursively for *.yaml/*.yml, dependency and lock files, and Python/Go/JS/TS/Java/shell sources)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(maxManifestSizeOption())
    .action(async (paths: string[], options: { format: Format; maxManifestSize: number }) => {
      const findings = await lintFindings(paths, options.maxManifestSize);
      process.stdout.write(render(options.format, findings, loadCommands().sarif));
      if (findings.length > 0) process.exitCode = EXIT_FINDINGS;
    });
}

/** What `sa-token lint PATH…` finds (also `sa-token report PATH…`), sorted; YAML syntax errors said on stderr. */
export async function lintFindings(
  paths: string[],
  maxManifestSizeKb = DEFAULT_MANIFEST_LIMIT_KB,
): Promise<CliFinding[]> {
  // Loaded when a command runs, not at every start of the CLI.
  const { analyzeManifest, isTemplate, readLintInputs, withinSizeLimit, workspaceOptions, lintCode } = loadCommands();
  const inputs = await readLintInputs(paths);
  const files = withinSizeLimit(inputs.manifests, maxManifestSizeKb);
  const optionsFor = workspaceOptions(files);
  // One analysis per file gives both the findings and the syntax errors.
  const analyses = files.map((file) => ({ file, analysis: analyzeManifest(file.text, optionsFor(file)) }));
  const findings = [
    ...analyses.flatMap(({ file, analysis }) => toCliFindings(file, analysis.findings)),
    ...(await lintCode(inputs)),
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  reportSyntaxErrors(analyses, isTemplate);
  return findings;
}

/** YAML that does not parse is linted as far as it goes; say so once per file (Helm templates excepted). */
function reportSyntaxErrors(
  analyses: readonly { file: ManifestFile; analysis: ManifestAnalysis }[],
  isTemplate: (text: string, fileName?: string) => boolean,
): void {
  for (const { file, analysis } of analyses) {
    if (isTemplate(file.text, file.path)) continue;
    const [first, ...rest] = analysis.parseProblems;
    if (!first) continue;
    const at = new LineIndex(file.text).lineColumn(first.start);
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    // The parser's message quotes the offending source lines: flattened like every other untrusted text.
    process.stderr.write(
      `sa-token: ${printable(file.path)}:${at.line}:${at.column}: YAML syntax error: ${printable(first.message)}${more}\n`,
    );
  }
}

function render(format: Format, findings: CliFinding[], toSarif: typeof sarif): string {
  if (format === 'json') return inertJson(findings) + '\n';
  if (format === 'sarif') return inertJson(toSarif(findings)) + '\n';
  // File names and messages (which quote names from the manifest) are untrusted: one printable line each.
  const lines = findings.map((f) =>
    printableLine(
      `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message}${f.fixable ? ' [fixable]' : ''}`,
    ),
  );
  const files = new Set(findings.map((f) => f.file)).size;
  lines.push(
    findings.length === 0
      ? 'No service account token problems found.'
      : `${findings.length} problem(s) in ${files} file(s).`,
  );
  return lines.join('\n') + '\n';
}
