// `npm run test:integration`: runs test/integration/suite/*.test.ts with mocha in the Node extension host of the
// real VS Code that code-server ships. The server only runs extension tests from its own extensions, so a small
// test-runner extension is installed beside our packaged .vsix; chromium opens the workbench (which starts the
// extension host) and the runner reports each result as a JSON line into a file this launcher follows.
// The run fails too when the server, its extension host or the workbench tried to reach any outside host.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBench } from '../../scripts/lib/bench';
import { launchBrowser } from '../../scripts/lib/browser';
import { ensureDir, isEntryPoint, progress, runMain } from '../../scripts/lib/env';
import { reportOutsideNetwork } from '../../scripts/lib/offline';
import { ensureChromium } from '../../scripts/setup-vscode';
import { buildIntegration, runnerBundle, suitesOut } from './build';
import { formatEvent, type SuiteEvent } from './mocha-runner';
import { registerUnpackedExtension } from './unpacked-extension';

const RUN_TIMEOUT_MS = Number(process.env.SA_TOKEN_IT_TIMEOUT_MS ?? 180_000);

/** Where the runner extension appends one JSON line per result. */
const resultsFileIn = (workDir: string): string => join(workDir, 'results.jsonl');

type EndEvent = Extract<SuiteEvent, { event: 'end' }>;

/**
 * Prints each result as it arrives; resolves with the closing counts, or undefined on timeout. Failures the runner
 * reports outside mocha (a harness check) count as well.
 */
async function followResults(resultsFile: string, timeoutMs: number): Promise<EndEvent | undefined> {
  const deadline = Date.now() + timeoutMs;
  let printed = 0;
  let failures = 0;
  while (Date.now() < deadline) {
    const lines = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean) : [];
    for (const line of lines.slice(printed)) {
      const event = JSON.parse(line) as SuiteEvent;
      if (event.event === 'fail') failures++;
      if (event.event === 'end') return { ...event, failed: Math.max(event.failed, failures) };
      const text = formatEvent(event);
      if (text) console.log(text);
    }
    printed = lines.length;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 300));
  }
  return undefined;
}

async function reportTimeout(page: Page, workDir: string, serverLog: string): Promise<void> {
  const shot = join(ensureDir(join(workDir, 'screenshots')), 'timeout.png');
  await page.screenshot({ path: shot }).catch(() => undefined);
  console.log('0 passed, 1 failed');
  console.error(`test:integration: no result within ${RUN_TIMEOUT_MS / 1000}s (screenshot ${shot}, server log ${serverLog})`);
}

async function main(): Promise<number> {
  const started = Date.now();
  ensureChromium();
  progress('bundling integration suites…');
  await buildIntegration();
  const bench = await startBench({
    label: 'integration',
    env: (workDir) => ({ SA_TOKEN_IT_RESULTS: resultsFileIn(workDir), SA_TOKEN_IT_SUITES: suitesOut }),
    beforeStart: (layout) =>
      registerUnpackedExtension(layout, { publisher: 'sa-token-inspector', name: 'integration-test-runner', version: '0.0.0', main: runnerBundle }),
  });
  const resultsFile = resultsFileIn(bench.workDir);
  let failed = true;
  const browser = await launchBrowser(bench.workDir);
  try {
    progress('opening the workbench; the extension host runs the suites…');
    const page = await browser.context.newPage();
    await page.goto(bench.url);
    const result = await followResults(resultsFile, RUN_TIMEOUT_MS);
    if (!result) {
      await reportTimeout(page, bench.workDir, bench.serverLog);
      return 1;
    }
    console.log(`${formatEvent(result)} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
    const offline = !reportOutsideNetwork('test:integration', { server: bench.outsideLookups(), browser: browser.outsideRequests() });
    failed = result.failed > 0 || result.passed === 0 || !offline;
    return failed ? 1 : 0;
  } finally {
    await browser.close();
    await bench.stop({ keep: failed });
  }
}

if (isEntryPoint(import.meta.url)) runMain('test:integration', main);
