// `sa-token lint`: the manifest engine, the dependency and code rules and the leak scan over files and directories,
// as text, JSON or SARIF 2.1.0.
import { type Command, Option } from 'commander';
import { RULES } from '../core/manifests/rules/catalog';
import { DEFAULT_CLI_MANIFEST_LIMIT_KB } from '../core/manifests/sizeLimit';
import type { ManifestAnalysis, RuleId, RuleSettings } from '../core/manifests/types';
import { inertJson, printable, printableLine } from '../core/printable';
import { LineIndex } from '../core/text';
import { toCliFindings, type CliFinding } from './findings';
import { collectRepeated, EXIT_FINDINGS, EXIT_USAGE, UsageError } from './io';
import { loadCommands } from './commands';
import type { ManifestFile } from './manifestFiles';
import {
  addRuleOptions,
  failOnOption,
  fails,
  maxManifestSizeOption,
  parseRuleIds,
  ruleSettingsFromFlags,
  type FailOn,
  type RuleFlags,
} from './ruleOptions';
import type { sarif } from './sarif';

type Format = 'text' | 'json' | 'sarif';

export function registerLint(program: Command): void {
  const command = program
    .command('lint')
    .description(
      'Find service account token problems in Kubernetes manifests (SAT001–SAT009, SAT101–SAT104, SAT203), client-library versions in dependency files (SAT201), application code (SAT202), and service account tokens leaked into any text file (SAT301, SAT302).',
    )
    .argument(
      '<paths...>',
      'files or directories (searched recursively; every text file is scanned for tokens, *.yaml/*.yml read as manifests, dependency and lock files and Python/Go/JS/TS/Java/shell sources as code)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(maxManifestSizeOption())
    .option(
      '--only <rules>',
      `run only these rules, also ones off by default, whatever .sa-token.yaml says (comma-separated or repeated; ${RULES[0].id}…${RULES[RULES.length - 1].id}); not with --enable/--disable`,
      collectRepeated,
    )
    .option('--no-manifests', `the leak scan alone (${LEAK_RULES.join(', ')}): read no file as a manifest or code`)
    .addOption(failOnOption());
  addRuleOptions(command).action(async (paths: string[], options: LintFlags) => {
    const { findings, unreadable } = await lintFindings(paths, {
      maxManifestSizeKb: options.maxManifestSize,
      only: onlyRules(options),
      rules: ruleSettingsFromFlags(options),
    });
    process.stdout.write(render(options.format, findings, loadCommands().sarif));
    if (
      fails(
        findings.map((finding) => finding.severity),
        options.failOn,
      )
    )
      process.exitCode = EXIT_FINDINGS;
    // Unreadable input is a failure of its own, after everything else was linted and printed.
    if (unreadable > 0) process.exitCode = EXIT_USAGE;
  });
}

/**
 * What `sa-token lint PATH…` finds (also `sa-token report PATH…`), sorted, and how many files could not be read;
 * those, YAML syntax errors and skipped files are said on stderr. `only`: the rules to run (all by default); the
 * manifest and code rules read only the files they are for. `rules`: --enable/--disable/--severity, over each file's
 * .sa-token.yaml.
 */
export async function lintFindings(
  paths: string[],
  {
    maxManifestSizeKb = DEFAULT_CLI_MANIFEST_LIMIT_KB,
    only = RULES.map((info) => info.id),
    rules = {},
  }: LintScope = {},
): Promise<{ findings: CliFinding[]; unreadable: number }> {
  // Loaded when a command runs, not at every start of the CLI.
  const commands = loadCommands();
  const { analyzeManifest, isTemplate, readLintInputs, reportUnreadable, lintCode } = commands;
  const commandLine = { ...onlySettings(only), ...rules };
  const scan = await commands.leakScanFiles(paths);
  const kindPaths = only.some((id) => !LEAK_RULES.includes(id)) ? commands.kindInputPaths(paths, scan) : [];
  const inputs =
    kindPaths.length > 0 ? await readLintInputs(kindPaths, { rules: commandLine, maxManifestSizeKb }) : undefined;
  if (inputs) reportUnreadable(inputs.unreadable);
  // One analysis per file gives both the findings and the syntax errors.
  const analyses = (inputs?.manifests ?? []).map((file) => ({
    file,
    analysis: analyzeManifest(file.text, inputs!.optionsFor(file)),
  }));
  const note = (message: string) => process.stderr.write(`sa-token: ${message}\n`);
  const settingsFor = (path: string) => inputs?.rulesFor(path) ?? commandLine;
  const leaks = await commands.scanLeaks(scan, { settingsFor, note });
  // Linting nothing must not pass as "no problems" (a mistyped path in CI would hide every finding).
  if (!inputs && leaks.textFiles === 0) throw new UsageError(`no text files in ${paths.join(', ')}`);
  const findings = [
    ...analyses.flatMap(({ file, analysis }) => toCliFindings(file, analysis.findings)),
    ...(inputs ? await lintCode(inputs, inputs.rulesFor) : []),
    ...leaks.findings,
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  reportSyntaxErrors(analyses, isTemplate);
  return { findings, unreadable: inputs?.unreadable.length ?? 0 };
}

interface LintScope {
  maxManifestSizeKb?: number;
  only?: readonly RuleId[];
  rules?: RuleSettings;
}

interface LintFlags extends RuleFlags {
  format: Format;
  failOn: FailOn;
  maxManifestSize: number;
  only?: string[];
  manifests: boolean;
}

const LEAK_RULES: readonly RuleId[] = ['SAT301', 'SAT302'];

/** The rules to run: `--only`'s (unknown ids are a usage error), narrowed to the leak scan by `--no-manifests`. */
function onlyRules(options: LintFlags): RuleId[] {
  const known = RULES.map((info) => info.id);
  const named = parseRuleIds(options.only);
  // Two ways of choosing rules in one command would need an order; there is one story instead: --only picks the
  // set, --enable/--disable adjust the defaults and .sa-token.yaml.
  if (named.length > 0 && (options.enable?.length || options.disable?.length))
    throw new UsageError('--only names every rule that runs: use it without --enable/--disable');
  const chosen = named.length > 0 ? known.filter((id) => named.includes(id)) : known;
  return options.manifests ? chosen : chosen.filter((id) => LEAK_RULES.includes(id));
}

/** Every rule off but the chosen ones, which are on (also those off by default): as settings the engines take. */
function onlySettings(only: readonly RuleId[]): RuleSettings {
  if (only.length === RULES.length) return {};
  return Object.fromEntries(RULES.map((info) => [info.id, { enabled: only.includes(info.id) }]));
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
    const what = first.severity === 'warning' ? 'YAML warning' : 'YAML syntax error';
    process.stderr.write(
      `sa-token: ${printable(file.path)}:${at.line}:${at.column}: ${what}: ${printable(first.message)}${more}${first.severity === 'warning' ? '' : '; the rules skip this document'}\n`,
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
