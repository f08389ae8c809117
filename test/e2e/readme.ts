// README screenshots, framed by the e2e steps themselves: the real product on the demo data, at the moment each
// step proves what the picture claims. Saved in test-results/e2e/readme/; `npm run test:e2e -- --update-screenshots`
// also copies them to media/screenshot-<name>.png (shown in the README, never packaged: .vscodeignore).
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ensureDir, repoRoot } from '../../scripts/lib/env';

export const README_SHOTS = ['hover', 'quickfix', 'tree', 'report'] as const;
export type ReadmeShot = (typeof README_SHOTS)[number];
/** The Get Started walkthrough's step images (package.json contributes.walkthroughs), framed as `walkthrough-<name>`. */
export const WALKTHROUGH_SHOTS = ['hover', 'cluster', 'fix', 'diagnose'] as const;

/** Each framed screenshot that is published, and where in media/ it goes. */
const PUBLISHED = [
  ...README_SHOTS.map((name) => ({ name, target: `screenshot-${name}.png` })),
  ...WALKTHROUGH_SHOTS.map((name) => ({ name: `walkthrough-${name}`, target: `walkthrough/${name}.png` })),
];

/** A rectangle of the page, in CSS pixels. */
export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** PNGs above this would bloat the repository; the framing is then too large. */
const MAX_BYTES = 250_000;

function readmeDir(screenshotDir: string): string {
  return ensureDir(join(screenshotDir, 'readme'));
}

/** Saves what the page shows now as `name`.png in the readme folder, only `area` if given; returns the file. */
export async function frame(page: Page, screenshotDir: string, name: string, area?: Locator | Clip): Promise<string> {
  const file = join(readmeDir(screenshotDir), `${name}.png`);
  if (area && 'screenshot' in area) await area.screenshot({ path: file });
  else await page.screenshot({ path: file, clip: area });
  return file;
}

/** Puts two saved frames side by side (before | after) into `name`.png, drawn by the same browser. */
export async function sideBySide(
  page: Page,
  screenshotDir: string,
  name: string,
  before: string,
  after: string,
): Promise<void> {
  const canvas = await page.context().newPage();
  try {
    const image = (file: string): string =>
      `<img src="data:image/png;base64,${readFileSync(file).toString('base64')}">`;
    await canvas.setContent(
      `<body style="margin:0;background:#ddd"><div id="pair" style="display:inline-flex;gap:2px">${image(before)}${image(after)}</div></body>`,
    );
    await canvas.locator('#pair').screenshot({ path: join(readmeDir(screenshotDir), `${name}.png`) });
  } finally {
    await canvas.close();
  }
}

/** Copies the framed README and walkthrough screenshots to media/; returns one line per file, or throws when one is
 * too large, or missing from a full run (`subset`: a SA_TOKEN_E2E_GREP run publishes what its steps framed). */
export function publishReadmeScreenshots(screenshotDir: string, { subset = false } = {}): string[] {
  return PUBLISHED.flatMap(({ name, target: targetName }) => {
    const source = join(readmeDir(screenshotDir), `${name}.png`);
    const { size } = statSync(source, { throwIfNoEntry: false }) ?? { size: -1 };
    if (size < 0 && subset) return [];
    if (size < 0) throw new Error(`no ${name} screenshot: its step did not pass`);
    if (size > MAX_BYTES) throw new Error(`${name}.png is ${size} bytes, over ${MAX_BYTES}: frame a smaller area`);
    const target = join(ensureDir(join(repoRoot, 'media', 'walkthrough')), '..', targetName);
    copyFileSync(source, target);
    return `${target} (${size} bytes)`;
  });
}
