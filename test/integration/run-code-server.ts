// `npm run test:integration`: runs test/integration/suite/*.test.ts with mocha in the Node extension host of the
// real VS Code that code-server ships. The server only runs extension tests from its own extensions, so a small
// test-runner extension is installed beside our packaged .vsix; chromium opens the workbench (which starts the
// extension host) and the runner reports each result as a JSON line into a file this launcher follows.
// The run fails too when the server, its extension host or the workbench tried to reach any outside host.
// A second, short pass runs the trust suite in Restricted Mode (workspace trust on, the workspace untrusted, its
// .vscode/settings.json planting a kubeconfig and a key file): see passes() and trust-mode.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServerRun } from '../../scripts/lib/code-server-run';
import { launchBrowser } from '../../scripts/lib/browser';
import { ensureDir, isEntryPoint, progress, runMain } from '../../scripts/lib/env';
import { reportOutsideNetwork } from '../../scripts/lib/offline';
import { ensureChromium } from '../../scripts/setup-vscode';
import { buildIntegration, runnerBundle, suitesOut } from './build';
import { formatEvent, type SuiteEvent } from './mocha-runner';
import { plantWorkspaceSettings, type TrustMode } from './trust-mode';
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
  console.error(
    `test:integration: no result within ${RUN_TIMEOUT_MS / 1000}s (screenshot ${shot}, server log ${serverLog})`,
  );
}

interface Pass {
  trust: TrustMode;
  /** Mocha grep for this pass (undefined: SA_TOKEN_IT_GREP or every test). */
  grep?: string;
}

/**
 * The passes to run: every suite in a trusted workspace, then the trust suite again in Restricted Mode.
 * SA_TOKEN_IT_TRUST=trusted|restricted runs only that pass; with SA_TOKEN_IT_GREP alone, only the first.
 */
function passes(): Pass[] {
  const restricted: Pass = { trust: 'restricted', grep: RESTRICTED_PASS_GREP };
  const requested = process.env.SA_TOKEN_IT_TRUST;
  if (requested === 'restricted') return [restricted];
  if (requested === 'trusted' || process.env.SA_TOKEN_IT_GREP) return [{ trust: 'trusted' }];
  return [{ trust: 'trusted' }, restricted];
}

/** The suite whose tests change with trust; the Restricted Mode pass runs only it. */
const RESTRICTED_PASS_GREP = 'workspace trust';

async function runPass(pass: Pass): Promise<EndEvent | undefined> {
  const codeServer = await startCodeServerRun({
    label: pass.trust === 'restricted' ? 'integration-restricted' : 'integration',
    trust: pass.trust,
    env: (workDir) => ({
      SA_TOKEN_IT_RESULTS: resultsFileIn(workDir),
      SA_TOKEN_IT_SUITES: suitesOut,
      SA_TOKEN_IT_TRUST: pass.trust,
      // The suites cannot click a modal dialog: the extension confirms these actions itself (see FeatureContext).
      SA_TOKEN_IT_CONFIRM: 'Create,Delete,Check,Send,Apply,Remove',
      ...(pass.grep ? { SA_TOKEN_IT_GREP: pass.grep } : {}),
    }),
    beforeStart: (layout) =>
      registerUnpackedExtension(layout, {
        publisher: 'sa-token-inspector',
        name: 'integration-test-runner',
        version: '0.0.0',
        main: runnerBundle,
      }),
    prepareWorkspace: pass.trust === 'restricted' ? plantWorkspaceSettings : undefined,
  });
  let failed = true;
  const browser = await launchBrowser(codeServer.workDir);
  try {
    progress(
      `opening the workbench (${pass.trust === 'restricted' ? 'Restricted Mode' : 'trusted workspace'}); the extension host runs the suites…`,
    );
    const page = await browser.context.newPage();
    await page.goto(codeServer.url);
    const result = await followResults(resultsFileIn(codeServer.workDir), RUN_TIMEOUT_MS);
    if (!result) {
      await reportTimeout(page, codeServer.workDir, codeServer.serverLog);
      return undefined;
    }
    const offline = !reportOutsideNetwork('test:integration', {
      server: codeServer.outsideLookups(),
      browser: browser.outsideRequests(),
    });
    const counted = offline ? result : { ...result, failed: result.failed + 1 };
    failed = counted.failed > 0 || counted.passed === 0;
    return counted;
  } finally {
    await browser.close();
    await codeServer.stop({ keep: failed });
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  ensureChromium();
  progress('bundling integration suites…');
  await buildIntegration();
  const total = { event: 'end' as const, passed: 0, failed: 0, pending: 0 };
  for (const pass of passes()) {
    const result = await runPass(pass);
    if (!result) return 1;
    console.log(`${pass.trust}: ${formatEvent(result)}`);
    total.passed += result.passed;
    total.failed += result.failed;
    total.pending += result.pending;
    if (result.passed === 0) total.failed++;
  }
  console.log(`${formatEvent(total)} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return total.failed > 0 ? 1 : 0;
}

if (isEntryPoint(import.meta.url)) runMain('test:integration', main);
