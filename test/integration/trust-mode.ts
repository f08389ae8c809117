// The Restricted Mode pass: what the launcher plants in the workspace and what the trust suite checks it against.
// A cloned repository can ship .vscode/settings.json; in an untrusted workspace its kubeconfig and key file settings
// must not count. No vscode import: shared by the launcher and the suite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** SA_TOKEN_IT_TRUST in the extension host: which pass this is. */
export type TrustMode = 'trusted' | 'restricted';

export const trustMode = (env: NodeJS.ProcessEnv = process.env): TrustMode =>
  env.SA_TOKEN_IT_TRUST === 'restricted' ? 'restricted' : 'trusted';

/** The demo workspace's public key: it verifies the demo tokens, so using it would show. */
export const DEMO_KEY_FILE = 'keys/demo-signing-key.pub.pem';
/** A kubeconfig of the repository's choosing: its only context points at a closed port. */
export const PLANTED_KUBECONFIG = '.vscode/planted-kubeconfig.yaml';

/** An unrestricted setting planted beside them: it counts, which proves VS Code read the file. */
export const PLANTED_CONTEXT = 'planted';
export const PLANTED_CANARY = { key: 'fix.expirationSeconds', value: 7207 };

/** The settings the repository plants; the kubeconfig by absolute path, so nothing but trust keeps it out. */
export const plantedSettings = (workspace: string): Record<string, unknown> => ({
  'saToken.kubeconfig': join(workspace, PLANTED_KUBECONFIG),
  'saToken.verification.keyFiles': [DEMO_KEY_FILE],
  // A context name of the user's own kubeconfig would pick the user's credentials and exec plugins.
  'saToken.context': PLANTED_CONTEXT,
  [`saToken.${PLANTED_CANARY.key}`]: PLANTED_CANARY.value,
});

const PLANTED_KUBECONFIG_TEXT = `apiVersion: v1
kind: Config
clusters:
  - name: planted
    cluster: {server: "https://127.0.0.1:9"}
users:
  - name: planted
    user: {token: planted}
contexts:
  - name: planted
    context: {cluster: planted, user: planted}
current-context: planted
`;

/** Writes the repository's own settings into the workspace copy, as a cloned repository would have them. */
export function plantWorkspaceSettings(workspace: string): void {
  const dir = join(workspace, '.vscode');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(workspace, PLANTED_KUBECONFIG), PLANTED_KUBECONFIG_TEXT);
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(plantedSettings(workspace), null, 2)}\n`);
}
