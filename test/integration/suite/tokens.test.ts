// Token features in the real extension host: hover, Decode Token, Copy Decoded Claims, diagnostics and redaction.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  generateKeys,
  mintBoundToken,
  mintLegacyToken,
  signatureOf,
  wrapBase64,
  type TestKeys,
} from '../../unit/core/tokens/mint';
import { activateExtension, closeAllEditors, openUntitled, ruleOf, waitFor, within } from './helpers';

/** Markdown escapes removed, to compare with the plain headline. */
const unescape = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');

/**
 * Test tokens are signed by keys of their own: unverified ("signature not checked"), or, once another suite has
 * connected a cluster, "NOT valid" for that cluster. Never verified.
 */
function assertNotVerified(text: string): void {
  assert.match(text, /decoded, signature not checked|signature NOT valid/);
  assert.doesNotMatch(text, /signature verified/i);
}

const hoverValue = (hover: vscode.Hover): string =>
  hover.contents.map((content) => (typeof content === 'string' ? content : content.value)).join('\n');

/** Runs Decode Token; the command resolves with the editor of the new decoded view. */
async function decodeTokenCommand(): Promise<vscode.TextDocument> {
  const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('saToken.decodeToken');
  assert.ok(editor, 'Decode Token opened a view');
  assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the decoded view is focused');
  return editor.document;
}

suite('tokens', () => {
  let keys: TestKeys;
  let bound: string;
  let legacy: string;

  suiteSetup(async () => {
    await activateExtension();
    keys = await generateKeys('RS256');
    bound = await mintBoundToken(keys, {
      pod: { name: 'busybox', uid: 'a1b2c3' },
      node: { name: 'worker-1', uid: 'n1' },
    });
    legacy = await mintLegacyToken(keys, { namespace: 'team-a', serviceAccount: 'reporter' });
  });

  teardown(closeAllEditors);

  test('hover on a Bearer token: headline, no signature, the token range', async () => {
    const line = `curl -H "Authorization: Bearer ${bound}" https://api.example`;
    const editor = await openUntitled(line);
    const tokenStart = line.indexOf(bound);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, tokenStart + 40),
    );
    const ours = hovers.find((hover) => hoverValue(hover).includes('service account token'));
    assert.ok(ours, `our hover is shown; got ${hovers.length}: ${hovers.map(hoverValue).join(' | ').slice(0, 300)}`);
    const text = unescape(hoverValue(ours));
    assert.ok(text.includes('Bound service account token — default/default, bound to pod busybox'), text.slice(0, 200));
    assertNotVerified(text);
    assert.ok(!hoverValue(ours).includes(signatureOf(bound)), 'the signature is never rendered');
    assert.ok(ours.range, 'the hover names its range');
    assert.deepEqual(
      [ours.range.start.character, ours.range.end.character],
      [line.indexOf('Bearer '), tokenStart + bound.length],
    );
  });

  test('hover ignores text that only looks like a token', async () => {
    const editor = await openUntitled('data: eyJub3QiOiJhIHRva2VuIn0= and ZXlKaGJHY2lPaUpTVXpJMU5pSjk=');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 10),
    );
    assert.ok(!hovers.some((hover) => hoverValue(hover).includes('token —')));
  });

  test('Decode Token at the cursor opens a read-only view whose URI holds no token or claim', async () => {
    const line = `token: ${wrapBase64(legacy)}`;
    const editor = await openUntitled(line, 'yaml');
    editor.selection = new vscode.Selection(0, 20, 0, 20);
    const decoded = await decodeTokenCommand();
    const uri = decoded.uri.toString();
    // The tab says what it shows (the kind of token), never a claim.
    assert.equal(decoded.uri.scheme, 'sa-token-decoded');
    assert.match(decoded.uri.path, /^\/\d+\/legacy-token · decoded$/);
    for (const secret of [...legacy.split('.'), 'team-a', 'reporter']) assert.ok(!uri.includes(secret));
    const text = decoded.getText();
    assert.ok(text.startsWith('Legacy service account token — team-a/reporter'), text.slice(0, 120));
    assertNotVerified(text);
    assert.ok(text.includes('"kubernetes.io/serviceaccount/service-account.name": "reporter"'));
    assert.ok(!text.includes(signatureOf(legacy)));
    assert.equal(decoded.isUntitled, false, 'a virtual document: nothing to save to disk');
  });

  test('Decode Token on a selection', async () => {
    const line = `export TOKEN="${bound}"`;
    const editor = await openUntitled(line);
    // The cursor ends after the closing quote, off the token: the selection is what names it.
    editor.selection = new vscode.Selection(0, 0, 0, line.length);
    assert.equal(vscode.window.activeTextEditor?.document, editor.document);
    const decoded = await decodeTokenCommand();
    assert.ok(
      decoded.getText().startsWith('Bound service account token — default/default, bound to pod busybox'),
      decoded.getText().slice(0, 100),
    );
  });

  test('decoding again reuses the one decoded tab beside the editor instead of opening another column', async () => {
    const editor = await openUntitled(`${bound}\n${legacy}\n`);
    const columnsBefore = new Set(vscode.window.visibleTextEditors.map((visible) => visible.viewColumn)).size;
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    const first = await decodeTokenCommand();
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn });
    const source = vscode.window.activeTextEditor!;
    source.selection = new vscode.Selection(1, 5, 1, 5);
    const second = await decodeTokenCommand();
    assert.notEqual(second.uri.toString(), first.uri.toString());
    const decodedEditors = vscode.window.visibleTextEditors.filter(
      (visible) => visible.document.uri.scheme === 'sa-token-decoded',
    );
    assert.equal(decodedEditors.length, 1, 'one decoded view is visible');
    const columnsAfter = new Set(vscode.window.visibleTextEditors.map((visible) => visible.viewColumn)).size;
    assert.ok(columnsAfter <= Math.max(columnsBefore, 1) + 1, `columns: ${columnsBefore} -> ${columnsAfter}`);
    assert.match(second.uri.path, /legacy-token · decoded$/);
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(
      tabs.some((tab) => tab.label === 'legacy-token · decoded'),
      'the tab is named after what it shows',
    );
  });

  test('the cluster view shows a token it holds through saToken.showDecodedToken', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'saToken.showDecodedToken',
      bound,
      'web-token-xncqq',
    );
    assert.equal(editor.document.uri.scheme, 'sa-token-decoded');
    assert.match(editor.document.uri.path, /\/web-token-xncqq · decoded$/);
    assert.ok(
      editor.document.getText().startsWith('Bound service account token — default/default, bound to pod busybox'),
    );
  });

  test('Copy Decoded Claims copies header and claims, never the signature', async () => {
    const editor = await openUntitled(bound);
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    await vscode.env.clipboard.writeText('');
    // In a browser workbench the clipboard answers only when the page holds clipboard permissions (the launcher
    // grants them); without them it never answers, hence the limit.
    const copied = await within(
      vscode.commands.executeCommand('saToken.copyDecodedClaims').then(() => vscode.env.clipboard.readText()),
      5000,
    );
    assert.ok(copied, 'the clipboard answered with the copied claims');
    assert.ok(!copied.includes(signatureOf(bound)));
    const parsed = JSON.parse(copied) as { header: Record<string, unknown>; claims: Record<string, unknown> };
    assert.deepEqual(Object.keys(parsed), ['header', 'claims']);
    assert.deepEqual(parsed.header, { alg: 'RS256', kid: keys.kid });
    assert.equal(parsed.claims.sub, 'system:serviceaccount:default:default');
  });

  test('a committed legacy token is diagnosed and "Redact token" replaces it', async () => {
    const editor = await openUntitled(`KUBE_TOKEN=${legacy}\nOTHER=1\n`);
    const { uri } = editor.document;
    const diagnostic = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((candidate) => ruleOf(candidate) === 'SAT301'),
      'the SAT301 diagnostic',
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([diagnostic.range.start.character, diagnostic.range.end.character], [11, 11 + legacy.length]);
    assert.ok(!diagnostic.message.includes(signatureOf(legacy)));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
    );
    const redact = actions.find((action) => action.title === 'Redact token');
    assert.ok(redact?.edit, 'the Redact token quick fix is offered');
    assert.ok(await vscode.workspace.applyEdit(redact.edit));
    assert.equal(editor.document.getText(), 'KUBE_TOKEN=REDACTED-SA-TOKEN:team-a/reporter\nOTHER=1\n');
    await waitFor(() => (vscode.languages.getDiagnostics(uri).length === 0 ? true : undefined), 'diagnostics cleared');
  });

  test('an expired token: the same severity in Problems and in the hover, also at the level the user sets', async () => {
    const expired = await mintBoundToken(keys, {
      issuedAt: new Date(Date.now() - 2 * 86_400_000),
      lifetimeSeconds: 3600,
    });
    const editor = await openUntitled(`Authorization: Bearer ${expired}`);
    const { uri } = editor.document;
    const diagnosticAt = (severity: vscode.DiagnosticSeverity) =>
      waitFor(
        () =>
          vscode.languages
            .getDiagnostics(uri)
            .find((candidate) => ruleOf(candidate) === 'SAT302' && candidate.severity === severity),
        `the SAT302 diagnostic at severity ${severity}`,
      );
    const hoverText = async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        new vscode.Position(0, 40),
      );
      return hovers.map(hoverValue).join('\n');
    };
    const diagnostic = await diagnosticAt(vscode.DiagnosticSeverity.Warning);
    assert.match(diagnostic.message, /expired/);
    assert.ok(typeof diagnostic.code === 'object', 'the code links to the rule');
    assert.match(diagnostic.code.target.toString(), /#sat302$/);
    assert.match(await hoverText(), /\*\*Warning\*\* `expired`/);
    const config = vscode.workspace.getConfiguration('saToken');
    await config.update('rules', { SAT302: 'error' }, vscode.ConfigurationTarget.Global);
    try {
      await diagnosticAt(vscode.DiagnosticSeverity.Error);
      assert.match(await hoverText(), /\*\*Error\*\* `expired`/);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
