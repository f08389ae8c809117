// Manifest features in the real extension host: diagnostics, the SAT001 quick fix, fix-all (command, on-save kind,
// workspace edit), show consumers and "Create explicit token secret".
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { ManifestEngine } from '../../../src/core/manifests/engine';
import { buildWorkspaceFixEdit } from '../../../src/features/manifests/commands';
import { WorkspaceManifestIndex } from '../../../src/features/manifests/workspaceIndex';
import { InProcessManifestEngine } from '../../../src/features/shared/manifestEngine';
import { activateExtension, closeAllEditors, openUntitled, ruleOf, waitFor, within } from './helpers';

const LEGACY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: reporter
  namespace: team-a
spec:
  template:
    spec:
      serviceAccountName: reporter
      containers:
        - name: app
          image: example/reporter:1.2 # pinned
          env:
            - name: LOG_LEVEL
              value: info
            - name: KUBE_TOKEN
              valueFrom:
                secretKeyRef:
                  name: reporter-token-x7k2q
                  key: token
`;

const PROJECTED_TAIL = `            - name: KUBE_TOKEN_PATH
              value: /var/run/secrets/kubernetes.io/serviceaccount/token
          volumeMounts:
            - name: sa-token
              mountPath: /var/run/secrets/kubernetes.io/serviceaccount
              readOnly: true
      volumes:
        - name: sa-token
          projected:
            sources:
              - serviceAccountToken:
                  path: token
                  expirationSeconds: 3600
              - configMap:
                  name: kube-root-ca.crt
                  items:
                    - key: ca.crt
                      path: ca.crt
              - downwardAPI:
                  items:
                    - path: namespace
                      fieldRef:
                        fieldPath: metadata.namespace
`;

const HEAD_LINES = LEGACY.split('\n').slice(0, 15);

/** SAT001's own fix: the env var now holds the token's path, read from a projected volume. */
const AFTER_SAT001 = `${HEAD_LINES.join('\n')}\n${PROJECTED_TAIL}`;

/**
 * Fix-all applies migrations only: the same text as SAT001's own fix (its projected API token at the default path
 * is the pod's own identity, not a second credential: no SAT008, no automount change).
 */
const AFTER_FIX_ALL = AFTER_SAT001;

const SERVICE_ACCOUNT = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: reporter
  namespace: team-a
`;

const TOKEN_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: reporter-token-x7k2q
  namespace: team-a
  annotations:
    kubernetes.io/service-account.name: reporter
type: kubernetes.io/service-account-token
`;

const diagnosticFor = (uri: vscode.Uri, rule: string): Promise<vscode.Diagnostic> =>
  waitFor(() => vscode.languages.getDiagnostics(uri).find((diagnostic) => ruleOf(diagnostic) === rule), `${rule}`);

const codeActions = (uri: vscode.Uri, range: vscode.Range, kind?: string): Thenable<vscode.CodeAction[]> =>
  vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind);

suite('manifests', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('a legacy token read is diagnosed on the secretKeyRef, with its rule id', async () => {
    const editor = await openUntitled(LEGACY, 'yaml');
    const diagnostic = await diagnosticFor(editor.document.uri, 'SAT001');
    assert.equal(diagnostic.source, 'sa-token');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const lines = LEGACY.split('\n');
    const refLine = lines.findIndex((line) => line.includes('secretKeyRef:'));
    assert.deepEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line],
      [refLine, lines[refLine]!.indexOf('secretKeyRef'), refLine + 2],
    );
    // One short sentence, what the fix asks of the app (its title stays short), and the rule's documentation.
    assert.equal(
      diagnostic.message,
      'Environment variable KUBE_TOKEN reads key "token" of the legacy token Secret "reporter-token-x7k2q": the ' +
        'workload breaks after an upgrade.\n' +
        'Use a projected token volume instead: the app must read the token file and re-read it, as it rotates.',
    );
    assert.ok(typeof diagnostic.code === 'object', 'the code links to the documentation');
    assert.equal(diagnostic.code.value, 'SAT001');
    assert.match(diagnostic.code.target.toString(), /^https:\/\/.*#sat001$/);
  });

  test('a manifest over saToken.diagnostics.maxManifestSizeKB gets one information diagnostic and no lint', async () => {
    // LEGACY padded past the default 2,048 KB with a comment: a generated file's size.
    const editor = await openUntitled(`${LEGACY}#${'x'.repeat(2048 * 1024)}\n`, 'yaml');
    const uri = editor.document.uri;
    const [tooLarge] = await waitFor(() => {
      const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'sa-token');
      return ours.length ? ours : undefined;
    }, 'the size-limit diagnostic');
    assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'sa-token').length, 1);
    assert.equal(tooLarge.code, 'manifest-too-large');
    assert.equal(tooLarge.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(tooLarge.range.start.line, 0);
    assert.match(
      tooLarge.message,
      /^This file is not checked: 2,049 KB is over the 2,048 KB limit for manifests, .*saToken\.diagnostics\.maxManifestSizeKB\)\.$/,
    );
    const fixAll = await vscode.commands.executeCommand('saToken.fixAll');
    assert.equal(fixAll, undefined, 'Fix All refuses with the same words; nothing changes');
    assert.ok(!editor.document.getText().includes('serviceAccountToken'));
  });

  test('the preferred SAT001 quick fix rewrites to a projected volume, byte for byte', async () => {
    const editor = await openUntitled(LEGACY, 'yaml');
    const diagnostic = await diagnosticFor(editor.document.uri, 'SAT001');
    const actions = await codeActions(editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const preferred = actions.filter((action) => action.isPreferred);
    const offered = actions.map((action) => `${action.kind?.value}${action.isPreferred ? '*' : ''} ${action.title}`);
    assert.equal(preferred.length, 1, offered.join('\n'));
    assert.equal(preferred[0]!.title, 'Use a projected token volume instead');
    assert.ok(await vscode.workspace.applyEdit(preferred[0]!.edit!));
    assert.equal(editor.document.getText(), AFTER_SAT001);
  });

  test('a hardening quick fix is offered, never preferred, and its diagnostic says what the workload loses', async () => {
    const editor = await openUntitled(LEGACY.replace('      serviceAccountName: reporter\n', ''), 'yaml');
    const diagnostic = await diagnosticFor(editor.document.uri, 'SAT006');
    const actions = await codeActions(editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const automountOff = actions.find(
      (action) => action.title === 'Set automountServiceAccountToken: false on the pod',
    );
    assert.ok(automountOff, actions.map((action) => action.title).join('\n'));
    assert.equal(automountOff.isPreferred, false);
    for (const action of actions)
      assert.ok(action.title.split(/\s+/).length <= 8, `title of 8 words at most: ${action.title}`);
    assert.match(
      diagnostic.message,
      /\nSet automountServiceAccountToken: false on the pod: its containers lose the token they use to call the API server\./,
    );
  });

  test('a SAT001 env read beside a token Secret volume has its lightbulb fix, as Fix All fixes it (issue 18)', async () => {
    const text = LEGACY.replace(
      '                  key: token\n',
      '                  key: token\n          volumeMounts:\n            - name: sa\n              mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n      volumes:\n        - name: sa\n          secret:\n            secretName: reporter-token-x7k2q\n',
    );
    const editor = await openUntitled(text, 'yaml');
    const { uri } = editor.document;
    const reads = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(uri).filter((diagnostic) => ruleOf(diagnostic) === 'SAT001');
      return found.length === 2 ? found : undefined;
    }, 'SAT001 on the env read and on the volume');
    const envRead = reads.find((diagnostic) => editor.document.getText(diagnostic.range).startsWith('secretKeyRef'));
    assert.ok(envRead);
    const actions = await codeActions(uri, envRead.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix?.edit, actions.map((action) => action.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const fixed = editor.document.getText();
    assert.match(
      fixed,
      /- name: KUBE_TOKEN_PATH\n +value: \/var\/run\/secrets\/kubernetes.io\/serviceaccount\/token\n/,
    );
    assert.doesNotMatch(fixed, /secretName|secretKeyRef: *\n +name: reporter/);
    await waitFor(
      () => (vscode.languages.getDiagnostics(uri).some((d) => ruleOf(d) === 'SAT001') ? undefined : true),
      'both reads fixed by the one fix',
    );
  });

  test('"Fix all SAT001 problems in this file" fixes every SAT001 read, and only those', async () => {
    const second = LEGACY.replace('name: reporter\n', 'name: exporter\n').replace(/reporter/g, 'exporter');
    const text = `${LEGACY}---\n${second}---\n${LEGACY.replace('      serviceAccountName: reporter\n', '').replace(/reporter/g, 'nobody')}`;
    const editor = await openUntitled(text, 'yaml');
    const { uri } = editor.document;
    const diagnostic = await diagnosticFor(uri, 'SAT001');
    await diagnosticFor(uri, 'SAT006');
    // Resolved as when it is chosen: the edit is computed only then.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
      20,
    );
    const fixRule = actions.find((action) => action.title === 'Fix all SAT001 problems in this file');
    assert.ok(fixRule?.edit, actions.map((action) => action.title).join('\n'));
    assert.ok(!fixRule.isPreferred, 'never the auto-fix');
    assert.ok(await vscode.workspace.applyEdit(fixRule.edit));
    await waitFor(
      () => (vscode.languages.getDiagnostics(uri).some((d) => ruleOf(d) === 'SAT001') ? undefined : true),
      'no SAT001 left',
    );
    assert.equal((editor.document.getText().match(/serviceAccountToken:/g) ?? []).length, 3);
    assert.ok(
      vscode.languages.getDiagnostics(uri).some((d) => ruleOf(d) === 'SAT006'),
      'the other rule is left to its own fix',
    );
  });

  test('after the SAT001 quick fix on the demo manifest, its diagnostics settle to none', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    // The README screenshot's file: a secret volume of a token Secret that another workspace file declares.
    const editor = await vscode.window.showTextDocument(
      vscode.Uri.joinPath(folder.uri, 'manifests', 'legacy-token-reader.yaml'),
    );
    const { uri } = editor.document;
    const diagnostic = await diagnosticFor(uri, 'SAT001');
    const actions = await codeActions(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix?.edit, actions.map((action) => action.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /projected:/);
    // The stale SAT001 marker is stretched over the inserted volume until the re-lint replaces it.
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'sa-token');
    await waitFor(() => (ours().length ? undefined : true), 'the re-lint to clear the diagnostics', 5000).catch(
      (error: Error) => {
        throw new Error(
          `${error.message}; still: ${ours()
            .map((d) => `${String(ruleOf(d))} at line ${d.range.start.line + 1}`)
            .join(', ')}`,
        );
      },
    );
  });

  test('"Fix All Service Account Token Issues" fixes the active file', async () => {
    const editor = await openUntitled(LEGACY, 'yaml');
    await diagnosticFor(editor.document.uri, 'SAT001');
    assert.equal(await vscode.commands.executeCommand('saToken.fixAll'), 1);
    assert.equal(editor.document.getText(), AFTER_FIX_ALL);
    await waitFor(
      () =>
        vscode.languages.getDiagnostics(editor.document.uri).some((d) => ruleOf(d) === 'SAT001') ? undefined : true,
      'SAT001 gone',
    );
  });

  test('source.fixAll.saToken offers one action with the same result (fix on save)', async () => {
    const editor = await openUntitled(LEGACY, 'yaml');
    await diagnosticFor(editor.document.uri, 'SAT001');
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const actions = await codeActions(editor.document.uri, whole, 'source.fixAll.saToken');
    assert.equal(
      actions.length,
      1,
      `${editor.document.uri.toString()}: ${actions.map((action) => action.title).join(', ')}`,
    );
    assert.ok(await vscode.workspace.applyEdit(actions[0]!.edit!));
    assert.equal(editor.document.getText(), AFTER_FIX_ALL);
    const again = await codeActions(editor.document.uri, whole, 'source.fixAll.saToken');
    assert.equal(again.length, 0, 'fixing twice changes nothing');
  });

  test('the workspace fix opens the refactor preview with every change ticked', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'sa-token-it', 'legacy.yaml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(LEGACY));
    try {
      const edit = await buildWorkspaceFixEdit(new InProcessManifestEngine(new ManifestEngine()), [uri], () => ({}));
      assert.ok(edit);
      assert.equal(edit.size, 1);
      // VS Code shows the refactor preview and applies nothing until the user accepts.
      const discarded = vscode.workspace.applyEdit(edit);
      assert.equal(await within(discarded, 1500), undefined, 'the preview waits for the user');
      await vscode.commands.executeCommand('refactorPreview.discard');
      assert.equal(await within(discarded, 5000), false, 'discarded: nothing applied');
      const document = await vscode.workspace.openTextDocument(uri);
      assert.equal(document.getText(), LEGACY);
      // Accepting the preview as it opens applies every fix: nothing had to be ticked by hand.
      const accepted = vscode.workspace.applyEdit(edit);
      assert.equal(await within(accepted, 1500), undefined, 'the preview waits for the user');
      await vscode.commands.executeCommand('refactorPreview.apply');
      assert.equal(await within(accepted, 5000), true, 'applied');
      assert.equal(document.getText(), AFTER_FIX_ALL);
      await document.save();
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, 'sa-token-it'), { recursive: true });
    }
  });

  test('Fix All in Workspace also takes a manifest written outside VS Code whose watcher event has not come yet', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const index = new WorkspaceManifestIndex(new InProcessManifestEngine(new ManifestEngine()), () => undefined);
    await index.manifestFiles();
    // Its watchers stop: from here on only a fresh search can learn of a new file, as before a late watcher event.
    index.dispose();
    const dir = join(folder.uri.fsPath, 'sa-token-it-unreported');
    const file = join(dir, 'generated.yaml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, LEGACY);
    try {
      const files = (await index.manifestFiles()).map((uri) => uri.fsPath);
      assert.ok(files.includes(file), `${file} is not among ${files.length} files`);
      const edit = await buildWorkspaceFixEdit(
        new InProcessManifestEngine(new ManifestEngine()),
        [vscode.Uri.file(file)],
        () => ({}),
      );
      assert.equal(edit?.size, 1, 'and it has its fix');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a token Secret is flagged SAT002 with "Show consumers in workspace"', async () => {
    const editor = await openUntitled(TOKEN_SECRET, 'yaml');
    const diagnostic = await diagnosticFor(editor.document.uri, 'SAT002');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    const actions = await codeActions(editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const show = actions.find((action) => action.title === 'Show consumers in workspace');
    assert.equal(show?.command?.command, 'saToken.showConsumers');
    assert.deepEqual(show.command.arguments?.slice(2), ['reporter-token-x7k2q', 'team-a']);
  });

  test('"Show consumers in workspace" finds the workload that mounts the demo token Secret', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const secretFile = vscode.Uri.joinPath(folder.uri, 'manifests', 'legacy-token-secret.yaml');
    const editor = await vscode.window.showTextDocument(secretFile);
    // Run first (right after activation), the workspace index may still be building: when it is done, every open
    // manifest is linted again and its diagnostics replaced. Ask until the action is offered, not just once.
    const show = await waitFor(async () => {
      const diagnostic = vscode.languages
        .getDiagnostics(editor.document.uri)
        .find((candidate) => ruleOf(candidate) === 'SAT002');
      if (!diagnostic) return undefined;
      const actions = await codeActions(editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      return actions.find((action) => action.title === 'Show consumers in workspace');
    }, 'the "Show consumers in workspace" action on the SAT002 diagnostic');
    assert.ok(show.command);
    const locations = await vscode.commands.executeCommand<vscode.Location[]>(
      show.command.command,
      ...(show.command.arguments ?? []),
    );
    const reader = locations.find((location) => location.uri.path.endsWith('/manifests/legacy-token-reader.yaml'));
    assert.ok(reader, locations.map((location) => location.uri.path).join(', '));
    const readerText = (await vscode.workspace.openTextDocument(reader.uri)).getText(reader.range);
    assert.match(readerText, /legacy-api-token-x7k2p/);
  });

  test('"Create explicit token secret" on a ServiceAccount inserts the documented Secret', async () => {
    const editor = await openUntitled(SERVICE_ACCOUNT, 'yaml');
    const actions = await codeActions(editor.document.uri, new vscode.Range(1, 3, 1, 3), 'refactor');
    const create = actions.find((action) => action.title.startsWith('Create explicit token secret'));
    assert.ok(create?.edit, actions.map((action) => `${action.kind?.value} ${action.title}`).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(create.edit));
    assert.equal(
      editor.document.getText(),
      `${SERVICE_ACCOUNT}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: reporter-token\n  namespace: team-a\n` +
        '  annotations:\n    kubernetes.io/service-account.name: reporter\ntype: kubernetes.io/service-account-token\n',
    );
  });

  test('a plain YAML file that is not a manifest gets no diagnostics', async () => {
    const editor = await openUntitled('name: ci\non:\n  push: {}\njobs: {}\n', 'yaml');
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri), []);
  });
});
