// The e2e scenario, step by step, as a person would go: hover tokens, fix a legacy manifest from the lightbulb,
// browse the cluster tree, create an explicit token Secret and request a token from its context menu, diagnose a
// pod from the tree and read the report. Steps marked for 'web' also run against dist/web.js in the browser's web
// worker extension host (`test:e2e -- --web`).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import {
  acceptQuickInput,
  activeEditor,
  applyQuickFix,
  clickDialogButton,
  clickText,
  contextMenu,
  expandTreePath,
  goToLine,
  hoverText,
  notification,
  openFile,
  openQuickFixMenu,
  openViewContainer,
  resizeSideBar,
  runCommand,
  webviewBody,
  saveActiveEditor,
  tabLabels,
  treeRowLabelled,
  waitForEditorText,
  waitForNoSquiggle,
  waitForSquiggle,
  chooseInFileDialog,
} from './workbench';
import { frame, sideBySide, type Clip } from './readme';
import { openReportPage } from './reportPage';
import { repoRoot } from '../../scripts/lib/env';

export interface StepContext {
  page: Page;
  workspace: string;
  /** KUBECONFIG of the local API server, when it runs. */
  kubeconfig?: string;
  /** Where step screenshots go (test-results/e2e). */
  screenshotDir: string;
}

/** Thrown by a step whose feature or environment is not there yet: counted as skipped, with the reason. */
export class PendingStep extends Error {}

/** Where the extension runs: VS Code's Node extension host, or the browser's web worker one (vscode.dev). */
export type Host = 'desktop' | 'web';

export interface Step {
  name: string;
  /** The hosts this step runs in; default: desktop only. */
  hosts?: Host[];
  run(context: StepContext): Promise<void>;
}

const EVERYWHERE: Host[] = ['desktop', 'web'];

/** Opens the Get Started walkthrough; `press` expands a step and clicks its button; samples open in `sample`. */
async function openWalkthrough(page: Page) {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: WALKTHROUGH_TITLE }).first().click();
  const walkthrough = page.locator('.gettingStartedContainer').first();
  await walkthrough.waitFor({ timeout: 20_000 });
  const press = async (stepTitle: string, button: string): Promise<void> => {
    await walkthrough.locator('.getting-started-step', { hasText: stepTitle }).first().click();
    // The walkthrough focuses a step it selects once the step's 250 ms expand animation ends (VS Code's
    // gettingStarted.ts selectStep): pressed sooner, as no person does, the button's editor would lose that focus.
    await page.waitForTimeout(500);
    await walkthrough.getByRole('button', { name: button }).first().click();
  };
  const sample = page.locator('.editor-group-container').nth(1);
  /** Presses "Hover a Sample Token"; returns the hover it shows. */
  const hoverSample = async (): Promise<Locator> => {
    await press('Hover a token', 'Hover a Sample Token');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /Bound service account token/ }).first();
    // The button shows the hover; a diagnostic arriving just then can close it: go to the sample and hover the
    // token, as a person would.
    const shown = await hover.waitFor({ timeout: 6_000 }).then(
      () => true,
      () => false,
    );
    if (!shown) {
      await sample.click({ position: { x: 200, y: 200 } });
      await hoverText(page, 'eyJ', /Bound service account token/);
    }
    return hover;
  };
  /** Closes the sample shown (an untitled document) unsaved, as a person done with it would. */
  const closeSample = async (): Promise<void> => {
    await page.keyboard.press('Escape');
    await sample.click({ position: { x: 200, y: 300 } });
    await runCommand(page, 'Revert and Close Editor');
  };
  return { walkthrough, sample, press, hoverSample, closeSample };
}

/** The smallest rectangle holding each of `areas` (all showing). */
async function unionOf(...areas: Locator[]): Promise<Clip> {
  const boxes = await Promise.all(areas.map(async (area) => (await area.boundingBox()) ?? assert.fail('not shown')));
  const x = Math.max(0, Math.min(...boxes.map((box) => box.x)));
  const y = Math.max(0, Math.min(...boxes.map((box) => box.y)));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x, y, width: right - x, height: bottom - y };
}

function requireCluster(context: StepContext): string {
  if (!context.kubeconfig) throw new PendingStep('the local API server (npm run cluster) is not available');
  return context.kubeconfig;
}

/** Chooses Request Token on the demo account's context menu in the Clusters view (its prompts come next). */
async function requestTokenForDemoAccount(context: StepContext): Promise<Page> {
  requireCluster(context);
  const { page } = context;
  await openViewContainer(page, 'Service Account Tokens');
  const account = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT]);
  await contextMenu(page, account, 'Request Token');
  return page;
}

function kubectl(kubeconfig: string, args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 20_000 });
}

/** The file as saved on disk, once it contains `expected` (saving is asynchronous). */
async function readWhenSaved(path: string, expected: string): Promise<string> {
  let text = readFileSync(path, 'utf8');
  for (let attempt = 0; attempt < 20 && !text.includes(expected); attempt++) {
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 250));
    text = readFileSync(path, 'utf8');
  }
  return text;
}

/** Names of the service-account-token Secrets of the demo namespace, read with kubectl. */
function tokenSecretNames(kubeconfig: string): string[] {
  const list = JSON.parse(kubectl(kubeconfig, ['get', 'secrets', '-n', 'modern-app', '-o', 'json'])) as {
    items: { type?: string; metadata: { name: string } }[];
  };
  return list.items
    .filter((secret) => secret.type === 'kubernetes.io/service-account-token')
    .map((secret) => secret.metadata.name);
}

const DEMO_CONTEXT_NAMESPACE = 'modern-app';
const DEMO_ACCOUNT = 'web';
const DEMO_POD = 'web-5c8d7f9b4-h2x9t';
const WALKTHROUGH_TITLE = 'Get Started with Service Account Tokens';

export const steps: Step[] = [
  {
    name: 'hover a bound token in a plain file',
    hosts: EVERYWHERE,
    async run({ page, screenshotDir }) {
      await openFile(page, 'notes.txt');
      const hover = await hoverText(page, 'eyJ', /bound service account token/i);
      assert.match(hover, /modern-app\/web/);
      assert.match(hover, /pod/i);
      await frame(page, screenshotDir, 'hover');
    },
  },
  {
    name: "the demo tells one story: its tokens verify with the demo cluster's key, before and after the tree opens (issue 18 item 1)",
    async run(context) {
      const { page } = context;
      await openFile(page, 'notes.txt');
      // Before the cluster is open: the workspace's own key file (demo/.vscode/settings.json) verifies it.
      const before = await hoverText(page, 'eyJ', /signature/i);
      assert.match(before, /signature verified with key \S+ from \S*demo-signing-key\.pub\.pem/);
      requireCluster(context);
      await openViewContainer(page, 'Service Account Tokens');
      await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE]);
      await openFile(page, 'notes.txt');
      const after = await hoverText(page, 'eyJ', /signature/i);
      assert.doesNotMatch(after, /NOT valid/);
      assert.match(after, /Cluster sa-demo verifies it too/);
    },
  },
  {
    name: 'copy the decoded claims of a token from the command palette',
    hosts: EVERYWHERE,
    async run({ page, workspace }) {
      await openFile(page, 'notes.txt');
      // Near the token's start: the line is far wider than the editor.
      await activeEditor(page)
        .locator('.view-line span span', { hasText: 'eyJ' })
        .first()
        .click({ position: { x: 20, y: 6 } });
      await runCommand(page, 'Copy Decoded Claims');
      await page
        .locator('.notifications-toasts', { hasText: 'Copied the decoded header and claims' })
        .waitFor({ timeout: 20_000 });
      const copied = await page.evaluate<string>('navigator.clipboard.readText()');
      const claims = (JSON.parse(copied) as { claims: { sub?: string } }).claims;
      assert.equal(claims.sub, 'system:serviceaccount:modern-app:web');
      const token = /eyJ[\w-]+\.[\w-]+\.([\w-]+)/.exec(readFileSync(join(workspace, 'notes.txt'), 'utf8'));
      assert.ok(token, 'the demo notes hold a token');
      assert.ok(!copied.includes(token[1]!), 'the copied claims hold no signature');
    },
  },
  {
    name: 'decode the token at the cursor into the decoded view',
    hosts: EVERYWHERE,
    async run({ page }) {
      await openFile(page, 'notes.txt');
      await activeEditor(page)
        .locator('.view-line span span', { hasText: 'eyJ' })
        .first()
        .click({ position: { x: 20, y: 6 } });
      await runCommand(page, 'Decode Token');
      await page.locator('.tab.active[aria-label*="decoded"]').waitFor({ timeout: 20_000 });
      await waitForEditorText(page, 'modern-app');
      const text = (await activeEditor(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /^Bound service account token — modern-app\/web/);
    },
  },
  {
    name: "hover a Secret's base64 data.token",
    hosts: EVERYWHERE,
    async run({ page }) {
      await openFile(page, 'manifests/legacy-token-secret.yaml');
      const hover = await hoverText(page, 'ZXlK', /legacy/i);
      assert.match(hover, /legacy-api/);
    },
  },
  {
    name: 'fix a legacy token Secret read from the lightbulb',
    hosts: EVERYWHERE,
    async run({ page, workspace, screenshotDir }) {
      const file = 'manifests/legacy-token-reader.yaml';
      await openFile(page, file);
      await waitForSquiggle(page);
      await clickText(page, 'legacy-api-token-x7k2p');
      const editorArea = page.locator('.part.editor');
      let menuShot = '';
      await applyQuickFix(page, /projected/i, async () => {
        menuShot = await frame(page, screenshotDir, 'quickfix-menu', editorArea);
      });
      await waitForEditorText(page, 'serviceAccountToken');
      await saveActiveEditor(page);
      // The fixed manifest is clean: the SAT001 squiggle goes once the re-lint runs.
      await waitForNoSquiggle(page);
      await sideBySide(
        page,
        screenshotDir,
        'quickfix',
        menuShot,
        await frame(page, screenshotDir, 'quickfix-fixed', editorArea),
      );
      const fixed = await readWhenSaved(join(workspace, file), 'serviceAccountToken');
      assert.match(fixed, /serviceAccountToken:/);
      assert.doesNotMatch(fixed, /secretName: legacy-api-token-x7k2p/);
    },
  },
  {
    name: 'fix all token issues of a manifest from the command palette',
    hosts: EVERYWHERE,
    async run({ page, workspace }) {
      // A fresh copy of the demo's legacy reader (the lightbulb step fixed the original).
      const file = 'manifests/fix-all-reader.yaml';
      copyFileSync(join(repoRoot, 'demo', 'manifests', 'legacy-token-reader.yaml'), join(workspace, file));
      await openFile(page, file);
      await waitForSquiggle(page);
      await runCommand(page, 'Fix All Service Account Token Issues');
      await waitForEditorText(page, 'serviceAccountToken');
      await saveActiveEditor(page);
      const fixed = await readWhenSaved(join(workspace, file), 'serviceAccountToken');
      assert.match(fixed, /serviceAccountToken:/);
      assert.doesNotMatch(fixed, /secretName: build-bot-token-x7k2p/);
    },
  },
  {
    name: 'the Clusters view says it needs VS Code on the desktop, and the palette offers no cluster command',
    hosts: ['web'],
    async run({ page }) {
      await openViewContainer(page, 'Service Account Tokens');
      await page
        .locator('.pane-body', { hasText: 'The cluster view needs VS Code on the desktop' })
        .first()
        .waitFor({ timeout: 20_000 });
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>SA Token: ');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Decode Token' }).first().waitFor();
      const offered = (await page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).join('\n');
      for (const desktopOnly of ['Upgrade Readiness Report', 'What Can This Token Do?', 'Who Can', 'Refresh'])
        assert.ok(!offered.includes(desktopOnly), `the palette offers ${desktopOnly} in the browser:\n${offered}`);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Fix All in Workspace opens the preview with every fix ticked, and Apply applies them and says so (issue 18 item 2)',
    async run({ page, workspace }) {
      const legacyRead =
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: reader\n  namespace: legacy-app\nspec:\n  serviceAccountName: legacy-api\n  containers:\n    - name: app\n      image: busybox:1.36\n      env:\n        - name: KUBE_TOKEN\n          valueFrom:\n            secretKeyRef: { name: legacy-api-token-x7k2p, key: token }\n';
      const file = 'manifests/e2e-fix-all.yaml';
      writeFileSync(join(workspace, file), legacyRead);
      // Opened first, as a person would have it: the fix-all then does not race the file watcher for the new file.
      await openFile(page, file);
      await waitForEditorText(page, 'KUBE_TOKEN');
      const preview = page.locator('.bulk-edit-panel, .refactor-preview').first();
      const apply = page.locator('.monaco-button', { hasText: /^Apply$/ }).first();
      await runCommand(page, 'Fix All Service Account Token Issues in Workspace');
      await preview.waitFor({ timeout: 30_000 });
      await preview.locator('[role="checkbox"], .monaco-custom-toggle').first().waitFor();
      const unticked = await preview.locator('[role="checkbox"][aria-checked="false"]').count();
      assert.equal(unticked, 0, 'every fix starts ticked');
      await apply.click();
      await notification(page, /^Fixed \d+ files?\./);
      await openFile(page, file);
      await waitForEditorText(page, 'serviceAccountToken');
    },
  },
  {
    name: 'Fix All in Workspace with every change unticked: Apply applies nothing and says so (issue 18 item 2)',
    async run({ page, workspace }) {
      const legacyRead =
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: untouched\n  namespace: legacy-app\nspec:\n  serviceAccountName: legacy-api\n  containers:\n    - name: app\n      image: busybox:1.36\n      env:\n        - name: KUBE_TOKEN\n          valueFrom:\n            secretKeyRef: { name: legacy-api-token-x7k2p, key: token }\n';
      const file = join(workspace, 'manifests/e2e-fix-none.yaml');
      // Written behind VS Code's back and not opened: the fix-all finds it although its watcher may not have told yet.
      writeFileSync(file, legacyRead);
      const preview = page.locator('.bulk-edit-panel, .refactor-preview').first();
      await runCommand(page, 'Fix All Service Account Token Issues in Workspace');
      await preview.waitFor({ timeout: 30_000 });
      // Unticking a file unticks its changes.
      const tickedFiles = preview.locator('.monaco-list-row[aria-level="1"] [role="checkbox"][aria-checked="true"]');
      await tickedFiles.first().waitFor();
      for (let rows = await tickedFiles.count(); rows > 0; rows = await tickedFiles.count())
        await tickedFiles.first().click();
      await page
        .locator('.monaco-button', { hasText: /^Apply$/ })
        .first()
        .click();
      await notification(page, /^No fix was applied: the preview was discarded or every change unticked\./);
      assert.equal(readFileSync(file, 'utf8'), legacyRead, 'the file is unchanged');
    },
  },
  {
    name: 'Decode Token twice: one decoded tab beside the editor, reused and named after what it shows (issue 18 item 3)',
    async run({ page }) {
      await openFile(page, 'notes.txt');
      await goToLine(page, 3, 10);
      await page.keyboard.press('Control+Alt+Shift+T');
      await page.locator('.tab.active[aria-label*="· decoded"]').waitFor({ timeout: 20_000 });
      await waitForEditorText(page, 'modern-app');
      // Back to the notes in the first column, as a person would click there.
      await page.keyboard.press('Control+1');
      await goToLine(page, 7, 10);
      await page.keyboard.press('Control+Alt+Shift+T');
      // The notes mention legacy-api too: wait for the decoded tab itself to show the second token.
      await page.locator('.tab.active[aria-label^="legacy-token · decoded"]').waitFor({ timeout: 20_000 });
      await waitForEditorText(page, 'legacy-api');
      const decoded = (await tabLabels(page)).filter((label) => label.includes('· decoded'));
      assert.equal(decoded.length, 1, `decoded tabs: ${decoded.join(' | ')}`);
      assert.match(decoded[0]!, /^legacy-token · decoded/);
      assert.equal(await page.locator('.editor-group-container').count(), 2, 'one column beside the notes');
      // Back to one editor group: the steps after this one lay out their own columns.
      await runCommand(page, 'View: Close All Editor Groups');
    },
  },
  {
    name: 'Decode Token on text that is not a token: the box stays open with one message (issue 18 item 5)',
    async run({ page }) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+W');
      await runCommand(page, 'Decode Token');
      const input = page.locator('.quick-input-widget input');
      await page.locator('.quick-input-widget', { hasText: 'Paste a service account token' }).waitFor();
      await input.fill('not-a-token');
      const message = page.locator('.quick-input-widget .quick-input-message');
      await message.filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
      const text = await message.innerText();
      assert.doesNotMatch(text, /not a token:.*not a token/i, `doubled prefix: ${text}`);
      assert.ok(await input.isVisible(), 'the box stays open');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: "open the cluster tree down to a pod's projected token",
    async run(context) {
      requireCluster(context);
      const { page } = context;
      await openViewContainer(page, 'Service Account Tokens');
      const row = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT, 'Pods', DEMO_POD]);
      await page.locator('.pane-body .monaco-list-row', { hasText: 'kube-api-access' }).first().waitFor();
      assert.equal(await row.getAttribute('aria-expanded'), 'true');
    },
  },
  {
    name: 'create an explicit token Secret from the context menu (checked with kubectl)',
    async run(context) {
      const kubeconfig = requireCluster(context);
      const { page, screenshotDir } = context;
      const before = new Set(tokenSecretNames(kubeconfig));
      await openViewContainer(page, 'Service Account Tokens');
      await resizeSideBar(page, 520);
      const account = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT]);
      // The side bar with its open menu; the empty editor area to the right stays out of the picture.
      const sideBar = await page.locator('.part.sidebar').boundingBox();
      const treeArea = {
        x: 0,
        y: 0,
        width: Math.round((sideBar?.x ?? 0) + (sideBar?.width ?? 800)) + 6,
        height: page.viewportSize()?.height ?? 800,
      };
      await contextMenu(page, account, 'Create Explicit Token Secret', () =>
        frame(page, screenshotDir, 'tree', treeArea),
      );
      // The name box comes prefilled (<sa>-token, or a free variant of it): accept it, then confirm.
      await acceptQuickInput(page, 'Name of the new Secret');
      await clickDialogButton(page, 'Create');
      let created: string | undefined;
      for (let attempt = 0; attempt < 40 && !created; attempt++) {
        await page.waitForTimeout(500);
        created = tokenSecretNames(kubeconfig).find((name) => !before.has(name));
      }
      assert.ok(created, 'no new token Secret appeared in the cluster');
      assert.match(created, new RegExp(`^${DEMO_ACCOUNT}-token(-\\d+)?$`), 'named as the box suggested');
      const token = kubectl(kubeconfig, [
        'get',
        'secret',
        '-n',
        DEMO_CONTEXT_NAMESPACE,
        created,
        '-o',
        'jsonpath={.data.token}',
      ]);
      assert.ok(token.startsWith('ZXlK'), `Secret ${created} has no populated data.token`);
      const annotation = kubectl(kubeconfig, [
        'get',
        'secret',
        '-n',
        DEMO_CONTEXT_NAMESPACE,
        created,
        '-o',
        'jsonpath={.metadata.annotations.kubernetes\\.io/service-account\\.name}',
      ]);
      assert.equal(annotation, DEMO_ACCOUNT);
    },
  },
  {
    name: 'request a token and read the decoded view',
    async run(context) {
      const page = await requestTokenForDemoAccount(context);
      // Duration (1h), audiences (the API server's own), bound object (not bound): accept each default.
      for (const prompt of ['Lifetime', 'Audiences', 'Not bound']) await acceptQuickInput(page, prompt);
      await waitForEditorText(page, DEMO_CONTEXT_NAMESPACE);
      const text = await activeEditor(page).locator('.view-lines').innerText();
      assert.match(text, /modern-app/);
      assert.match(text, /\bweb\b/);
    },
  },
  {
    name: 'diagnose a pod from the tree and read the report',
    async run(context) {
      requireCluster(context);
      const { page } = context;
      await openViewContainer(page, 'Service Account Tokens');
      const pod = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT, 'Pods', DEMO_POD]);
      await contextMenu(page, pod, 'Diagnose Token Problems');
      const report = await webviewBody(page, `Token Problems: ${DEMO_POD}`);
      const text = await report.innerText();
      assert.match(text, new RegExp(`Pod ${DEMO_CONTEXT_NAMESPACE}/${DEMO_POD} · from cluster `));
      assert.match(text, /\d+ fail · \d+ warn · \d+ pass · \d+ skip/);
      for (const id of ['serviceaccount-exists', 'automount', 'token-mounted', 'token-request-api', 'rbac'])
        assert.match(text, new RegExp(`\\(${id}\\)`), id);
      // Evidence is collapsed: opening the token check's shows the injected kube-api-access volume per container.
      const mounted = report.locator('section', { hasText: '(token-mounted)' });
      await mounted.locator('summary', { hasText: 'Evidence' }).click();
      await mounted.locator('li', { hasText: 'kube-api-access' }).first().waitFor({ timeout: 10_000 });
      assert.ok(await report.locator('button', { hasText: 'Run Again' }).isVisible());
    },
  },
  {
    name: 'open the upgrade readiness report of every context in the browser',
    hosts: EVERYWHERE,
    async run(context) {
      await openReportPage(context.page, requireCluster(context), context.screenshotDir);
    },
  },
  {
    name: 'Delete Token Secret: Enter in its confirmation keeps the Secret (the safe choice is the default, issue 18)',
    async run(context) {
      const kubeconfig = requireCluster(context);
      const { page } = context;
      const [namespace, name] = ['legacy-app', 'deployer-token-m5v7r'];
      await openViewContainer(page, 'Service Account Tokens');
      await expandTreePath(page, [namespace, 'deployer', 'Token Secrets']);
      const row = treeRowLabelled(page, name);
      await row.waitFor();
      await contextMenu(page, row, 'Delete Token Secret');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden', timeout: 20_000 });
      await page.waitForTimeout(1000);
      // kubectl exits non-zero (and this throws) once the Secret is gone.
      assert.match(
        kubectl(kubeconfig, ['get', 'secret', '-n', namespace, name, '-o', 'name']),
        /secret\/deployer-token/,
      );
      // Later steps find rows by label (the first match): leave the tree as it was, that 'Token Secrets' collapsed.
      const expanded = page.locator('.pane-body .monaco-list-row[aria-expanded="true"]', {
        has: page.locator('.label-name', { hasText: /^Token Secrets$/ }),
      });
      await expanded.first().click();
      await expanded.first().waitFor({ state: 'detached', timeout: 10_000 });
    },
  },
  {
    name: 'decoding a token Secret the cleaner invalidated states its labels, not "valid until deleted" (issue 18 item 4)',
    async run(context) {
      requireCluster(context);
      const { page } = context;
      await openViewContainer(page, 'Service Account Tokens');
      await expandTreePath(page, ['legacy-app', 'deployer', 'Token Secrets']);
      const secret = treeRowLabelled(page, 'deployer-token-m5v7r');
      await secret.waitFor();
      await contextMenu(page, secret, 'Decode Token Secret');
      await waitForEditorText(page, 'invalidated since');
      const text = (await activeEditor(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      assert.doesNotMatch(text, /valid until its Secret is deleted/);
      assert.match(text, /Last used/);
    },
  },
  {
    name: "Check Token with Cluster on the demo's legacy token: the demo cluster accepts it (issue 18 item 1)",
    async run(context) {
      requireCluster(context);
      const { page } = context;
      await openFile(page, 'notes.txt');
      await goToLine(page, 7, 10);
      await runCommand(page, 'Check Token with Cluster');
      // A TokenReview counts as a use of a legacy token: the command asks first.
      await clickDialogButton(page, 'Check');
      const text = await notification(page, /accepts this token|rejects this token/);
      assert.match(text, /accepts this token now, as system:serviceaccount:legacy-app:legacy-api/);
    },
  },
  {
    name: "Request Token bound to a pod: a step counter, and a pick of the account's own pods (issue 18 item 8)",
    async run(context) {
      const page = await requestTokenForDemoAccount(context);
      await page.locator('.quick-input-widget', { hasText: '1/3' }).waitFor();
      for (const prompt of ['Lifetime', 'Audiences']) await acceptQuickInput(page, prompt);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: /^Pod/ }).first().click();
      const podPick = page.locator('.quick-input-widget', { hasText: '4/4' });
      await podPick.waitFor();
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'metrics-exporter-0' }).waitFor();
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: DEMO_POD }).first().click();
      await waitForEditorText(page, DEMO_POD);
    },
  },
  {
    name: "Pick Kubeconfig File after Switch Context: the new file's own context is used (issue 18 item 6)",
    async run(context) {
      const kubeconfig = requireCluster(context);
      const { page, workspace } = context;
      await openViewContainer(page, 'Service Account Tokens');
      await runCommand(page, 'Switch Context');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'sa-demo-restricted' }).first().click();
      await treeRowLabelled(page, 'sa-demo-restricted').waitFor({ timeout: 20_000 });
      // A kubeconfig with only the admin context: the restricted one picked before is not in it.
      const config = parse(readFileSync(kubeconfig, 'utf8')) as { contexts: { name: string }[] };
      config.contexts = config.contexts.filter((entry) => entry.name === 'sa-demo');
      const onlyAdmin = join(workspace, 'only-admin.kubeconfig');
      writeFileSync(onlyAdmin, stringify(config));
      await runCommand(page, 'Pick Kubeconfig File');
      await chooseInFileDialog(page, onlyAdmin);
      await treeRowLabelled(page, 'sa-demo').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('.pane-body', { hasText: 'is not in the kubeconfig' }).count(), 0);
    },
  },
  {
    name: 'Get Started walkthrough: the hover and cluster view buttons',
    async run(context) {
      requireCluster(context);
      const { page, screenshotDir } = context;
      const { walkthrough, sample, press, hoverSample, closeSample } = await openWalkthrough(page);
      const hover = await hoverSample();
      // In place (a layout change closes the hover): the sample's editor and the hover, which reaches past its left edge.
      await frame(page, screenshotDir, 'walkthrough-hover', await unionOf(sample, hover));
      await closeSample();

      await press('Open the cluster view', 'Open the Clusters View');
      await resizeSideBar(page, 480);
      const pod = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT, 'Pods', DEMO_POD]);
      await page.locator('.pane-body .monaco-list-row', { hasText: 'kube-api-access' }).first().waitFor();
      await pod.click({ button: 'right' });
      await page.locator('.monaco-menu .action-item', { hasText: 'Diagnose Token Problems' }).first().waitFor();
      const sideBar = await page.locator('.part.sidebar').boundingBox();
      const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
      const width = Math.min(viewport.width, Math.round((sideBar?.x ?? 0) + (sideBar?.width ?? 480)) + 280);
      await frame(page, screenshotDir, 'walkthrough-cluster', { x: 0, y: 0, width, height: viewport.height });
      await page.keyboard.press('Escape');
      await resizeSideBar(page, 300);
      assert.ok(await walkthrough.isVisible());
    },
  },
  {
    name: 'Get Started walkthrough: the fix and diagnose buttons',
    async run({ page, screenshotDir }) {
      const { sample, press, closeSample } = await openWalkthrough(page);
      // Each image shows what a step's button opened, its editor group maximized for the frame.
      const frameMaximized = async (name: string, show?: () => Promise<unknown>): Promise<void> => {
        await runCommand(page, 'Clear All Notifications');
        await runCommand(page, 'Toggle Maximize Editor Group');
        await show?.();
        await frame(page, screenshotDir, name, page.locator('.part.editor'));
        await page.keyboard.press('Escape');
        await runCommand(page, 'Toggle Maximize Editor Group');
      };
      await press('Fix a legacy manifest', 'Open a Legacy Manifest');
      await waitForSquiggle(page);
      await frameMaximized('walkthrough-fix', async () => {
        await sample.locator('.view-line span span', { hasText: 'sample-app-token-x7k2p' }).first().click();
        await openQuickFixMenu(page, /projected/i);
      });
      await press('Fix a legacy manifest', 'Fix It');
      await sample.locator('.view-lines', { hasText: 'serviceAccountToken' }).waitFor({ timeout: 20_000 });

      await press('Diagnose a pod', 'Diagnose the Sample Pod');
      const report = await webviewBody(page, 'Token Problems: sample-app');
      const text = await report.innerText();
      assert.match(text, /Pod default\/sample-app · from the manifest/);
      assert.match(text, /\(legacy-token-secret\)/);
      await frameMaximized('walkthrough-diagnose', () => page.waitForTimeout(1000)); // the webview repaints
      await closeSample(); // the fresh sample
      await closeSample(); // the fixed one, shown next in its group
      await page.locator('.tab.dirty').first().waitFor({ state: 'detached', timeout: 10_000 });
    },
  },
  {
    name: 'Get Started walkthrough in the browser: the editor steps work, the cluster steps are hidden',
    hosts: ['web'],
    async run({ page }) {
      const { walkthrough, sample, press, hoverSample, closeSample } = await openWalkthrough(page);
      assert.match(await (await hoverSample()).innerText(), /default\/sample-app/);
      await closeSample();
      await press('Fix a legacy manifest', 'Open a Legacy Manifest');
      await waitForSquiggle(page);
      await press('Fix a legacy manifest', 'Fix It');
      await sample.locator('.view-lines', { hasText: 'serviceAccountToken' }).waitFor({ timeout: 20_000 });
      await closeSample();
      // The extension is active (it answered both buttons), so its saToken.webWorker context key hides these.
      for (const needsCluster of ['Open the cluster view', 'Diagnose a pod'])
        assert.equal(await walkthrough.locator('.getting-started-step', { hasText: needsCluster }).count(), 0);
      assert.equal(await walkthrough.locator('.getting-started-step', { hasText: 'Hover a token' }).count(), 1);
    },
  },
];
