// What a person does in the VS Code workbench, as playwright-core actions: open a file through quick open,
// hover text, open the lightbulb, run a command, use a tree view and its context menu.
import type { Locator, Page } from 'playwright-core';

const STEP_TIMEOUT_MS = 20_000;

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
}

/** Ctrl+P, the file's path, Enter; resolves once its editor tab is active and its text rendered. */
export async function openFile(page: Page, relativePath: string): Promise<Locator> {
  const fileName = relativePath.split('/').pop() ?? relativePath;
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relativePath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${fileName}"]`).waitFor({ timeout: STEP_TIMEOUT_MS });
  const editor = activeEditor(page);
  await editor.locator('.view-line').first().waitFor();
  return editor;
}

export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Moves the mouse over the first rendered text that starts with `prefix` and returns the hover's text. */
export async function hoverText(page: Page, prefix: string): Promise<string> {
  const target = activeEditor(page).locator('.view-line span span', { hasText: prefix }).first();
  await target.waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.mouse.move(0, 0);
  await target.hover({ position: { x: 12, y: 6 } });
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
  await hover.waitFor({ timeout: STEP_TIMEOUT_MS });
  // The content can arrive in parts (markdown rendering); wait until it stops growing.
  let text = '';
  for (let previous = '-'; text !== previous; await page.waitForTimeout(300)) {
    previous = text;
    text = await hover.innerText();
  }
  return text;
}

/** Clicks into the editor on the first text containing `text` (puts the cursor there). */
export async function clickText(page: Page, text: string): Promise<void> {
  await activeEditor(page).locator('.view-line span span', { hasText: text }).first().click();
}

export async function waitForSquiggle(page: Page): Promise<void> {
  await activeEditor(page)
    .locator('.squiggly-error, .squiggly-warning, .squiggly-info')
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Opens the quick-fix menu at the cursor (what the lightbulb opens) and picks the entry matching `title`. */
export async function applyQuickFix(page: Page, title: RegExp): Promise<string> {
  await page.keyboard.press('Control+.');
  const item = page.locator('.action-widget .monaco-list-row.action', { hasText: title }).first();
  await item.waitFor({ timeout: STEP_TIMEOUT_MS });
  const chosen = await item.innerText();
  await item.click();
  return chosen;
}

export async function saveActiveEditor(page: Page): Promise<void> {
  await page.keyboard.press('Control+S');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
}

/** F1, the command's title, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Accepts the quick input that a command opened (an input box or a pick) with its default. */
export async function acceptQuickInput(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
}

/** Clicks a view container in the activity bar, by its title. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  await page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first().click();
}

/** Expands tree rows one level at a time: each label is a prefix of the row's accessible name. */
export async function expandTreePath(page: Page, labels: string[]): Promise<Locator> {
  let row: Locator | undefined;
  for (const label of labels) {
    row = page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  }
  if (!row) throw new Error('expandTreePath needs at least one label');
  return row;
}

/** Right-clicks a row and picks a context-menu entry by its title. */
export async function contextMenu(page: Page, row: Locator, entry: string): Promise<void> {
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: entry }).first();
  await item.waitFor({ timeout: STEP_TIMEOUT_MS });
  await item.click();
}
