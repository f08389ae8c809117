// Hostile and broken input for the manifest engine: generated manifests in every style, mutations of the golden
// inputs, and hand-picked hostile files (alias bombs, 20,000-deep nesting, binary, empty, tabs, BOM, unterminated).
// The engine never throws, answers in bounded time, and every fix keeps the invariants of fixInvariants.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { fixAll } from '../../../src/core/manifests/fix';
import { analyzeManifest, lintManifest } from '../../../src/core/manifests/lint';
import type { RuleId } from '../../../src/core/manifests/types';
import { indexWorkspaceFile } from '../../../src/core/manifests/workspace';
import { figures, timed } from './figures';
import { assertFixInvariants } from './fixInvariants';
import { manifestObject, mutate, mutation, renderManifest, renderStyle } from './manifestArbitraries';

const run = figures('manifests');
const goldenRoot = join(import.meta.dirname, '../../fixtures/manifests');
const goldenInputs = readdirSync(goldenRoot)
  .sort()
  .map((name) => readFileSync(join(goldenRoot, name, 'input.yaml'), 'utf8'));
/** Generous for a loaded 2-core machine; the engine takes well under a second on each of these. */
const BOUND_MS = 8000;

describe('reliability: generated manifests', () => {
  it('every generated file lints without throwing and fixes keep every invariant', () =>
    run.fuzz(
      fc.property(fc.array(manifestObject, { minLength: 1, maxLength: 4 }), renderStyle, (objects, style) => {
        const text = renderManifest(objects, style);
        assert.equal(parseAllDocuments(text).flatMap((doc) => doc.errors).length, 0, 'the generator writes valid YAML');
        const { fixed } = assertFixInvariants(text);
        assert.equal(
          parseAllDocuments(fixed).flatMap((doc) => doc.errors).length,
          0,
          'fixed output of valid YAML is valid',
        );
      }),
      120,
    ));

  it('fixing one rule at a time keeps the invariants too', () =>
    run.fuzz(
      fc.property(
        fc.array(manifestObject, { minLength: 1, maxLength: 3 }),
        renderStyle,
        fc.constantFrom<RuleId[]>('SAT001', 'SAT003', 'SAT004', 'SAT005', 'SAT006', 'SAT007', 'SAT008'),
        (objects, style, rule) => {
          assertFixInvariants(renderManifest(objects, style), { onlyRules: [rule] });
        },
      ),
      60,
    ));
});

describe('reliability: mutations of the golden inputs', () => {
  it('never throws on mutated goldens, and fixes there keep every invariant', () =>
    run.fuzz(
      fc.property(
        fc.nat(goldenInputs.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (index, changes) => {
          const text = changes.reduce(mutate, goldenInputs[index]);
          assertFixInvariants(text);
          indexWorkspaceFile(text);
        },
      ),
      300,
    ));

  it('never throws on goldens cut at every other line', () => {
    for (const input of goldenInputs) {
      const lines = input.split('\n');
      for (let i = 1; i < lines.length; i += 2) {
        assertFixInvariants(lines.slice(0, i).join('\n'));
        run.cases();
      }
    }
  });
});

const laughs = (levels: number) => {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines;
};

/** Hostile files and what the engine must say about them: a parse problem, nothing wrong, or either ('either' where
 * the YAML library itself accepts the text, e.g. bytes that are all valid plain-scalar characters). */
const hostileFiles: { name: string; text: string; parseProblem: boolean | 'either' }[] = [
  {
    name: 'billion laughs in a pod spec',
    text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nx:\n${laughs(9)
      .map((line) => `  ${line}`)
      .join('\n')}\nspec:\n  containers: *a8\n  volumes: *a8\n`,
    // Kubernetes refuses it too ("document contains excessive aliasing"): see manifests/aliases.test.ts.
    parseProblem: true,
  },
  {
    name: 'billion laughs through a List of workloads',
    text: `apiVersion: v1\nkind: List\nitems: &w\n  - {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, env: [{name: T, valueFrom: {secretKeyRef: {name: app-token-x7k2p, key: token}}}]}]}}\nlaughs: [${Array(9).fill('*w').join(', ')}]\n`,
    parseProblem: false,
  },
  {
    name: '20,000-deep flow sequence',
    text: `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: ${'['.repeat(20_000)}${']'.repeat(20_000)}}\n`,
    parseProblem: true,
  },
  {
    name: '20,000-deep flow map',
    text: `apiVersion: v1\nkind: Pod\nspec: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`,
    parseProblem: true,
  },
  {
    name: '20,000-deep block nesting',
    text: `apiVersion: v1\nkind: Pod\nspec:\n${Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`,
    parseProblem: true,
  },
  {
    name: 'binary (every byte value)',
    text: Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)).toString('latin1'),
    parseProblem: 'either',
  },
  {
    name: 'binary decoded as UTF-8',
    text: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)).toString('utf8'),
    parseProblem: false,
  },
  { name: 'empty file', text: '', parseProblem: false },
  { name: 'only a BOM', text: '\uFEFF', parseProblem: false },
  { name: 'only document markers', text: '---\n---\n...\n---\n', parseProblem: false },
  { name: 'only comments', text: '# a\n# b\n', parseProblem: false },
  {
    name: 'tabs as indentation',
    text: 'apiVersion: v1\nkind: Pod\nspec:\n\tserviceAccountName: default\n\tcontainers: []\n',
    parseProblem: true,
  },
  {
    name: 'BOM and CRLF',
    text: '\uFEFFapiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n    - name: c\r\n',
    parseProblem: false,
  },
  {
    name: 'unterminated double quote',
    text: 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [ {name: "x\n',
    parseProblem: true,
  },
  {
    name: 'unterminated flow map',
    text: 'apiVersion: v1\nkind: Pod\nspec: {containers: [{name: c}\n',
    parseProblem: true,
  },
  {
    name: 'unterminated block scalar at end of file',
    text: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: c\n      args: |\n',
    parseProblem: false,
  },
  {
    name: 'unterminated second document',
    text: 'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Pod\nspec: [\n',
    parseProblem: true,
  },
  { name: 'undefined alias', text: 'apiVersion: v1\nkind: Pod\nspec: *nothing\n', parseProblem: 'either' },
  {
    name: 'duplicate keys',
    text: 'apiVersion: v1\nkind: Pod\nkind: Pod\nspec:\n  serviceAccountName: default\n  containers: []\n',
    parseProblem: true,
  },
  { name: 'a 2 MB single line', text: `data: ${'x'.repeat(2_000_000)}\n`, parseProblem: false },
  { name: 'kind of the wrong type', text: 'apiVersion: v1\nkind: [Pod]\nspec: {containers: 3}\n', parseProblem: false },
  {
    name: 'containers of the wrong type',
    text: 'apiVersion: v1\nkind: Pod\nspec: {containers: 3, volumes: {a: 1}, serviceAccountName: [x]}\n',
    parseProblem: false,
  },
];

describe('reliability: hostile files', () => {
  for (const hostile of hostileFiles) {
    const expected =
      hostile.parseProblem === 'either' ? 'handled' : hostile.parseProblem ? 'a parse problem' : 'no parse problem';
    it(`${hostile.name}: ${expected}, in bounded time, never rewritten where broken`, () => {
      const ms = timed(() => {
        const { analysis } = assertFixInvariants(hostile.text);
        const problems = JSON.stringify(analysis.parseProblems.slice(0, 2));
        if (hostile.parseProblem !== 'either')
          assert.equal(analysis.parseProblems.length > 0, hostile.parseProblem, problems);
        indexWorkspaceFile(hostile.text);
      });
      assert.ok(ms < BOUND_MS, `${Math.round(ms)} ms`);
      run.cases();
    });
  }

  it('a document with syntax errors gets no fix, in any rule', () => {
    // A pod on the default account (SAT006) that reads a legacy token (SAT001), with a syntax error below.
    const broken =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      envFrom: [{secretRef: {name: default-token-abcde}}]\n      args: ["unterminated\n';
    const analysis = analyzeManifest(broken, { tokenSecrets: [{ name: 'default-token-abcde' }] });
    assert.ok(analysis.parseProblems.length > 0);
    for (const finding of analysis.findings)
      assert.deepEqual(finding.fixes, [], `${finding.rule} offers a fix on a broken document`);
    assert.equal(fixAll(broken).text, broken);
    run.cases();
  });

  it('a Helm template gets no fix that rewrites it, in any rule', () => {
    const template =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  serviceAccount: {{ .Values.sa }}\n  containers:\n    - name: c\n      image: {{ .Values.image }}\n';
    const findings = lintManifest(template, { fileName: 'charts/x/templates/pod.yaml' });
    assert.ok(findings.length > 0, 'still reported');
    for (const finding of findings) assert.deepEqual(finding.fixes, [], `${finding.rule} offers a fix on a template`);
    run.cases();
  });
});
