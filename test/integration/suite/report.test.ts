// Upgrade Readiness Report in the real extension host, against the local API server's two contexts (the admin and
// the restricted user): the command's report, and its webview opened under the report's view type.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { FleetReport } from '../../../src/core/report/model';
import type { LinkTarget } from '../../../src/core/report/sections';
import { realClusterKubeconfig } from '../../cluster/target';
import { activateExtension, closeAllEditors, waitFor } from './helpers';

const webviewTabs = (viewType: string): vscode.Tab[] =>
  vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));

suite('upgrade readiness report', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('over the admin and the restricted context: a verdict each, the restricted one incomplete, in a webview', async function () {
    if (realClusterKubeconfig()) this.skip();
    this.timeout(90_000);
    const report = await vscode.commands.executeCommand<FleetReport>('saToken.upgradeReadinessReport', {
      // A name the kubeconfig does not have is dropped, not asked for.
      contexts: ['sa-demo', 'sa-demo-restricted', 'no-such-context'],
    });
    assert.ok(report, 'the command returns the report it shows');
    assert.deepEqual(
      report.clusters.map((cluster) => [cluster.context, cluster.complete]),
      [
        ['sa-demo', true],
        ['sa-demo-restricted', false],
      ],
    );
    for (const cluster of report.clusters) assert.notEqual(cluster.verdict, 'unreachable', cluster.reasons.join('; '));
    assert.ok(
      report.clusters[1].errors.some((error) => /forbidden/.test(error.message)),
      'the restricted user is refused some lists, reported',
    );
    await waitFor(() => webviewTabs('saToken.readinessReport').length === 1 || undefined, 'the report tab');
    assert.equal(webviewTabs('saToken.readinessReport')[0].label, 'Upgrade Readiness');
  });

  // The page posts `{link: n}` and `{save: format}`; the follow command takes the same messages through the same
  // checks, so the test sends them as the page does (a webview's script cannot be driven from the extension host).
  const follow = (message: unknown) =>
    vscode.commands.executeCommand<{ target: LinkTarget; revealed: boolean } | { saved: vscode.Uri } | undefined>(
      'saToken.upgradeReadinessReport.follow',
      message,
    );

  test('its links reveal each item in the tree or in the manifest', async function () {
    if (realClusterKubeconfig()) this.skip();
    this.timeout(120_000);
    const report = await vscode.commands.executeCommand<FleetReport>('saToken.upgradeReadinessReport', {
      contexts: ['sa-demo'],
    });
    assert.ok(report.manifests.length > 0, 'the demo workspace has manifest findings');
    const followed = new Map<LinkTarget['type'], number>();
    for (let link = 0; followed.size < 4 && link < 500; link++) {
      // A link that waits on a prompt would hang the suite: fail naming it instead.
      const result = await Promise.race([
        follow({ link }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`link ${link} did not settle within 20 s`)), 20_000),
        ),
      ]);
      if (!result) break;
      assert.ok('target' in result);
      const { target, revealed } = result;
      if (followed.has(target.type)) continue;
      followed.set(target.type, link);
      assert.equal(revealed, true, `${JSON.stringify(target)} revealed`);
      if (target.type === 'file') {
        const editor = vscode.window.activeTextEditor;
        assert.ok(editor, 'the manifest is open');
        assert.equal(vscode.workspace.asRelativePath(editor.document.uri), target.file);
        assert.equal(editor.selection.active.line, target.line - 1);
        assert.equal(editor.selection.active.character, target.column - 1);
      } else {
        assert.equal(target.context, 'sa-demo');
      }
    }
    assert.deepEqual([...followed.keys()].sort(), ['file', 'secret', 'serviceAccount', 'workload']);
    // A message that is not one of the report's links does nothing.
    for (const forged of [{ link: 10_000 }, { link: -1 }, { link: '0' }, { save: '../x' }, null])
      assert.equal(await follow(forged), undefined);
  });

  test('Save as Markdown and as HTML write the page to the file the user confirms', async function () {
    if (realClusterKubeconfig()) this.skip();
    // code-server's save dialog is VS Code's simple file dialog (a quick input, acceptable from here); a desktop
    // VS Code shows the operating system's.
    if (vscode.env.uiKind !== vscode.UIKind.Web) this.skip();
    this.timeout(120_000);
    const report = await vscode.commands.executeCommand<FleetReport>('saToken.upgradeReadinessReport', {
      contexts: ['sa-demo'],
    });
    const folder = vscode.workspace.workspaceFolders![0].uri;
    for (const [format, extension] of [
      ['markdown', 'md'],
      ['html', 'html'],
    ] as const) {
      const expected = vscode.Uri.joinPath(folder, `upgrade-readiness-${report.generatedAt.slice(0, 10)}.${extension}`);
      await vscode.workspace.fs.delete(expected).then(undefined, () => undefined);
      const saving = follow({ save: format });
      // The dialog offers the workspace folder and the report's day; Enter accepts it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const result = await saving;
      assert.ok(result && 'saved' in result, `saved as ${format}`);
      assert.equal(result.saved.toString(), expected.toString());
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(expected));
      if (format === 'markdown') assert.match(text, /^# /m);
      else {
        assert.match(text, /^<!doctype html>/i);
        assert.equal((text.match(/<script/g) ?? []).length, 0, 'the saved page runs no script');
      }
      assert.ok(text.includes('sa-demo'));
      await vscode.workspace.fs.delete(expected);
    }
  });
});
