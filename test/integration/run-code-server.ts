// `npm run test:integration`: runs test/integration/suite/*.test.ts with mocha in the Node extension host of the
// real VS Code that code-server ships. The server only loads extension tests from its own extensions, so a small
// test-runner extension is installed beside our packaged .vsix; chromium opens the workbench (which starts the
// extension host) and the runner reports each result as a JSON line into a file this launcher follows.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../../scripts/lib/browser';
import { installVsix, serverLayout, startCodeServer, workbenchUrl, writeMachineSettings, type ServerLayout } from '../../scripts/lib/code-server';
import { cacheDir, ensureDir, freePort, isEntryPoint, progress, runMain, type Service } from '../../scripts/lib/env';
import { packageVsix } from '../../scripts/package';
import { ensureChromium, ensureCodeServer } from '../../scripts/setup-vscode';
import { buildIntegration, runnerBundle, suitesOut } from './build';
import { formatEvent, type SuiteEvent } from './mocha-runner';
import { registerUnpackedExtension } from './unpacked-extension';
import { startTestCluster, type TestCluster } from '../../scripts/lib/cluster';
import { WORKBENCH_SETTINGS, prepareWorkspace } from '../../scripts/lib/workspace';

const RUN_TIMEOUT_MS = Number(process.env.SA_TOKEN_IT_TIMEOUT_MS ?? 180_000);
const workDir = join(cacheDir, 'integration');

function installRunner(layout: ServerLayout): void {
  registerUnpackedExtension(layout, {
    publisher: 'sa-token-inspector',
    name: 'integration-test-runner',
    version: '0.0.0',
    main: runnerBundle,
  });
}

/** Prints each result as it arrives; resolves with the closing counts, or undefined on timeout. */
async function followResults(resultsFile: string, timeoutMs: number): Promise<Extract<SuiteEvent, { event: 'end' }> | undefined> {
  const deadline = Date.now() + timeoutMs;
  let printed = 0;
  while (Date.now() < deadline) {
    const lines = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean) : [];
    for (const line of lines.slice(printed)) {
      const event = JSON.parse(line) as SuiteEvent;
      const text = formatEvent(event);
      if (event.event === 'end') return event;
      if (text) console.log(text);
    }
    printed = lines.length;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 300));
  }
  return undefined;
}

async function main(): Promise<number> {
  const server = await ensureCodeServer();
  ensureChromium();
  const vsix = packageVsix();
  progress('bundling integration suites…');
  await buildIntegration();
  rmSync(workDir, { recursive: true, force: true });
  const layout = serverLayout(join(workDir, 'server'));
  installVsix(server, layout, vsix);
  installRunner(layout);
  writeMachineSettings(layout, WORKBENCH_SETTINGS);
  const workspace = await prepareWorkspace(join(workDir, 'workspace'));
  const resultsFile = join(ensureDir(workDir), 'results.jsonl');
  writeFileSync(resultsFile, '');

  const services: Service[] = [];
  let cluster: TestCluster | undefined;
  const browser = await launchBrowser();
  try {
    cluster = await startTestCluster(join(workDir, 'cluster'));
    if (cluster) services.push(cluster.service);
    const port = await freePort();
    const env = { ...process.env, SA_TOKEN_IT_RESULTS: resultsFile, SA_TOKEN_IT_SUITES: suitesOut, ...cluster?.env };
    const codeServer = startCodeServer(server, layout, { port, env, logFile: join(workDir, 'code-server.log') });
    services.push(codeServer);
    await codeServer.ready;
    progress(`code-server on port ${port}; opening the workbench, the extension host runs the suites…`);
    const page = await browser.newPage();
    await page.goto(workbenchUrl(port, workspace));
    const result = await followResults(resultsFile, RUN_TIMEOUT_MS);
    if (!result) {
      const shot = join(ensureDir(join(workDir, 'screenshots')), 'timeout.png');
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.log(`0 passed, 1 failed`);
      console.error(`integration: no result within ${RUN_TIMEOUT_MS / 1000}s (screenshot ${shot}, server log ${join(workDir, 'code-server.log')})`);
      return 1;
    }
    console.log(formatEvent(result));
    return result.failed > 0 || result.passed === 0 ? 1 : 0;
  } finally {
    await browser.close().catch(() => undefined);
    for (const service of services.reverse()) await service.stop();
  }
}

if (isEntryPoint(import.meta.url)) runMain('test:integration', main);
