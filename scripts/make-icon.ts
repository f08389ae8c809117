// Renders media/icon.png (128×128) from the SVG below with Debian's chromium: a token's three parts on a
// Kubernetes-blue tile. Run once after changing the drawing: node --import tsx scripts/make-icon.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from './lib/browser';
import { isEntryPoint, repoRoot, runMain } from './lib/env';

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect x="4" y="4" width="120" height="120" rx="24" fill="#326ce5"/>
  <rect x="18" y="40" width="26" height="48" rx="8" fill="#ffffff"/>
  <rect x="51" y="40" width="26" height="48" rx="8" fill="#ffd43b"/>
  <rect x="84" y="40" width="26" height="48" rx="8" fill="#ffffff" fill-opacity="0.45"/>
  <circle cx="64" cy="104" r="6" fill="#ffffff"/>
  <circle cx="64" cy="22" r="6" fill="#ffffff"/>
</svg>`;

if (isEntryPoint(import.meta.url)) {
  runMain('make-icon', async () => {
    const profileDir = mkdtempSync(join(tmpdir(), 'sa-token-icon-'));
    const browser = await launchBrowser(profileDir, { width: 128, height: 128 });
    try {
      const page = await browser.context.newPage();
      await page.setContent(`<body style="margin:0;background:transparent">${ICON_SVG}</body>`);
      await page.locator('svg').screenshot({ path: join(repoRoot, 'media', 'icon.png'), omitBackground: true });
    } finally {
      await browser.close();
      rmSync(profileDir, { recursive: true, force: true });
    }
  });
}
