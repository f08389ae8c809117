// Every `saToken.*` setting, read in one place and typed. package.json `contributes.configuration` declares them.
import * as vscode from 'vscode';
import { SERVICE_ACCOUNT_MOUNT_PATH } from '../../core/kubernetes';
import type { RuleId } from '../../core/manifests/types';
import type { Severity } from '../../core/tokens/types';
import packageJson from '../../../package.json';
import { settingProblem, type SettingSchema } from './settingChecks';
import { trustedSettingValue } from './trust';

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
  };
  /** Per-rule severity or `off`; rules absent here use their defaults. */
  rules: Partial<Record<RuleId, RuleSetting>>;
  fix: { expirationSeconds: number; mountPath: string; audience: string | null };
  cluster: {
    /** Kubeconfig path; empty means KUBECONFIG or ~/.kube/config (restricted in untrusted workspaces). */
    kubeconfig: string | null;
    /** Context to use instead of the kubeconfig's current-context. */
    context: string | null;
    requestTimeoutMs: number;
    /** Namespaces shown in the tree; empty means all. */
    namespaces: string[];
    watch: boolean;
  };
}

export const CONFIG_SECTION = 'saToken';

/** Every setting's declaration, from package.json: the one home of types, ranges, enums and patterns. */
const SCHEMAS = packageJson.contributes.configuration.properties as unknown as Record<string, SettingSchema>;

/**
 * The settings, each checked against its declaration at read time: a value that does not fit (a workspace's
 * `requestTimeoutSeconds: 1e9`, a `fix.mountPath` with a line break that would write broken YAML) counts as the
 * default, and `problems` says so, one line per setting.
 */
export function readConfig(scope?: vscode.ConfigurationScope): SaTokenConfig {
  return readCheckedConfig(scope).config;
}

export function readCheckedConfig(scope?: vscode.ConfigurationScope): { config: SaTokenConfig; problems: string[] } {
  const raw = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const problems: string[] = [];
  const reader: SettingReader = {
    get: <T>(key: string, fallback: T): T => checked(key, raw.get<T>(key), fallback, problems),
    user: <T>(key: string): T | undefined => {
      const value = raw.inspect<T>(key)?.globalValue;
      return value === undefined ? undefined : checked<T | undefined>(key, value, undefined, problems);
    },
  };
  return { config: configFrom(reader), problems };
}

/** Reads settings, each checked against its declaration. */
interface SettingReader {
  get<T>(key: string, fallback: T): T;
  /** The user's own value (user and remote machine settings), never the workspace's. */
  user<T>(key: string): T | undefined;
}

function checked<T>(key: string, value: T | undefined, fallback: T, problems: string[]): T {
  const schema = SCHEMAS[`${CONFIG_SECTION}.${key}`];
  if (value === undefined || !schema) return value ?? fallback;
  const problem = settingProblem(value, schema);
  if (!problem) return value;
  const used = (schema.default ?? fallback) as T;
  problems.push(`Setting ${CONFIG_SECTION}.${key} is ignored: ${problem}. Using ${JSON.stringify(used)}.`);
  return used;
}

function configFrom(c: SettingReader): SaTokenConfig {
  const text = (key: string): string | null => trustedValue<string | undefined>(c, key)?.trim() || null;
  return {
    hoverEnabled: c.get('hover.enabled', true),
    timeZone: c.get<string>('timeZone', 'utc') === 'local' ? 'local' : 'utc',
    keyFiles: trustedValue<string[]>(c, 'verification.keyFiles') ?? [],
    verifyWithCluster: c.get('verification.useCluster', true),
    diagnostics: {
      expiredTokens: c.get('diagnostics.expiredTokens', true),
      committedTokens: c.get('diagnostics.committedTokens', true),
      manifests: c.get('diagnostics.manifests', true),
      dependencies: c.get('diagnostics.dependencies', true),
      applicationCode: c.get('diagnostics.applicationCode', true),
    },
    rules: c.get<Partial<Record<RuleId, RuleSetting>>>('rules', {}),
    fix: {
      expirationSeconds: c.get('fix.expirationSeconds', 3600),
      mountPath: c.get('fix.mountPath', SERVICE_ACCOUNT_MOUNT_PATH),
      audience: text('fix.audience'),
    },
    cluster: {
      kubeconfig: text('kubeconfig'),
      context: text('context'),
      requestTimeoutMs: 1000 * c.get('requestTimeoutSeconds', 15),
      namespaces: c.get<string[]>('namespaces', []),
      watch: c.get('cluster.watch', false),
    },
  };
}

/** A setting's value as it counts under the workspace's trust (restricted ones: see trust.ts). */
function trustedValue<T>(c: SettingReader, key: string): T | undefined {
  return trustedSettingValue<T>(key, vscode.workspace.isTrusted, {
    effective: () => c.get<T | undefined>(key, undefined),
    user: () => c.user<T>(key),
  });
}

/** Calls `listener` whenever a `saToken.*` setting changes. */
export function onConfigChange(listener: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(CONFIG_SECTION)) listener();
    }),
    // Granting trust makes the workspace's restricted settings count.
    vscode.workspace.onDidGrantWorkspaceTrust(listener),
  );
}
