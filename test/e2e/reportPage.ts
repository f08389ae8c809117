// The `sa-token report --format html` page opened in Chromium as a person opens a saved file: made by the CLI
// against the run's local API server (every context of its kubeconfig), loaded from disk in its own tab. It must draw its
// cards and three charts with nothing fetched (the run counts every outside request) and no script running.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { repoRoot } from '../../scripts/lib/env';
import { frame } from './readme';

const run = promisify(execFile);

export async function openReportPage(page: Page, kubeconfig: string, screenshotDir: string): Promise<void> {
  const file = join(screenshotDir, 'upgrade-readiness.html');
  const result = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'report', '--all-contexts', '--format', 'html', '-o', file, '-q'],
    { cwd: repoRoot, env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 120_000 },
  ).catch((error: { code?: number; stderr?: string }) => {
    // Exit 1 is a verdict (something will break), not a failure of the command.
    if (error.code === 1) return { stderr: error.stderr ?? '' };
    throw error;
  });
  assert.equal(result.stderr, '');
  const tab = await page.context().newPage();
  try {
    await tab.setViewportSize({ width: 1100, height: 760 });
    const messages: string[] = [];
    tab.on('console', (message) => messages.push(message.text()));
    await tab.goto(`file://${file}`);
    await tab.locator('.card').first().waitFor();
    const { contexts } = parse(await readFile(kubeconfig, 'utf8')) as { contexts: unknown[] };
    assert.equal(await tab.locator('.card').count(), contexts.length, 'a verdict card per context');
    assert.equal(await tab.locator('.charts svg').count(), 3, 'the three charts');
    // The page's own style applies (the CSP admits its nonce): the cards are laid out as a grid.
    const display = await tab
      .locator('.cards')
      .evaluate(
        (cards) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(cards)
            .display,
      );
    assert.equal(display, 'grid');
    assert.deepEqual(
      messages.filter((text) => /Content Security Policy/i.test(text)),
      [],
      'nothing the page has is refused by its CSP',
    );
    await frame(tab, screenshotDir, 'report', { x: 0, y: 0, width: 1100, height: 760 });
  } finally {
    await tab.close();
  }
}
