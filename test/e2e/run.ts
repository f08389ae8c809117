// `npm run test:e2e`: the product as a person uses it. Debian chromium (playwright-core) opens code-server's
// VS Code with the packaged .vsix installed, the demo workspace, and KUBECONFIG on the local API server with demo
// data; each step of steps.ts runs in order with a screenshot saved in test-results/e2e/ (the failing step's
// screenshot is named …-FAILED.png). Ends with "N passed, N failed, N skipped"; exit 1 when a step failed.
// SA_TOKEN_E2E_GREP=<text> runs only the matching steps. --update-screenshots: also copies the README screenshots the steps framed (readme.ts) to media/.
// --web: the same workbench with the web-only variant of the .vsix (no `main`), so the extension runs from
// dist/web.js in the browser's web worker extension host, as on vscode.dev; runs the steps marked for 'web'.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServerRun } from '../../scripts/lib/code-server-run';
import { launchBrowser } from '../../scripts/lib/browser';
import { isEntryPoint, progress, repoRoot, runMain } from '../../scripts/lib/env';
import { reportOutsideNetwork } from '../../scripts/lib/offline';
import { ensureChromium } from '../../scripts/setup-vscode';
import { publishReadmeScreenshots } from './readme';
import { PendingStep, steps, type Host, type StepContext } from './steps';
import { waitForWorkbench } from './workbench';

const host: Host = process.argv.includes('--web') ? 'web' : 'desktop';
const screenshotDir = join(repoRoot, 'test-results', host === 'web' ? 'e2e-web' : 'e2e');
/** What the workbench logs when it starts the web worker extension host (checked with code-server 4.139.1). */
const WEB_WORKER_HOST_STARTED = /web worker extension host is started/i;
const STEP_LIMIT_MS = 60_000;

function slug(index: number, name: string): string {
  return `${String(index + 1).padStart(2, '0')}-${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

function withinLimit<T>(work: Promise<T>, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step "${name}" took over ${STEP_LIMIT_MS / 1000}s`)), STEP_LIMIT_MS);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

async function closeEverything(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+W');
}

async function runSteps(context: StepContext): Promise<{ passed: number; failed: number; skipped: number }> {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  // SA_TOKEN_E2E_GREP: only the steps whose name contains it (while working on one step).
  const only = process.env.SA_TOKEN_E2E_GREP?.toLowerCase();
  for (const [index, step] of steps.entries()) {
    if (!(step.hosts ?? ['desktop']).includes(host)) continue;
    if (only && !step.name.toLowerCase().includes(only)) continue;
    const shot = join(screenshotDir, slug(index, step.name));
    const started = Date.now();
    try {
      await withinLimit(step.run(context), step.name);
      await context.page.screenshot({ path: `${shot}.png` });
      counts.passed++;
      console.log(`  ✓ ${step.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n').slice(0, 4).join('\n      ') : String(error);
      if (error instanceof PendingStep) {
        counts.skipped++;
        console.log(`  - ${step.name} (pending: ${message})`);
      } else {
        counts.failed++;
        await context.page.screenshot({ path: `${shot}-FAILED.png` }).catch(() => undefined);
        console.log(`  ✗ ${step.name}\n      ${message}\n      screenshot: ${shot}-FAILED.png`);
      }
    }
    await closeEverything(context.page).catch(() => undefined);
  }
  return counts;
}

async function main(): Promise<number> {
  const started = Date.now();
  ensureChromium();
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  const codeServer = await startCodeServerRun(
    host === 'web' ? { label: 'e2e-web', variant: 'web-only' } : { label: 'e2e' },
  );
  const browser = await launchBrowser(codeServer.workDir);
  let failed = true;
  try {
    const page = await browser.context.newPage();
    const webWorkerHost = new Promise<void>((resolveStarted) =>
      page.on('console', (message) => {
        if (WEB_WORKER_HOST_STARTED.test(message.text())) resolveStarted();
      }),
    );
    progress('opening the workbench…');
    await page.goto(codeServer.url);
    await waitForWorkbench(page);
    if (host === 'web') {
      // The server's log never shows a web worker's activations: the steps' own waits cover the activation.
      await withinLimit(webWorkerHost, 'the web worker extension host starts');
      progress('web worker extension host started; running the web steps…');
    } else {
      await codeServer.extensionActivated();
      progress('extension activated; running the steps…');
    }
    await page.screenshot({ path: join(screenshotDir, '00-workbench.png') });
    const counts = await runSteps({
      page,
      workspace: codeServer.workspace,
      kubeconfig: codeServer.kubeconfig,
      screenshotDir,
    });
    console.log(
      `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(0)}s`,
    );
    if (host === 'web' && codeServer.activatedOnServer()) {
      console.log("  ✗ the extension ran in the server's Node extension host, not in the web worker");
      counts.failed++;
    }
    const offline = !reportOutsideNetwork('test:e2e', {
      server: codeServer.outsideLookups(),
      browser: browser.outsideRequests(),
    });
    failed = counts.failed > 0 || counts.passed === 0 || !offline;
    if (!failed && process.argv.includes('--update-screenshots')) {
      const published = publishReadmeScreenshots(screenshotDir, { subset: Boolean(process.env.SA_TOKEN_E2E_GREP) });
      for (const line of published) progress(`README screenshot ${line}`);
    }
    return failed ? 1 : 0;
  } finally {
    await browser.close();
    await codeServer.stop({ keep: failed });
  }
}

if (isEntryPoint(import.meta.url)) runMain('test:e2e', main);
