// `.sa-token.yaml`: a project's rule levels, ignored files and fix settings, read by the CLI and the extension for
// every file under the directory that holds it (the nearest one upwards wins; they do not merge).
import picomatch from 'picomatch';
import { isMap } from 'yaml';
import { MIN_TOKEN_EXPIRATION_SECONDS } from '../kubernetes';
import { documentValue, parseYaml } from './nodes';
import { RULE_IDS } from './rules/catalog';
import type { FixOptions, RuleId, RuleSettings, Severity } from './types';

export const PROJECT_CONFIG_FILE = '.sa-token.yaml';

export type RuleLevel = Severity | 'off' | 'on';
const LEVELS: readonly RuleLevel[] = ['error', 'warning', 'info', 'off', 'on'];

export interface ProjectConfig {
  rules: Partial<Record<RuleId, RuleLevel>>;
  /** Globs relative to the config file's directory (`**` `*` `?` `{a,b}`); matching files are not linted. */
  ignore: string[];
  fix: FixOptions & { hardening?: boolean };
}

export const EMPTY_CONFIG: ProjectConfig = { rules: {}, ignore: [], fix: {} };

/** The config, and one message per thing it could not use (the rest still applies). */
export function parseProjectConfig(text: string): { config: ProjectConfig; problems: string[] } {
  const problems: string[] = [];
  const config: ProjectConfig = { rules: {}, ignore: [], fix: {} };
  // The hardened reader, as for manifests: a repository's config is as hostile as its manifests (an alias bomb is
  // refused as Kubernetes refuses it; yaml's toJS threw on one, and scanned the anchors per alias on a flood).
  const docs = parseYaml(text);
  if (docs.length > 1) return { config, problems: ['expected one YAML document'] };
  if (docs.length === 0) return { config, problems };
  const [doc] = docs;
  const read = documentValue(doc);
  if ('skipped' in read) return { config, problems: [read.skipped] };
  const root = read.value;
  if (root === null || root === undefined) return { config, problems };
  if (!isMap(doc.contents) || typeof root !== 'object') return { config, problems: ['expected a map at the top'] };
  const { rules, ignore, fix, ...unknown } = root as Record<string, unknown>;
  for (const key of Object.keys(unknown)) problems.push(`unknown key "${safe(key)}" (known: rules, ignore, fix)`);
  if (rules !== undefined) {
    if (!isRecord(rules)) problems.push('rules: expected a map of rule ids to levels');
    else {
      for (const [id, level] of Object.entries(rules)) {
        const rule = id.toUpperCase() as RuleId;
        if (!RULE_IDS.includes(rule)) problems.push(`rules: unknown rule "${safe(id)}"`);
        else if (typeof level === 'boolean') config.rules[rule] = level ? 'on' : 'off';
        else if (LEVELS.includes(level as RuleLevel)) config.rules[rule] = level as RuleLevel;
        else problems.push(`rules.${rule}: expected one of ${LEVELS.join(', ')}`);
      }
    }
  }
  if (ignore !== undefined) {
    if (Array.isArray(ignore) && ignore.every((glob) => typeof glob === 'string')) config.ignore = ignore;
    else problems.push('ignore: expected a list of globs');
  }
  if (fix !== undefined) {
    if (!isRecord(fix)) problems.push('fix: expected a map');
    else readFix(fix, config.fix, problems);
  }
  return { config, problems };
}

function readFix(fix: Record<string, unknown>, into: ProjectConfig['fix'], problems: string[]): void {
  for (const [key, value] of Object.entries(fix)) {
    if (key === 'hardening' && typeof value === 'boolean') into.hardening = value;
    else if (
      key === 'expirationSeconds' &&
      Number.isInteger(value) &&
      (value as number) >= MIN_TOKEN_EXPIRATION_SECONDS
    ) {
      into.expirationSeconds = value as number;
    } else if ((key === 'mountPath' || key === 'audience') && typeof value === 'string') into[key] = value;
    else problems.push(`fix.${safe(key)}: not a known setting with a valid value`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Names from the file in a message: printable, bounded. */
const safe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 60);

/** Rule settings from rule levels (`on`: enabled at its default severity). */
export function ruleSettingsOf(levels: Partial<Record<RuleId, RuleLevel>>): RuleSettings {
  const settings: RuleSettings = {};
  for (const [rule, level] of Object.entries(levels) as [RuleId, RuleLevel][]) {
    settings[rule] =
      level === 'off' ? { enabled: false } : level === 'on' ? { enabled: true } : { enabled: true, severity: level };
  }
  return settings;
}

/** Whether `relativePath` (from the config file's directory, `/` separators) is ignored. */
export function isIgnored(config: ProjectConfig, relativePath: string): boolean {
  if (config.ignore.length === 0) return false;
  return picomatch.isMatch(relativePath, config.ignore, { dot: true });
}
