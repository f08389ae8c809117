// Rule options shared by `sa-token lint` and `sa-token fix`: --enable/--disable/--severity over each file's
// .sa-token.yaml, and --fail-on for the exit code; --max-manifest-size for every command that reads manifests.
import { Option, type Command } from 'commander';
import { RULE_IDS } from '../core/manifests/rules/catalog';
import { DEFAULT_CLI_MANIFEST_LIMIT_KB } from '../core/manifests/sizeLimit';
import { printable } from '../core/printable';
import type { RuleId, RuleSettings, Severity } from '../core/manifests/types';
import { collectRepeated as collect, UsageError } from './io';

export interface RuleFlags {
  enable?: string[];
  disable?: string[];
  severity?: string[];
}

export function addRuleOptions(command: Command): Command {
  return command
    .option('--enable <id>', `turn a rule on (repeatable, or comma-separated: ${RULE_IDS.join(', ')})`, collect)
    .option('--disable <id>', 'turn a rule off (repeatable, or comma-separated)', collect)
    .option('--severity <id=level>', 'report a rule at another severity: error, warning or info (repeatable)', collect);
}

/** Rule ids from repeatable, comma-separated values; an unknown id is a usage error. */
export function parseRuleIds(values: readonly string[] | undefined): RuleId[] {
  const ids = (values ?? []).flatMap((value) => value.split(',')).map((id) => id.trim().toUpperCase());
  const unknown = ids.filter((id) => !(RULE_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) throw new UsageError(`unknown rule ${unknown.join(', ')} (known: ${RULE_IDS.join(', ')})`);
  return ids as RuleId[];
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** The command line's rule settings; they win over .sa-token.yaml. */
export function ruleSettingsFromFlags(flags: RuleFlags): RuleSettings {
  const settings: RuleSettings = {};
  for (const id of parseRuleIds(flags.enable)) settings[id] = { ...settings[id], enabled: true };
  for (const id of parseRuleIds(flags.disable)) settings[id] = { ...settings[id], enabled: false };
  for (const pair of flags.severity ?? []) {
    const [id, level] = pair.split('=').map((part) => part.trim());
    const [rule] = parseRuleIds([id ?? '']);
    if (!SEVERITIES.includes(level as Severity)) {
      throw new UsageError(`--severity ${pair}: expected ID=error, ID=warning or ID=info`);
    }
    settings[rule] = { enabled: settings[rule]?.enabled ?? true, severity: level as Severity };
  }
  return settings;
}

export type FailOn = Severity | 'never';

export const failOnOption = () =>
  new Option('--fail-on <level>', 'exit 1 when a finding is at least this severe')
    .choices(['error', 'warning', 'info', 'never'])
    .default('warning');

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Whether findings of these severities fail the run at `failOn`. */
export function fails(severities: Iterable<Severity>, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  for (const severity of severities) if (RANK[severity] >= RANK[failOn]) return true;
  return false;
}

/** `--max-manifest-size KB`: a whole number of KB, at least 1. */
function parseSizeLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--max-manifest-size takes a whole number of KB (1 or more), not ${printable(value)}`);
  return limit;
}

/**
 * `--max-manifest-size KB`, shared by lint, fix, doctor -f and the RBAC commands' --from (the editor's
 * saToken.diagnostics.maxManifestSizeKB; see sizeLimit.ts).
 */
export const maxManifestSizeOption = () =>
  new Option('--max-manifest-size <KB>', 'skip manifests larger than this (1 KB = 1,024 characters)')
    .argParser(parseSizeLimit)
    .default(DEFAULT_CLI_MANIFEST_LIMIT_KB);
