// Builds a runnable copy of the demo workspace: demo/ holds templates with {{PLACEHOLDER}}s, and the copy gets the
// tokens the demo cluster minted at its start (and its public key). The copy lives under .cache/ (gitignored), so
// no real-looking token is ever committed.
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './env';
import type { DemoTokens } from './cluster';
import { OFFLINE_SETTINGS } from './offline';

export const demoTemplateDir = join(repoRoot, 'demo');

/** Settings for the test and demo workbenches: straight to the files, no welcome pages or prompts. */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // No chat side bar taking a third of the window (and of every screenshot).
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  ...OFFLINE_SETTINGS,
  // The workspace copy lives inside this repository's .cache: no "open the parent repository?" prompt.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Workspace trust on, and the workspace left untrusted without asking: the extension runs in Restricted Mode, as in
 * a freshly cloned repository whose author the user has not vouched for.
 */
export const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  // Opening files from outside the workspace (e.g. untitled test documents) asks nothing either.
  'security.workspace.trust.untrustedFiles': 'open',
};

function placeholders(tokens: DemoTokens): Record<string, string> {
  const base64 = (text: string): string => Buffer.from(text).toString('base64');
  return {
    LEGACY_TOKEN: tokens.legacyToken,
    LEGACY_TOKEN_BASE64: base64(tokens.legacyToken),
    BOUND_TOKEN: tokens.boundToken,
    BOUND_TOKEN_BASE64: base64(tokens.boundToken),
    EXPIRED_TOKEN: tokens.expiredToken,
    DEMO_SERVER: tokens.server,
    DEMO_CA_BASE64: base64(tokens.caPem),
    PUBLIC_KEY_PEM: tokens.publicKeyPem.trimEnd(),
  };
}

function fillTemplates(dir: string, values: Record<string, string>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      fillTemplates(path, values);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    const filled = text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, key: string) => values[key] ?? whole);
    if (filled !== text) writeFileSync(path, filled);
  }
}

/** Copies demo/ to `target` (replacing what was there) filled with the demo cluster's tokens; returns the folder. */
export function prepareWorkspace(target: string, tokens: DemoTokens): string {
  rmSync(target, { recursive: true, force: true });
  cpSync(demoTemplateDir, target, { recursive: true });
  fillTemplates(target, placeholders(tokens));
  return target;
}
