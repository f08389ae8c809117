// The Get Started walkthrough: its samples show what each step teaches (through the real core), and every step has
// a shipped image and a button whose command exists.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixAll } from '../../../../src/core/manifests/fix';
import { lintManifest } from '../../../../src/core/manifests/lint';
import { findTokens } from '../../../../src/core/tokens/finder';
import { inspectMatch, isTokenError } from '../../../../src/core/tokens/inspect';
import { explainText } from '../../../../src/core/tokens/explain';
import {
  SAMPLE_LEGACY_LINE,
  SAMPLE_LEGACY_MANIFEST,
  sampleTokenDocument,
} from '../../../../src/features/walkthrough/samples';

test('the sample token reads as a bound token of default/sample-app, bound to its pod, expiring in an hour', () => {
  const now = Date.UTC(2026, 10, 30, 12) / 1000;
  const [match, ...others] = findTokens(sampleTokenDocument(now));
  assert.ok(match && others.length === 0);
  const report = inspectMatch(match, { now: new Date(now * 1000) });
  assert.ok(!isTokenError(report));
  assert.equal(report.kind, 'bound');
  assert.equal(`${report.namespace}/${report.serviceAccount}`, 'default/sample-app');
  assert.deepEqual(report.boundTo?.kind, 'pod');
  assert.equal(report.expiresAt, new Date((now + 3600) * 1000).toISOString());
  assert.equal(report.expired, false);
  assert.match(explainText(report, { timeZone: 'utc' }), /^Bound service account token — default\/sample-app/);
});

test('the sample manifest has a SAT001 where the cursor goes, and Fix All moves it to a projected token', () => {
  const findings = lintManifest(SAMPLE_LEGACY_MANIFEST);
  const sat001 = findings.find((finding) => finding.rule === 'SAT001');
  assert.ok(sat001);
  const lines = SAMPLE_LEGACY_MANIFEST.split('\n');
  // The walkthrough puts the cursor on the Secret's name: the lightbulb's quick fix is offered there.
  const line = lines[SAMPLE_LEGACY_LINE]!;
  const cursor = lines.slice(0, SAMPLE_LEGACY_LINE).join('\n').length + 1 + line.indexOf(':') + 2;
  assert.ok(sat001.start <= cursor && cursor <= sat001.end, `${sat001.start} <= ${cursor} <= ${sat001.end}`);
  const fixed = fixAll(SAMPLE_LEGACY_MANIFEST).text;
  assert.match(fixed, /serviceAccountToken:/);
  assert.doesNotMatch(fixed, /secretName:/);
  assert.ok(fixed.startsWith('# A sample pod'), 'the comment stays');
});

interface Walkthrough {
  id: string;
  steps: { id: string; description: string; media: { image: string; altText: string }; when?: string }[];
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: {
    walkthroughs: Walkthrough[];
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
  };
};
const [walkthrough] = manifest.contributes.walkthroughs;

test('four steps: hover a token, open the cluster view, fix a legacy manifest, diagnose a pod', () => {
  assert.deepEqual(
    walkthrough?.steps.map((step) => step.id),
    ['hoverToken', 'openClusterView', 'fixLegacyManifest', 'diagnosePod'],
  );
});

test('every step has a shipped PNG and alt text', () => {
  const shipped = readFileSync('.vscodeignore', 'utf8').split('\n');
  for (const { id, media } of walkthrough?.steps ?? []) {
    assert.match(media.image, /^media\/walkthrough\/[a-z-]+\.png$/, id);
    assert.ok(existsSync(media.image), `${media.image} exists`);
    assert.ok(shipped.includes('!media/walkthrough/*.png'), 'the images are in the .vsix');
    assert.ok(media.altText.length > 20, id);
  }
});

test('every step has a button, and each button runs a command the extension registers or a view focus', () => {
  const sources = ['src/features/walkthrough/index.ts', 'src/features/troubleshoot/ids.ts'].map((file) =>
    readFileSync(file, 'utf8'),
  );
  const registered = (id: string): boolean =>
    manifest.contributes.commands.some((command) => command.command === id) ||
    sources.some((source) => source.includes(`'${id}'`)) ||
    Object.values(manifest.contributes.views)
      .flat()
      .some((view) => `${view.id}.focus` === id);
  for (const step of walkthrough?.steps ?? []) {
    const buttons = [...step.description.matchAll(/\n\[[^\]]+\]\(command:([\w.]+)\)/g)].map((link) => link[1]!);
    assert.ok(buttons.length > 0, `${step.id} has a button on its own line`);
    for (const id of buttons) assert.ok(registered(id), `${step.id}: ${id}`);
  }
});

test('the steps that need a cluster are hidden in the browser (web worker host)', () => {
  for (const step of walkthrough?.steps ?? []) {
    const needsCluster = step.id === 'openClusterView' || step.id === 'diagnosePod';
    assert.equal(step.when === '!saToken.webWorker', needsCluster, step.id);
  }
});
