// Translates `saToken.rules` / `saToken.fix.*` settings into the engine's options. No vscode import: unit-tested.
import type { FixOptions, RuleId, RuleSettings, Severity } from '../../core/manifests/types';
import type { RuleSetting as RuleLevel, SaTokenConfig } from '../shared/settingValues';

/** The engine knows error/warning/info; "hint" is an editor-only level, linted as info and shown faintly. */
export function engineRuleSettings(levels: SaTokenConfig['rules']): RuleSettings {
  const settings: RuleSettings = {};
  for (const [rule, level] of Object.entries(levels) as [RuleId, RuleLevel | undefined][]) {
    if (!level) continue;
    settings[rule] =
      level === 'off' ? { enabled: false } : { enabled: true, severity: level === 'hint' ? 'info' : level };
  }
  return settings;
}

/** The level a finding is shown at: the user's "hint" wins over the engine's info. */
export function displayedLevel(
  rule: RuleId,
  engineSeverity: Severity,
  levels: SaTokenConfig['rules'],
): Severity | 'hint' {
  return levels[rule] === 'hint' ? 'hint' : engineSeverity;
}

export function engineFixOptions(fix: SaTokenConfig['fix']): FixOptions {
  return {
    expirationSeconds: fix.expirationSeconds,
    mountPath: fix.mountPath,
    ...(fix.audience ? { audience: fix.audience } : {}),
  };
}

const MANIFEST_LANGUAGES = new Set(['yaml', 'helm', 'kubernetes-yaml']);

/** YAML documents by language, and *.yaml / *.yml files whatever language they were given. */
export function isManifestDocument(languageId: string, fileName: string): boolean {
  return MANIFEST_LANGUAGES.has(languageId) || /\.ya?ml$/i.test(fileName);
}
