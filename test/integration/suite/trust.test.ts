// Workspace trust in the real extension host. The installed manifest restricts the settings that name files to read
// (kubeconfig, key files); decoding and linting work whatever the trust. The harness runs with workspace trust turned
// off (every folder trusted), so the Restricted Mode checks run only when the host says the workspace is untrusted
// (e.g. a run with `security.workspace.trust.enabled: true` on a folder not yet trusted) and are skipped otherwise.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { generateKeys, mintLegacyToken, signatureOf } from '../../unit/tokens/mint';
import { activateExtension, closeAllEditors, EXTENSION_ID, openUntitled, waitFor } from './helpers';

const RESTRICTED = ['saToken.kubeconfig', 'saToken.verification.keyFiles'];
const LEGACY_READ = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      envFrom: [{secretRef: {name: default-token-abcde}}]\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: default-token-abcde, annotations: {kubernetes.io/service-account.name: default}}\ntype: kubernetes.io/service-account-token\n';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { restricted?: boolean; scope?: string }> } };
}

suite('workspace trust', () => {
  let token: string;

  suiteSetup(async () => {
    await activateExtension();
    token = await mintLegacyToken(await generateKeys('RS256'), { namespace: 'team-a', serviceAccount: 'reporter' });
  });

  teardown(closeAllEditors);

  test('the installed manifest supports untrusted workspaces in part and restricts kubeconfig and key files', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Manifest;
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(), [...RESTRICTED].sort());
    for (const key of RESTRICTED) {
      const property = manifest.contributes.configuration.properties[key];
      assert.equal(property.restricted, true, `${key} is marked restricted`);
      assert.notEqual(property.scope, 'application', `${key} can still be set per machine by the user`);
    }
  });

  test('decoding works, whatever the trust', async () => {
    const editor = await openUntitled(`token: ${token}`);
    editor.selection = new vscode.Selection(0, 20, 0, 20);
    const decoded = await vscode.commands.executeCommand<vscode.TextEditor>('saToken.decodeToken');
    assert.match(decoded.document.getText(), /team-a\/reporter/);
    assert.ok(!decoded.document.getText().includes(signatureOf(token)));
  });

  test('linting works, whatever the trust', async () => {
    const editor = await openUntitled(LEGACY_READ, 'yaml');
    const codeOf = (diagnostic: vscode.Diagnostic) => (typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
    await waitFor(() => vscode.languages.getDiagnostics(editor.document.uri).find((diagnostic) => codeOf(diagnostic) === 'SAT001'), 'the SAT001 diagnostic');
  });

  test('Restricted Mode: the workspace values of kubeconfig and key files are ignored', async function () {
    if (vscode.workspace.isTrusted) this.skip();
    const config = vscode.workspace.getConfiguration('saToken');
    await config.update('kubeconfig', '/workspace/planted/kubeconfig', vscode.ConfigurationTarget.Workspace);
    await config.update('verification.keyFiles', ['/workspace/planted/key.pem'], vscode.ConfigurationTarget.Workspace);
    try {
      const fresh = vscode.workspace.getConfiguration('saToken');
      assert.equal(fresh.inspect('kubeconfig')?.workspaceValue, '/workspace/planted/kubeconfig', 'the planted value is there');
      assert.notEqual(fresh.get('kubeconfig'), '/workspace/planted/kubeconfig', 'but not in effect');
      assert.notDeepEqual(fresh.get('verification.keyFiles'), ['/workspace/planted/key.pem']);
    } finally {
      await config.update('kubeconfig', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('verification.keyFiles', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
