// Which settings count in an untrusted workspace (Restricted Mode). No vscode import: unit-tested.

/**
 * Settings (under `saToken.`) that choose files to read or credentials to use: keys, a kubeconfig, and the context
 * (which picks the user's credentials and the exec plugins that run); and the manifest size limit (a repository
 * raising it could make the editor lint a huge file on every keystroke). package.json declares the same list as
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`.
 */
export const RESTRICTED_SETTINGS: ReadonlySet<string> = new Set([
  'verification.keyFiles',
  'kubeconfig',
  'context',
  'diagnostics.maxManifestSizeKB',
]);

/** Where a setting's value can come from; read lazily, only the one that counts is asked. */
export interface SettingSources<T> {
  /** What VS Code resolves over every scope (user, workspace, folder). */
  effective(): T | undefined;
  /** The user's own value (user and remote machine settings), never the workspace's. */
  user(): T | undefined;
}

/**
 * The value a setting counts with. A cloned repository's .vscode/settings.json could point a restricted setting at a
 * file of its choosing: until the workspace is trusted only the user's own value counts for those.
 */
export function trustedSettingValue<T>(
  key: string,
  workspaceTrusted: boolean,
  sources: SettingSources<T>,
): T | undefined {
  return workspaceTrusted || !RESTRICTED_SETTINGS.has(key) ? sources.effective() : sources.user();
}
