// Reading YAML as kubectl does: what `kubectl kustomize` (go-yaml) parses is never a syntax error here. Checked
// against the real kubectl on PATH.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeManifest } from '../../../../src/core/manifests/lint';
import { relaxQuotedScalars } from '../../../../src/core/manifests/reading';

const fixtures = join(import.meta.dirname, '../../../fixtures/manifests');

/** Whether `kubectl kustomize` accepts the text as a resource. */
function kubectlAccepts(text: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'sa-token-kustomize-'));
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [resource.yaml]\n');
  writeFileSync(join(dir, 'resource.yaml'), text);
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  assert.notEqual(result.error?.message.includes('ENOENT'), true, 'kubectl is on PATH');
  return result.status === 0;
}

const syntaxErrors = (text: string) =>
  analyzeManifest(text).parseProblems.filter((problem) => problem.severity !== 'warning');

const UNDER_INDENTED = [
  // Argo Workflows' examples: a single-quoted script whose closing quote sits at the key's column.
  `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    image: x\n    args: ['\n      echo one;\n      echo two\n    ']\n`,
  // Double-quoted, with escapes, closing at column 0 of a nested map.
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n  script: "line one \\"quoted\\"\n  line two\n"\n`,
];

describe('reading what kubectl reads', () => {
  it('reads multi-line quoted scalars that kubectl kustomize accepts, with offsets of the real text', () => {
    for (const text of UNDER_INDENTED) {
      assert.ok(kubectlAccepts(text), `kubectl accepts:\n${text}`);
      assert.deepEqual(syntaxErrors(text), [], text);
      assert.equal(relaxQuotedScalars(text)?.length, text.length);
    }
  });

  it('never reports a syntax error in a golden input kubectl kustomize accepts', () => {
    for (const name of readdirSync(fixtures)) {
      const text = readFileSync(join(fixtures, name, 'input.yaml'), 'utf8');
      if (text.includes('{{')) continue; // Helm templates are not kubectl input.
      if (kubectlAccepts(text)) assert.deepEqual(syntaxErrors(text), [], name);
    }
  });

  it('reports a duplicate key as a warning and lints the document with the last value, as Kubernetes does', () => {
    const text = readFileSync(join(fixtures, 'duplicate-keys', 'input.yaml'), 'utf8');
    const { findings, parseProblems } = analyzeManifest(text);
    assert.deepEqual(
      parseProblems.map((problem) => problem.severity),
      ['warning'],
    );
    assert.deepEqual(
      findings.map((finding) => finding.rule),
      ['SAT006'],
    );
  });
});
