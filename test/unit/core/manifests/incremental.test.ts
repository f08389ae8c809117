// The analysis that keeps each document's parse: after any sequence of edits, and whether run at once or in steps,
// it must give exactly what a one-shot lint of the same text gives (findings, their fixes, syntax problems).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ManifestFileAnalyzer } from '../../../../src/core/manifests/incremental';
import { analyzeManifest } from '../../../../src/core/manifests/lint';
import type { LintOptions, ManifestAnalysis } from '../../../../src/core/manifests/types';

const fixtures = join(import.meta.dirname, '../../../fixtures/manifests');
const inputs = readdirSync(fixtures).map((name) => ({
  name,
  text: readFileSync(join(fixtures, name, 'input.yaml'), 'utf8'),
}));
/** Every fixture in one multi-document file: documents that see each other's ServiceAccounts and Secrets. */
const combined = inputs.map((input) => input.text.replace(/^---\n/, '')).join('\n---\n');

/** Everything a user can observe, fixes included (they are computed on demand). */
const observable = (analysis: ManifestAnalysis) => ({
  findings: analysis.findings.map((finding) => ({ ...finding, fixes: finding.fixes })),
  parseProblems: analysis.parseProblems,
});

function assertSameAsOneShot(analysis: ManifestAnalysis, text: string, options: LintOptions): void {
  assert.deepEqual(observable(analysis), observable(analyzeManifest(text, options)));
}

describe('ManifestFileAnalyzer', () => {
  it('gives what a one-shot lint gives, for every fixture and all of them in one file', () => {
    for (const { name, text } of [...inputs, { name: 'combined', text: combined }]) {
      const options = { fileName: `${name}.yaml` };
      assertSameAsOneShot(new ManifestFileAnalyzer().analyze(text, options), text, options);
    }
  });

  it('after any edits, reusing what it kept, still gives what a one-shot lint of the new text gives', () => {
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.nat({ max: 12 }),
      insert: fc.constantFrom(
        '',
        'x',
        '\n',
        '---\n',
        '\n---\n',
        ' ',
        'name: a\n',
        'default',
        '-token-abcde',
        '&a ',
        '*a',
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        const analyzer = new ManifestFileAnalyzer();
        const options = { fileName: 'combined.yaml' };
        let text = combined;
        analyzer.analyze(text, options, 'workspace');
        for (const { at, remove, insert } of edits) {
          const offset = Math.floor(at * text.length);
          text = text.slice(0, offset) + insert + text.slice(offset + remove);
          assertSameAsOneShot(analyzer.analyze(text, options, 'workspace'), text, options);
        }
      }),
      { seed: 20240301, numRuns: 15 },
    );
  });

  it('gives the same result in steps as at once', () => {
    const analyzer = new ManifestFileAnalyzer();
    const steps = analyzer.steps(combined, {});
    let step = steps.next();
    let count = 0;
    for (; !step.done; step = steps.next()) count++;
    assert.ok(count > inputs.length, `${count} steps`);
    assertSameAsOneShot(step.value, combined, {});
  });
  it('a document skipped for a YAML syntax error gets that problem only, no finding (issue 18 item 7, the editor)', () => {
    // The CLI's case (test/unit/cli/lint.test.ts): serviceAccountName after the error must not read as unset (SAT006).
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p\nspec:\n  serviceAccountName: app\n  containers:\n    - name: c\n';
    const analysis = new ManifestFileAnalyzer().analyze(text, { fileName: 'broken.yaml' });
    assert.deepEqual(analysis.findings, []);
    assert.equal(analysis.parseProblems.length, 1);
  });
});
