// Upgrade Readiness Report in the real extension host, against the local API server's two contexts (the admin and
// the restricted user): the command's report, and its webview opened under the report's view type.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { FleetReport } from '../../../src/core/report/model';
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
});
