// Secret hygiene in the real extension host: the main flows run with known token and Secret values (hover, Decode
// Token, Copy Decoded Claims, diagnostics, and with a cluster: create a token Secret, request a token, decode, copy,
// a failing command), then everything the extension could have written is searched for those values: every file
// under the server's data dir (logs with the output channels, global/workspace storage, settings), the URIs of open
// documents, diagnostics. None may appear. The hover never holds the signature and is untrusted markdown.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { generateKeys, mintBoundToken, mintLegacyToken, signatureOf, wrapBase64 } from '../../unit/core/tokens/mint';
import { activateExtension, closeAllEditors, EXTENSION_ID, openUntitled, ruleOf, waitFor, within } from './helpers';

const kubeconfig = process.env.KUBECONFIG;
/** Written by VS Code itself for the untitled test documents (hot exit, local history): the text we typed. */
const VSCODE_OWN_COPIES = new Set(['Backups', 'History', 'extensions']);

/** Values that must never be written anywhere: whole tokens, their signatures, their base64 (Secret data) forms. */
const secrets = new Map<string, string>();
function addSecret(label: string, token: string): void {
  secrets.set(`${label} token`, token);
  secrets.set(`${label} signature`, signatureOf(token));
  secrets.set(`${label} as Secret data`, wrapBase64(token).slice(0, 60));
}

function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig!, ...args], { encoding: 'utf8', timeout: 20_000 });
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !VSCODE_OWN_COPIES.has(entry.name)) yield* filesUnder(path);
    else if (entry.isFile() && statSync(path).size < 64 * 1024 * 1024) yield path;
  }
}

const hoverMarkdown = (hover: vscode.Hover): vscode.MarkdownString[] =>
  hover.contents.filter(
    (content): content is vscode.MarkdownString => typeof content !== 'string' && 'isTrusted' in content,
  );

suite('secret hygiene', function () {
  this.timeout(120_000);
  let bound: string;
  let legacy: string;

  suiteSetup(async () => {
    await activateExtension();
    const keys = await generateKeys('RS256');
    bound = await mintBoundToken(keys, { namespace: 'payments', serviceAccount: 'charger' });
    legacy = await mintLegacyToken(keys, { namespace: 'payments', serviceAccount: 'old-charger' });
    addSecret('bound', bound);
    addSecret('legacy', legacy);
    if (kubeconfig) {
      for (const [, credential] of readFileSync(kubeconfig, 'utf8').matchAll(/token: (\S+)/g))
        secrets.set('kubeconfig credential', credential);
    }
  });

  test('token flows: hover, Decode Token, Copy Decoded Claims, diagnostics', async () => {
    const editor = await openUntitled(`export TOKEN=${bound}\ndata:\n  token: ${wrapBase64(legacy)}\n`, 'yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 30),
    );
    const ours = hovers.flatMap(hoverMarkdown).filter((markdown) => markdown.value.includes('service account token'));
    assert.ok(ours.length > 0, 'our hover is shown');
    for (const markdown of ours) {
      assert.deepEqual(
        markdown.isTrusted,
        { enabledCommands: ['saToken.showTokenAt'] },
        'of command links, only "Show decoded token" runs',
      );
      assert.ok(!markdown.supportHtml, 'no HTML in the hover');
      assert.ok(!markdown.value.includes(signatureOf(bound)), 'the hover never holds the signature');
    }
    editor.selection = new vscode.Selection(0, 30, 0, 30);
    const decoded = await vscode.commands.executeCommand<vscode.TextEditor>('saToken.decodeToken');
    assert.ok(!decoded.document.getText().includes(signatureOf(bound)));
    // The decoded view took the editor's place: the one shown again is a new TextEditor.
    const shown = await vscode.window.showTextDocument(editor.document);
    shown.selection = new vscode.Selection(2, 20, 2, 20);
    const copied = await within(
      vscode.commands.executeCommand('saToken.copyDecodedClaims').then(() => vscode.env.clipboard.readText()),
      5000,
    );
    assert.ok(copied !== undefined, 'the clipboard answered (the launcher grants the page clipboard permissions)');
    assert.match(copied, /old-charger/);
    assert.ok(!copied.includes(signatureOf(legacy)), 'copied claims hold no signature');
    const leak = await waitFor(
      () => vscode.languages.getDiagnostics(editor.document.uri).find((diagnostic) => ruleOf(diagnostic) === 'SAT301'),
      'the leak diagnostic',
    );
    for (const [label, value] of secrets) assert.ok(!leak.message.includes(value), `${label} in a diagnostic`);
  });

  test('cluster flows: create a token Secret, request a token, decode, copy, a failing command', async function () {
    if (!kubeconfig) this.skip();
    const context = kubectl('config', 'current-context').trim();
    const account = { type: 'serviceAccount', account: { namespace: 'modern-app', name: 'web', pods: [] } };
    // '' answers the name box with "generated", as leaving it empty does.
    const created = await vscode.commands.executeCommand<{ secretName: string }>(
      'saToken.cluster.createTokenSecret',
      account,
      { secretName: '' },
    );
    assert.ok(created?.secretName, `created a token Secret in ${context}`);
    const data = JSON.parse(kubectl('get', 'secret', created.secretName, '-n', 'modern-app', '-o', 'json')) as {
      data: { token: string };
    };
    const secretToken = Buffer.from(data.data.token, 'base64').toString('utf8');
    addSecret('created Secret', secretToken);
    const node = {
      type: 'tokenSecret',
      secret: {
        namespace: 'modern-app',
        name: created.secretName,
        serviceAccount: 'web',
        populated: true,
        createdAt: null,
        lastUsed: null,
        invalidSince: null,
      },
      readers: [],
    };
    await vscode.commands.executeCommand('saToken.cluster.requestToken', account, {
      duration: '15m',
      audiences: 'vault',
    });
    await vscode.commands.executeCommand('saToken.cluster.decodeToken', node);
    // Copy Token is the one way a token reaches the clipboard, and it does reach it.
    const copied = await within(
      vscode.commands.executeCommand('saToken.cluster.copyToken', node).then(() => vscode.env.clipboard.readText()),
      5000,
    );
    assert.equal(copied, secretToken);
    await vscode.env.clipboard.writeText('');
    // A command that fails (the Secret is gone) must say so without the token.
    await vscode.commands.executeCommand('saToken.cluster.deleteTokenSecret', node);
    await Promise.resolve(vscode.commands.executeCommand('saToken.cluster.decodeToken', node)).catch(
      (error: unknown) => {
        for (const [label, value] of secrets) assert.ok(!String(error).includes(value), `${label} in an error`);
      },
    );
  });

  test('nothing the extension wrote holds a token, a signature, a Secret value or a credential', async () => {
    // A value logged on purpose through an output channel like ours: proves the sweep reaches the flushed logs.
    const canary = `hygiene-canary-${Date.now()}`;
    const channel = vscode.window.createOutputChannel('SA Token hygiene canary', { log: true });
    channel.info(canary);
    await closeAllEditors();
    // Log output channels are flushed to their files asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const dataDir = dirname(dirname(extension.extensionPath));
    let searched = 0;
    let canaryFound = false;
    for (const file of filesUnder(dataDir)) {
      const content = readFileSync(file);
      for (const [label, value] of secrets) assert.ok(!content.includes(value), `${label} written to ${file}`);
      canaryFound ||= content.includes(canary);
      searched++;
    }
    channel.dispose();
    assert.ok(canaryFound, `the sweep of ${searched} files reaches the output channel logs`);
    for (const document of vscode.workspace.textDocuments) {
      const uri = document.uri.toString();
      for (const [label, value] of secrets)
        assert.ok(!uri.includes(value) && !uri.includes(value.slice(0, 20)), `${label} in the URI ${uri.slice(0, 80)}`);
    }
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics) {
        for (const [label, value] of secrets)
          assert.ok(!diagnostic.message.includes(value), `${label} in a diagnostic of ${uri.toString()}`);
      }
    }
    console.log(
      `reliability hygiene: ${secrets.size} secret values searched in ${searched} files, ${vscode.workspace.textDocuments.length} document URIs`,
    );
  });
});
