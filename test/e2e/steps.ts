// The e2e scenario, step by step, as a person would go: hover tokens, fix a legacy manifest from the lightbulb,
// browse the cluster tree, create an explicit token Secret and request a token from its context menu, diagnose a
// pod from the tree and read the report. Steps marked for 'web' also run against dist/web.js in the browser's web
// worker extension host (`test:e2e -- --web`).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  acceptQuickInput,
  activeEditor,
  applyQuickFix,
  clickDialogButton,
  clickText,
  contextMenu,
  expandTreePath,
  hoverText,
  openFile,
  openViewContainer,
  resizeSideBar,
  runCommand,
  webviewBody,
  saveActiveEditor,
  waitForEditorText,
  waitForNoSquiggle,
  waitForSquiggle,
} from './workbench';
import { frame, sideBySide } from './readme';
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

function requireCluster(context: StepContext): string {
  if (!context.kubeconfig) throw new PendingStep('the local API server (npm run cluster) is not available');
  return context.kubeconfig;
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

export const steps: Step[] = [
  {
    name: 'hover a bound token in a plain file',
    hosts: EVERYWHERE,
    async run({ page, screenshotDir }) {
      await openFile(page, 'notes.txt');
      const hover = await hoverText(page, 'eyJ', /bound service account token/i);
      assert.match(hover, /demo\/web/);
      assert.match(hover, /pod/i);
      await frame(page, screenshotDir, 'hover');
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
      assert.equal(claims.sub, 'system:serviceaccount:demo:web');
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
      await waitForEditorText(page, 'demo');
      const text = (await activeEditor(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /^Bound service account token — demo\/web/);
      assert.match(text, /demo\/web/);
    },
  },
  {
    name: "hover a Secret's base64 data.token",
    hosts: EVERYWHERE,
    async run({ page }) {
      await openFile(page, 'manifests/legacy-token-secret.yaml');
      const hover = await hoverText(page, 'ZXlK', /legacy/i);
      assert.match(hover, /build-bot/);
    },
  },
  {
    name: 'fix a legacy token Secret read from the lightbulb',
    hosts: EVERYWHERE,
    async run({ page, workspace, screenshotDir }) {
      const file = 'manifests/legacy-token-reader.yaml';
      await openFile(page, file);
      await waitForSquiggle(page);
      await clickText(page, 'build-bot-token-x7k2p');
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
      assert.doesNotMatch(fixed, /secretName: build-bot-token-x7k2p/);
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
    name: 'the Clusters view says it needs VS Code on the desktop',
    hosts: ['web'],
    async run({ page }) {
      await openViewContainer(page, 'Service Account Tokens');
      await page
        .locator('.pane-body', { hasText: 'The cluster view needs VS Code on the desktop' })
        .first()
        .waitFor({ timeout: 20_000 });
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
      await clickDialogButton(page, 'Create');
      let created: string | undefined;
      for (let attempt = 0; attempt < 40 && !created; attempt++) {
        await page.waitForTimeout(500);
        created = tokenSecretNames(kubeconfig).find((name) => !before.has(name));
      }
      assert.ok(created, 'no new token Secret appeared in the cluster');
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
      requireCluster(context);
      const { page } = context;
      await openViewContainer(page, 'Service Account Tokens');
      const account = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT]);
      await contextMenu(page, account, 'Request Token');
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
];
