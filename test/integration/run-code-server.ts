// `npm run test:integration`: runs test/integration/suite/*.test.ts with mocha in the Node extension host of the
// real VS Code that code-server ships. The server only runs extension tests from its own extensions, so a small
// test-runner extension is installed beside our packaged .vsix; chromium opens the workbench (which starts the
// extension host) and the runner reports each result as a JSON line into a file this launcher follows.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBench } from '../../scripts/lib/bench';
import { launchBrowser } from '../../scripts/lib/browser';
import { cacheDir, ensureDir, isEntryPoint, progress, runMain } from '../../scripts/lib/env';
import { ensureChromium } from '../../scripts/setup-vscode';
import { buildIntegration, runnerBundle, suitesOut } from './build';
import { formatEvent, type SuiteEvent } from './mocha-runner';
import { registerUnpackedExtension } from './unpacked-extension';

const RUN_TIMEOUT_MS = Number(process.env.SA_TOKEN_IT_TIMEOUT_MS ?? 180_000);
const workDir = join(cacheDir, 'integration');
const resultsFile = join(cacheDir, 'integration-results.jsonl');

type EndEvent = Extract<SuiteEvent, { event: 'end' }>;

/** Prints each result as it arrives; resolves with the closing counts, or undefined on timeout. */
async function followResults(timeoutMs: number): Promise<EndEvent | undefined> {
  const deadline = Date.now() + timeoutMs;
  let printed = 0;
  while (Date.now() < deadline) {
    const lines = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean) : [];
    for (const line of lines.slice(printed)) {
      const event = JSON.parse(line) as SuiteEvent;
      if (event.event === 'end') return event;
      const text = formatEvent(event);
      if (text) console.log(text);
    }
    printed = lines.length;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 300));
  }
  return undefined;
}

async function reportTimeout(page: Page, serverLog: string): Promise<number> {
  const shot = join(ensureDir(join(workDir, 'screenshots')), 'timeout.png');
  await page.screenshot({ path: shot }).catch(() => undefined);
  console.log('0 passed, 1 failed');
  console.error(`test:integration: no result within ${RUN_TIMEOUT_MS / 1000}s (screenshot ${shot}, server log ${serverLog})`);
  return 1;
}

async function main(): Promise<number> {
  ensureChromium();
  progress('bundling integration suites…');
  await buildIntegration();
  ensureDir(cacheDir);
  writeFileSync(resultsFile, '');
  const bench = await startBench({
    workDir,
    env: { SA_TOKEN_IT_RESULTS: resultsFile, SA_TOKEN_IT_SUITES: suitesOut },
    beforeStart: (layout) =>
      registerUnpackedExtension(layout, { publisher: 'sa-token-inspector', name: 'integration-test-runner', version: '0.0.0', main: runnerBundle }),
  });
  const browser = await launchBrowser();
  try {
    progress('opening the workbench; the extension host runs the suites…');
    const page = await browser.newPage();
    await page.goto(bench.url);
    const result = await followResults(RUN_TIMEOUT_MS);
    if (!result) return await reportTimeout(page, bench.serverLog);
    console.log(formatEvent(result));
    return result.failed > 0 || result.passed === 0 ? 1 : 0;
  } finally {
    await browser.close().catch(() => undefined);
    await bench.stop();
  }
}

if (isEntryPoint(import.meta.url)) runMain('test:integration', main);
