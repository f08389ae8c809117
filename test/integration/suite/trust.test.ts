// Workspace trust in the real extension host. The installed manifest restricts the settings that name files to read
// (kubeconfig, key files); decoding and linting work whatever the trust. The launcher runs this suite twice: with
// workspace trust off (every folder trusted), and in Restricted Mode on a workspace whose .vscode/settings.json plants
// a kubeconfig and the demo key file (trust-mode.ts). The trusted pass proves the planted key file would verify the
// demo token; the Restricted Mode pass proves that neither planted setting is used.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { generateKeys, mintLegacyToken, signatureOf } from '../../unit/core/tokens/mint';
import { DEMO_KEY_FILE, PLANTED_CANARY, trustMode } from '../trust-mode';
import { activateExtension, closeAllEditors, EXTENSION_ID, openUntitled, waitFor } from './helpers';

const RESTRICTED = [
  'saToken.kubeconfig',
  'saToken.context',
  'saToken.verification.keyFiles',
  'saToken.diagnostics.maxManifestSizeKB',
];
const LEGACY_READ =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      envFrom: [{secretRef: {name: default-token-abcde}}]\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: default-token-abcde, annotations: {kubernetes.io/service-account.name: default}}\ntype: kubernetes.io/service-account-token\n';
const mode = trustMode();

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { restricted?: boolean; scope?: string }> } };
}

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

/** Decode Token on the demo notes' first token (a bound token signed by the demo key); the decoded view's text. */
async function decodeDemoToken(): Promise<string> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(workspaceFolder(), 'notes.txt'));
  const line = editor.document
    .getText()
    .split('\n')
    .findIndex((text) => text.startsWith('eyJ'));
  assert.ok(line >= 0, 'the demo notes hold a token');
  editor.selection = new vscode.Selection(line, 5, line, 5);
  const decoded = await vscode.commands.executeCommand<vscode.TextEditor>('saToken.decodeToken');
  return decoded.document.getText();
}

/** The decoded view once it says `expected` (key files load after the settings change arrives). */
async function decodedSaying(expected: RegExp): Promise<string> {
  let text = '';
  await waitFor(async () => {
    text = await decodeDemoToken();
    return expected.test(text) || undefined;
  }, `the decoded view to match ${expected}`).catch((error: Error) => {
    throw new Error(`${error.message}; it reads: ${text.split('\n').slice(0, 4).join(' | ')}`);
  });
  return text;
}

/**
 * Runs `check` with the connected cluster's keys left out: the demo cluster signed the demo tokens, and another suite
 * may have connected it; these tests are about key files.
 */
async function withoutClusterKeys<T>(check: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('saToken');
  await config.update('verification.useCluster', false, vscode.ConfigurationTarget.Global);
  try {
    return await check();
  } finally {
    await config.update('verification.useCluster', undefined, vscode.ConfigurationTarget.Global);
  }
}

suite('workspace trust', () => {
  let token: string;

  suiteSetup(async () => {
    await activateExtension();
    token = await mintLegacyToken(await generateKeys('RS256'), { namespace: 'team-a', serviceAccount: 'reporter' });
  });

  teardown(closeAllEditors);

  test(`the workspace is ${mode === 'trusted' ? 'trusted' : 'not trusted (Restricted Mode)'}, as the launcher asked`, () => {
    assert.equal(vscode.workspace.isTrusted, mode === 'trusted');
  });

  test('the installed manifest supports untrusted workspaces in part and restricts kubeconfig and key files', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Manifest;
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(
      [...(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(),
      [...RESTRICTED].sort(),
    );
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
    const codeOf = (diagnostic: vscode.Diagnostic) =>
      typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    await waitFor(
      () => vscode.languages.getDiagnostics(editor.document.uri).find((diagnostic) => codeOf(diagnostic) === 'SAT001'),
      'the SAT001 diagnostic',
    );
  });

  test('a workspace .sa-token.yaml applies only in a trusted workspace (it could switch rules off)', async () => {
    const root = vscode.Uri.joinPath(workspaceFolder(), 'sa-token-trust');
    const codeOf = (diagnostic: vscode.Diagnostic) =>
      typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    try {
      await vscode.workspace.fs.writeFile(
        vscode.Uri.joinPath(root, '.sa-token.yaml'),
        new TextEncoder().encode('rules:\n  SAT001: off\n'),
      );
      const file = vscode.Uri.joinPath(root, 'pod.yaml');
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(LEGACY_READ));
      const document = await vscode.workspace.openTextDocument(file);
      const rules = () => new Set(vscode.languages.getDiagnostics(document.uri).map(codeOf));
      // SAT002 (the token Secret) shows either way; SAT001 only where the file's rules do not apply.
      await waitFor(
        () => (rules().has('SAT002') && rules().has('SAT001') === (mode !== 'trusted')) || undefined,
        mode === 'trusted' ? 'SAT001 switched off by .sa-token.yaml' : 'SAT001 despite .sa-token.yaml',
        // The new file reaches the linter through the file watcher and the YAML engine's queue (one request at a
        // time, behind earlier tests' large files): seconds on a loaded CI machine.
        30_000,
      );
    } finally {
      await vscode.workspace.fs.delete(root, { recursive: true });
    }
  });

  if (mode === 'trusted') {
    test("trusted: the demo workspace's own key file verifies the demo token, and only it does here", async () => {
      const config = vscode.workspace.getConfiguration('saToken');
      // The demo ships .vscode/settings.json naming the demo cluster's public key (issue 18, item 1).
      assert.deepEqual(config.inspect('verification.keyFiles')?.workspaceValue, [DEMO_KEY_FILE]);
      await withoutClusterKeys(async () => {
        // The verified line names the key's file (issue 10, item 4).
        await decodedSaying(/signature verified with key \S+ from \/\S+\/keys\/demo-signing-key\.pub\.pem/);
        await config.update('verification.keyFiles', [], vscode.ConfigurationTarget.Workspace);
        try {
          assert.doesNotMatch(await decodedSaying(/modern-app\/web/), /signature verified/);
        } finally {
          await config.update('verification.keyFiles', [DEMO_KEY_FILE], vscode.ConfigurationTarget.Workspace);
        }
      });
    });
  }

  if (mode === 'restricted') {
    test('Restricted Mode: VS Code read the planted settings and hides the restricted ones (planted-context attack)', () => {
      const config = vscode.workspace.getConfiguration('saToken');
      assert.equal(config.get(PLANTED_CANARY.key), PLANTED_CANARY.value, 'the unrestricted canary beside them counts');
      for (const key of ['kubeconfig', 'context', 'verification.keyFiles']) {
        assert.equal(config.inspect(key)?.workspaceValue, undefined, `${key}: no workspace value in Restricted Mode`);
      }
      assert.equal(config.get('kubeconfig'), '');
      assert.equal(config.get('context'), '', 'the planted context does not count (issue 10, item 9)');
      assert.deepEqual(config.get('verification.keyFiles'), []);
    });

    test('Restricted Mode: the key file from the workspace settings is not used', async () => {
      await withoutClusterKeys(async () =>
        assert.doesNotMatch(await decodedSaying(/modern-app\/web/), /signature verified/),
      );
    });

    test("Restricted Mode: the user's own relative key path resolving into the workspace is ignored (planted-key attack)", async () => {
      // Issue 10, item 4: a user-level entry that is relative (or uses ${workspaceFolder}) lands in the repository.
      const config = vscode.workspace.getConfiguration('saToken');
      for (const entry of [DEMO_KEY_FILE, `\${workspaceFolder}/${DEMO_KEY_FILE}`]) {
        await config.update('verification.keyFiles', [entry], vscode.ConfigurationTarget.Global);
        try {
          await waitFor(
            () => (config.inspect<string[]>('verification.keyFiles')?.globalValue?.[0] === entry ? true : undefined),
            'the user setting',
          );
          const text = await withoutClusterKeys(() => decodedSaying(/modern-app\/web/));
          assert.doesNotMatch(text, /signature verified/, entry);
          assert.match(text, /decoded, signature not checked/, entry);
        } finally {
          await config.update('verification.keyFiles', undefined, vscode.ConfigurationTarget.Global);
        }
      }
    });

    test("Restricted Mode: the cluster view uses the user's kubeconfig, not the workspace's", async function () {
      const kubeconfig = process.env.KUBECONFIG;
      if (!kubeconfig) this.skip();
      // The planted kubeconfig points at a closed port: only the user's (KUBECONFIG) reaches the local API server.
      const account = { type: 'serviceAccount', account: { namespace: 'modern-app', name: 'web', pods: [] } };
      const created = await vscode.commands.executeCommand<{ secretName: string } | undefined>(
        'saToken.cluster.createTokenSecret',
        account,
        { secretName: '' },
      );
      assert.ok(created?.secretName, 'the Secret was created through the user kubeconfig');
      const kubectl = (...args: string[]): string =>
        execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 20_000 });
      try {
        assert.equal(
          kubectl('get', 'secret', created.secretName, '-n', 'modern-app', '-o', 'jsonpath={.type}'),
          'kubernetes.io/service-account-token',
        );
      } finally {
        kubectl('delete', 'secret', created.secretName, '-n', 'modern-app');
      }
    });
  }
});
