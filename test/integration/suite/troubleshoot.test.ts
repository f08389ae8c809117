// Troubleshooting in the real extension host: the auth-error hover and Explain Kubernetes Auth Error's report.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openUntitled, waitFor } from './helpers';

const FORBIDDEN =
  'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:payments:billing" cannot list resource "pods" in API group "" in the namespace "payments"';

const webviewTabs = (viewType: string): vscode.Tab[] =>
  vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));

/** The document's Diagnose code lenses, once the provider offers at least `count` of them. */
function diagnoseLenses(document: vscode.TextDocument, count: number): Promise<vscode.CodeLens[]> {
  return waitFor(async () => {
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const diagnose = found?.filter((lens) => lens.command?.command === 'saToken.diagnose') ?? [];
    return diagnose.length >= count ? diagnose : undefined;
  }, 'the Diagnose code lenses');
}

suite('troubleshoot', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('hover on a Forbidden line: meaning, causes, next steps, only allow-listed command links', async () => {
    const editor = await openUntitled(`2026-11-30 starting\n${FORBIDDEN} [x](command:workbench.action.quit)\n`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(1, 10),
    );
    const markdown = hovers
      .flatMap((hover) => hover.contents)
      .find(
        (content): content is vscode.MarkdownString => typeof content !== 'string' && /Forbidden/.test(content.value),
      );
    assert.ok(markdown, 'an auth-error hover');
    assert.match(markdown.value, /Kubernetes auth error: Forbidden \\\(RBAC\\\)/);
    assert.match(markdown.value, /Likely causes:/);
    assert.match(
      markdown.value,
      /kubectl auth can-i list pods -n payments --as=system:serviceaccount:payments:billing/,
    );
    assert.deepEqual(markdown.isTrusted, { enabledCommands: ['saToken.explainAuthError', 'saToken.diagnose'] });
    const links = [...markdown.value.matchAll(/\]\(command:([\w.]+)/g)].map((match) => match[1]);
    assert.ok(links.length >= 1);
    for (const command of links) assert.ok(['saToken.explainAuthError', 'saToken.diagnose'].includes(command), command);
  });

  test('no hover on ordinary lines', async () => {
    const editor = await openUntitled('all good here\ncannot connect to redis\n');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(1, 3),
    );
    assert.equal(
      hovers
        .flatMap((hover) => hover.contents)
        .filter((content) => /auth error/.test(typeof content === 'string' ? content : content.value)).length,
      0,
    );
  });

  test('Explain Kubernetes Auth Error on a selection opens the report', async () => {
    const editor = await openUntitled(`first line\n${FORBIDDEN}\nlast line\n`);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    await vscode.commands.executeCommand('saToken.explainAuthError');
    await waitFor(() => webviewTabs('saToken.explanation').length === 1 || undefined, 'the report tab');
    assert.equal(webviewTabs('saToken.explanation')[0].label, 'Kubernetes Auth Error');
  });

  test('Diagnose Token Problems from the code lens of a manifest workload opens the report', async () => {
    const editor = await openUntitled(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        '  namespace: shop',
        'spec:',
        '  template:',
        '    spec:',
        '      serviceAccountName: web',
        '      automountServiceAccountToken: false',
        '      containers:',
        '      - name: app',
        '        image: busybox',
        '',
      ].join('\n'),
      'yaml',
    );
    const [lens] = await diagnoseLenses(editor.document, 1);
    assert.equal(lens.command!.title, 'Diagnose Token Problems');
    const report = await vscode.commands.executeCommand<{ checks: { id: string; status: string }[] }>(
      lens.command!.command,
      ...(lens.command!.arguments ?? []),
    );
    assert.ok(report, 'the command returns the report');
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
    assert.equal(byId.automount, 'warn');
    assert.equal(byId['token-mounted'], 'warn');
    // The report panel is reused: wait for this report's title.
    await waitFor(
      () => webviewTabs('saToken.report').some((tab) => tab.label === 'Token Problems: web') || undefined,
      'the report tab',
    );
    assert.equal(webviewTabs('saToken.report').length, 1);
    // --for in the editor: the questions a caller (or the report's Check Permissions… box) passes, checked words only.
    const asked = await vscode.commands.executeCommand<{ checks: { id: string; evidence: string[] }[] }>(
      lens.command!.command,
      { ...(lens.command!.arguments?.[0] as object), for: ['list pods -n shop', 'get x](command:y)'] },
    );
    assert.deepEqual(asked.checks.find((check) => check.id === 'rbac')?.evidence, ['list pods -n shop']);
  });

  test('Diagnose code lens on custom kinds the linter knows (Rollout, Knative Service), not on a core Service', async () => {
    const editor = await openUntitled(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: web, namespace: shop}',
        'spec: {ports: [{port: 80}]}',
        '---',
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata: {name: web, namespace: shop}',
        'spec:',
        '  template:',
        '    spec:',
        '      automountServiceAccountToken: false',
        '      containers: [{name: app, image: busybox}]',
        '---',
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Rollout',
        'metadata: {name: canary, namespace: shop}',
        'spec:',
        '  template:',
        '    spec:',
        '      automountServiceAccountToken: false',
        '      containers: [{name: app, image: busybox}]',
        '',
      ].join('\n'),
      'yaml',
    );
    const lenses = await diagnoseLenses(editor.document, 2);
    assert.deepEqual(
      lenses.map((lens) => lens.range.start.line),
      [5, 14],
    );
    for (const lens of lenses) {
      const report = await vscode.commands.executeCommand<{
        target: { kind: string };
        checks: { id: string; status: string }[];
      }>(lens.command!.command, ...(lens.command!.arguments ?? []));
      assert.ok(['Service', 'Rollout'].includes(report.target.kind), report.target.kind);
      assert.equal(report.checks.find((check) => check.id === 'automount')?.status, 'warn', report.target.kind);
    }
  });

  test("Diagnose report's Apply Quick Fix: the command re-reads the manifest, asks, applies the rule's default fix", async () => {
    const editor = await openUntitled(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: api',
        '  namespace: shop',
        'spec:',
        '  template:',
        '    spec:',
        '      serviceAccountName: api',
        '      containers:',
        '      - name: app',
        '        image: busybox',
        '        env:',
        '        - name: TOKEN',
        '          valueFrom:',
        '            secretKeyRef: {name: api-token-x7k2q, key: token}',
        '',
      ].join('\n'),
      'yaml',
    );
    const manifest = editor.document.uri.toString();
    const target = { kind: 'Deployment', namespace: 'shop', name: 'api', manifest };
    const report = await vscode.commands.executeCommand<{ checks: { id: string; status: string }[] }>(
      'saToken.diagnose',
      target,
    );
    assert.ok(report.checks.some((check) => check.id === 'legacy-token-secret'));
    // Not one of ours: an unknown action, a document that is not open, a name outside Kubernetes' alphabet.
    for (const forged of [
      { ...target, check: 'legacy-token-secret', action: 'delete-everything' },
      { ...target, manifest: 'file:///etc/passwd', check: 'legacy-token-secret', action: 'quick-fix' },
      { ...target, name: 'api](command:x)', check: 'legacy-token-secret', action: 'quick-fix' },
    ])
      assert.equal(await vscode.commands.executeCommand('saToken.diagnose.applyFix', forged), undefined);
    assert.doesNotMatch(editor.document.getText(), /serviceAccountToken/);
    const applied = await vscode.commands.executeCommand('saToken.diagnose.applyFix', {
      ...target,
      check: 'legacy-token-secret',
      action: 'quick-fix',
    });
    assert.equal(applied, true);
    assert.match(editor.document.getText(), /serviceAccountToken:/, 'SAT001 default fix: a projected token');
    assert.doesNotMatch(editor.document.getText(), /api-token-x7k2q/);
  });
});
