// The editor and `sa-token lint` give the same findings for a file: the same scope (which other files inform it), the
// same Kustomize patch reading, the same .sa-token.yaml (rules, severities, ignore globs), the same decoding (UTF-16).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, EXTENSION_ID, waitFor } from './helpers';
import type { CliFinding } from '../../../src/cli/findings';
import { firstSentence } from '../../../src/core/manifests/diagnosticMessage';

const FILES: Record<string, string> = {
  '.sa-token.yaml': 'rules:\n  SAT005: on\n  SAT007: error\nignore:\n  - "ignored/**"\n',
  'app/kustomization.yaml':
    'resources: [deploy.yaml, worker.yaml]\npatches:\n  - path: patch.yaml\n    target: {kind: Deployment, name: api}\n',
  // Reads a token Secret that app/secret.yaml (UTF-16) creates: SAT001 says what is true for a Secret the inputs make.
  'app/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    spec:
      serviceAccount: api
      containers:
        - name: app
          image: example/api:1
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef: {name: api-token, key: token}
`,
  // Runs as ServiceAccount worker with the default automount: SAT005 (on in .sa-token.yaml) unless a binding in its
  // scope names it. other/rbac.yaml binds it, but other/ is not app's scope.
  'app/worker.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: worker
      containers: [{name: app, image: example/worker:1}]
`,
  // A patch holds only what it changes: no "runs as default" here.
  'app/patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers: [{name: app, image: example/api:2}]
`,
  'other/rbac.yaml': `apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: worker, namespace: shop}
subjects: [{kind: ServiceAccount, name: worker, namespace: shop}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
`,
  'ignored/pod.yaml': `apiVersion: v1
kind: Pod
metadata: {name: old, namespace: shop}
spec:
  containers: [{name: app, image: x, volumeMounts: [{name: t, mountPath: /t}]}]
  volumes: [{name: t, secret: {secretName: old-token-abcde}}]
`,
};

/** app/secret.yaml in UTF-16LE with a byte order mark. */
const UTF16_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: api-token
  namespace: shop
  annotations:
    kubernetes.io/service-account.name: api
type: kubernetes.io/service-account-token
`;

const utf16le = (text: string): Uint8Array => {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    bytes[2 + i * 2] = text.charCodeAt(i) & 0xff;
    bytes[3 + i * 2] = text.charCodeAt(i) >> 8;
  }
  return bytes;
};

/** A finding as both sides show it: the CLI's JSON fields, the editor's severity named as the CLI names it. */
type Seen = Pick<CliFinding, 'file' | 'rule' | 'line' | 'column' | 'message'> & { severity: string };

const SEVERITY = ['error', 'warning', 'info', 'info'];
const key = (finding: Seen) => JSON.stringify(finding);

suite('manifest scope: the editor and sa-token lint agree', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('same findings per file: scope, Kustomize patch, .sa-token.yaml rules and ignore, a UTF-16 file', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const root = vscode.Uri.joinPath(folder.uri, 'sa-token-scope');
    try {
      for (const [path, text] of Object.entries(FILES))
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, path), new TextEncoder().encode(text));
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'app/secret.yaml'), utf16le(UTF16_SECRET));

      const cli = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
      const lint = (...paths: string[]): Seen[] => {
        const result = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', '--fail-on', 'never', ...paths], {
          encoding: 'utf8',
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        });
        assert.equal(result.status, 0, result.stderr);
        return (JSON.parse(result.stdout) as Seen[]).map(({ file, rule, severity, line, column, message }) => ({
          file: vscode.Uri.file(file).fsPath,
          rule,
          severity,
          line,
          column,
          // The editor shows the finding's first sentence (then what each quick fix means); the CLI says it whole.
          message: firstSentence(message),
        }));
      };
      const all = lint(root.fsPath);
      // Linting app/ alone or with the unrelated other/ gives app/ the same findings (the scope test).
      const appAlone = lint(vscode.Uri.joinPath(root, 'app').fsPath);
      const inApp = (finding: Seen) => finding.file.includes(`${join('sa-token-scope', 'app')}`);
      assert.deepEqual(all.filter(inApp).map(key).sort(), appAlone.map(key).sort());
      assert.ok(
        all.some((finding) => finding.rule === 'SAT005' && finding.file.endsWith('worker.yaml')),
        'SAT005 on the worker: other/rbac.yaml is not in its scope',
      );
      assert.ok(
        all.some((finding) => finding.rule === 'SAT007' && finding.severity === 'error'),
        'SAT007 at error, as .sa-token.yaml says',
      );
      assert.ok(!all.some((finding) => /patch\.yaml|ignored/.test(finding.file)), 'no finding in the patch or ignored');

      const files = ['app/deploy.yaml', 'app/worker.yaml', 'app/patch.yaml', 'app/secret.yaml', 'other/rbac.yaml'];
      const documents = await Promise.all(
        files.map((path) => vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, path))),
      );
      const ignored = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'ignored/pod.yaml'));
      const editorFindings = (): Seen[] =>
        documents.flatMap((document) =>
          vscode.languages
            .getDiagnostics(document.uri)
            .filter((diagnostic) => diagnostic.source === 'sa-token')
            .map((diagnostic) => ({
              file: document.uri.fsPath,
              rule: String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code),
              severity: SEVERITY[diagnostic.severity],
              line: diagnostic.range.start.line + 1,
              column: diagnostic.range.start.character + 1,
              message: diagnostic.message.split('\n')[0],
            })),
        );
      const expected = all.map(key).sort();
      await waitFor(
        () => JSON.stringify(editorFindings().map(key).sort()) === JSON.stringify(expected) || undefined,
        'the editor to show what sa-token lint prints',
        15_000,
      ).catch((error: Error) => {
        assert.deepEqual(editorFindings().map(key).sort(), expected, error.message);
      });
      assert.deepEqual(
        vscode.languages.getDiagnostics(ignored.uri).filter((diagnostic) => diagnostic.source === 'sa-token'),
        [],
        'a file .sa-token.yaml ignores gets no diagnostics',
      );
    } finally {
      await vscode.workspace.fs.delete(root, { recursive: true });
    }
  });
});
