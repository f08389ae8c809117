// Every `saToken.*` setting, read in one place and typed. package.json `contributes.configuration` declares them and
// is the one home of their types and defaults: a value that is missing or does not fit its declaration (settings
// files are hand-edited, and a workspace's are hostile) reads as package.json's default. Pure: test/unit checks this
// file and package.json agree on every key and type.
import type { RuleId } from '../../core/manifests/types';
import type { Severity } from '../../core/tokens/types';
import { settingProblem, type SettingSchema } from './settingChecks';

export type RuleSetting = Severity | 'hint' | 'off';

export interface SaTokenConfig {
  hoverEnabled: boolean;
  timeZone: 'utc' | 'local';
  /** PEM or JWKS files with public keys to verify token signatures against (restricted in untrusted workspaces). */
  keyFiles: string[];
  /** Also verify against the connected cluster's published keys (service account issuer discovery). */
  verifyWithCluster: boolean;
  diagnostics: {
    expiredTokens: boolean;
    committedTokens: boolean;
    manifests: boolean;
    /** SAT201 in dependency files and lock files. */
    dependencies: boolean;
    /** SAT202 in application code. */
    applicationCode: boolean;
    /** Manifests longer than this (KB of text) are neither linted nor fixed (restricted in untrusted workspaces). */
    maxManifestSizeKB: number;
  };
  /** Per-rule severity or `off`; rules absent here use their defaults. */
  rules: Partial<Record<RuleId, RuleSetting>>;
  /** `hardening`: fix-all also applies hardening fixes (they take something away from a workload). */
  fix: { expirationSeconds: number; mountPath: string; audience: string | null; hardening: boolean };
  cluster: {
    /** Kubeconfig path; empty means KUBECONFIG or ~/.kube/config (restricted in untrusted workspaces). */
    kubeconfig: string | null;
    /** Context to use instead of the kubeconfig's current-context. */
    context: string | null;
    requestTimeoutMs: number;
    /** Namespaces shown in the tree; empty means all. */
    namespaces: string[];
    watch: boolean;
    /** kube-controller-manager's legacy token clean-up period (not visible through the API). */
    legacyTokenCleanUpPeriodDays: number;
  };
}

/** The settings section: every key below is `saToken.<key>`. */
export const CONFIG_SECTION = 'saToken';

/** Where setting values come from (VS Code's configuration, with the workspace trust rules applied). */
export interface SettingSource {
  /** The value that counts, or undefined when none is set anywhere. */
  value(key: string): unknown;
  /** The key's declaration in package.json. */
  schema(key: string): SettingSchema | undefined;
}

/** package.json `type` of a setting, as the readers below ask for it. */
export type SettingType = NonNullable<SettingSchema['type']>;

/**
 * Reads each key as its declared type: a value that does not fit counts as the default and adds a line to
 * `problems`. `onRead` hears every key and the type the code expects (the package.json agreement test).
 */
export function configFrom(
  source: SettingSource,
  problems: string[] = [],
  onRead?: (key: string, type: SettingType) => void,
): SaTokenConfig {
  function read<T>(key: string, type: SettingType): T {
    onRead?.(key, type);
    const schema = source.schema(key);
    const value = source.value(key);
    if (value === undefined || !schema) return (value ?? schema?.default) as T;
    const problem =
      schema.type === type ? settingProblem(value, schema) : `declared as ${schema.type}, read as ${type}`;
    if (!problem) return value as T;
    problems.push(
      `Setting ${CONFIG_SECTION}.${key} is ignored: ${problem.replace(/\.$/, '')}. Using ${JSON.stringify(schema.default)}.`,
    );
    return schema.default as T;
  }
  const text = (key: string): string | null => read<string>(key, 'string').trim() || null;
  return {
    hoverEnabled: read('hover.enabled', 'boolean'),
    timeZone: read<string>('timeZone', 'string') === 'local' ? 'local' : 'utc',
    keyFiles: read('verification.keyFiles', 'array'),
    verifyWithCluster: read('verification.useCluster', 'boolean'),
    diagnostics: {
      expiredTokens: read('diagnostics.expiredTokens', 'boolean'),
      committedTokens: read('diagnostics.committedTokens', 'boolean'),
      manifests: read('diagnostics.manifests', 'boolean'),
      dependencies: read('diagnostics.dependencies', 'boolean'),
      applicationCode: read('diagnostics.applicationCode', 'boolean'),
      maxManifestSizeKB: read('diagnostics.maxManifestSizeKB', 'integer'),
    },
    rules: read('rules', 'object'),
    fix: {
      expirationSeconds: read('fix.expirationSeconds', 'integer'),
      mountPath: read('fix.mountPath', 'string'),
      audience: text('fix.audience'),
      hardening: read('fix.hardening', 'boolean'),
    },
    cluster: {
      kubeconfig: text('kubeconfig'),
      context: text('context'),
      requestTimeoutMs: 1000 * read<number>('requestTimeoutSeconds', 'number'),
      namespaces: read('namespaces', 'array'),
      watch: read('cluster.watch', 'boolean'),
      legacyTokenCleanUpPeriodDays: read('cluster.legacyTokenCleanUpPeriodDays', 'integer'),
    },
  };
}
