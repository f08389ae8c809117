// The e2e scenario, step by step, as a person would go: hover tokens, fix a legacy manifest from the lightbulb,
// browse the cluster tree, create an explicit token Secret and request a token from its context menu.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  acceptQuickInput,
  activeEditor,
  applyQuickFix,
  clickText,
  contextMenu,
  expandTreePath,
  hoverText,
  openFile,
  openViewContainer,
  saveActiveEditor,
  waitForSquiggle,
} from './workbench';

export interface StepContext {
  page: Page;
  workspace: string;
  /** KUBECONFIG of the local API server, when it runs. */
  kubeconfig?: string;
}

/** Thrown by a step whose feature or environment is not there yet: counted as skipped, with the reason. */
export class PendingStep extends Error {}

export interface Step {
  name: string;
  run(context: StepContext): Promise<void>;
}

function requireCluster(context: StepContext): string {
  if (!context.kubeconfig) throw new PendingStep('the local API server (npm run cluster) is not available');
  return context.kubeconfig;
}

function kubectl(kubeconfig: string, args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 20_000 });
}

const DEMO_CONTEXT_NAMESPACE = 'modern-app';
const DEMO_ACCOUNT = 'web';
const DEMO_POD = 'web-5c8d7f9b4-h2x9t';

export const steps: Step[] = [
  {
    name: 'hover a bound token in a plain file',
    async run({ page }) {
      await openFile(page, 'notes.txt');
      const hover = await hoverText(page, 'eyJ');
      assert.match(hover, /bound service account token/i);
      assert.match(hover, /demo\/web/);
      assert.match(hover, /pod/i);
    },
  },
  {
    name: "hover a Secret's base64 data.token",
    async run({ page }) {
      await openFile(page, 'manifests/legacy-token-secret.yaml');
      const hover = await hoverText(page, 'ZXlK');
      assert.match(hover, /legacy/i);
      assert.match(hover, /build-bot/);
    },
  },
  {
    name: 'fix a legacy token Secret read from the lightbulb',
    async run({ page, workspace }) {
      const file = 'manifests/legacy-token-reader.yaml';
      await openFile(page, file);
      await waitForSquiggle(page);
      await clickText(page, 'build-bot-token-x7k2p');
      await applyQuickFix(page, /projected/i);
      await saveActiveEditor(page);
      const fixed = readFileSync(join(workspace, file), 'utf8');
      assert.match(fixed, /serviceAccountToken:/);
      assert.doesNotMatch(fixed, /secretName: build-bot-token-x7k2p/);
    },
  },
  {
    name: "open the cluster tree down to a pod's projected token",
    async run(context) {
      requireCluster(context);
      const { page } = context;
      await openViewContainer(page, 'Service Account Tokens');
      const row = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT, 'Pods', DEMO_POD]);
      await row.click();
      await page.locator('.pane-body .monaco-list-row', { hasText: 'kube-api-access' }).first().waitFor();
    },
  },
  {
    name: 'create an explicit token Secret from the context menu (checked with kubectl)',
    async run(context) {
      const kubeconfig = requireCluster(context);
      const { page } = context;
      await openViewContainer(page, 'Service Account Tokens');
      const account = await expandTreePath(page, [DEMO_CONTEXT_NAMESPACE, DEMO_ACCOUNT]);
      await contextMenu(page, account, 'Create Explicit Token Secret');
      const name = await page.locator('.quick-input-widget input').inputValue();
      await acceptQuickInput(page);
      const secretName = name || `${DEMO_ACCOUNT}-token`;
      let token = '';
      for (let attempt = 0; attempt < 20 && !token; attempt++) {
        await page.waitForTimeout(500);
        token = kubectl(kubeconfig, ['get', 'secret', '-n', DEMO_CONTEXT_NAMESPACE, secretName, '-o', 'jsonpath={.data.token}', '--ignore-not-found']);
      }
      assert.ok(token.startsWith('ZXlK'), `Secret ${secretName} has no populated data.token`);
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
      // Duration and audience prompts: accept the defaults until the decoded view opens.
      for (let prompt = 0; prompt < 3; prompt++) {
        const widget = page.locator('.quick-input-widget');
        if (!(await widget.isVisible())) break;
        await acceptQuickInput(page);
        await page.waitForTimeout(300);
      }
      const text = await activeEditor(page).locator('.view-lines').innerText({ timeout: 20_000 });
      assert.match(text, /system:serviceaccount:modern-app:web|modern-app\/web/);
    },
  },
];
