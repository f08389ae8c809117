// Settings in VS Code: read (each checked against its package.json declaration, with the workspace trust rules),
// written, watched.
import * as vscode from 'vscode';
import type { SettingSchema } from './settingChecks';
import { CONFIG_SECTION, configFrom, type SaTokenConfig } from './settingValues';
import { trustedSettingValue } from './trust';

/**
 * Every setting's declaration, from the installed package.json as VS Code read it (not bundled: the activation bundle
 * stays small): the one home of types, defaults, ranges, enums and patterns.
 */
export type SettingDeclarations = Record<string, SettingSchema | undefined>;

export function settingDeclarations(extension: vscode.ExtensionContext): SettingDeclarations {
  const packageJson = extension.extension.packageJSON as {
    contributes?: { configuration?: { properties?: SettingDeclarations } };
  };
  return packageJson.contributes?.configuration?.properties ?? {};
}

/**
 * The settings, each checked against its declaration at read time: a value that does not fit (a workspace's
 * `requestTimeoutSeconds: 1e9`, a `fix.mountPath` with a line break that would write broken YAML) counts as the
 * default, and `problems` says so, one line per setting.
 */
export function readCheckedConfig(
  declarations: SettingDeclarations,
  scope?: vscode.ConfigurationScope,
): { config: SaTokenConfig; problems: string[] } {
  const raw = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const problems: string[] = [];
  const config = configFrom(
    {
      // A setting's value as it counts under the workspace's trust (restricted ones: see trust.ts).
      value: (key) =>
        trustedSettingValue<unknown>(key, vscode.workspace.isTrusted, {
          effective: () => raw.get(key),
          user: () => raw.inspect(key)?.globalValue,
        }),
      schema: (key) => declarations[`${CONFIG_SECTION}.${key}`],
    },
    problems,
  );
  return { config, problems };
}

/**
 * The one way settings are written. `where-set`: where the user set the key (workspace or user settings), user
 * settings when it is set nowhere; `user`: always the user's settings (restricted keys such as the kubeconfig);
 * `every-scope-set`: each of user and workspace settings that sets it (to clear a key with `undefined`);
 * `workspace`: the workspace's settings when a folder is open (a per-project choice), else the user's.
 */
export async function updateSetting(
  key: string,
  value: unknown,
  target: 'where-set' | 'user' | 'every-scope-set' | 'workspace',
): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const set = config.inspect(key);
  const { Global, Workspace } = vscode.ConfigurationTarget;
  if (target === 'every-scope-set') {
    if (set?.globalValue !== undefined) await config.update(key, value, Global);
    if (set?.workspaceValue !== undefined) await config.update(key, value, Workspace);
    return;
  }
  const inWorkspace =
    target === 'workspace'
      ? (vscode.workspace.workspaceFolders?.length ?? 0) > 0
      : target === 'where-set' && set?.workspaceValue !== undefined;
  await config.update(key, value, inWorkspace ? Workspace : Global);
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
