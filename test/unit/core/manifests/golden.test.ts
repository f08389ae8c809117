// Golden cases: test/fixtures/manifests/<case>/input.yaml → expected.yaml (fix-all, byte for byte) and
// findings.txt (lint). Every case also passes the fix properties: re-parses, idempotent, comments kept, untouched
// documents byte-identical, line endings and BOM kept. A case's options.json may name `alternatives`: an expected
// file for each fix other than the first (matched by the start of its title), applied alone to the input.
// UPDATE_GOLDEN=1 rewrites the goldens (then review them).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { applyEdits, fixAll, type FixAllOptions } from '../../../../src/core/manifests/fix';
import { lintManifest } from '../../../../src/core/manifests/lint';
import type { ManifestFinding } from '../../../../src/core/manifests/types';
import { assertCommentsKept, assertLineEndingsKept } from '../../reliability/fixInvariants';

const root = join(import.meta.dirname, '../../../fixtures/manifests');
const update = process.env.UPDATE_GOLDEN === '1';

type CaseOptions = FixAllOptions;
type CaseFile = CaseOptions & { alternatives?: Record<string, string> };

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

function describeFindings(text: string, findings: ManifestFinding[]): string {
  return findings
    .map(
      (f) =>
        `${f.rule} ${f.severity} ${position(text, f.start)}-${position(text, f.end)}${f.fixes.length ? ' fixable' : ''}`,
    )
    .join('\n');
}

function documentSlices(text: string): { start: number; end: number }[] {
  return parseAllDocuments(text).map((doc) => ({ start: doc.range[0], end: doc.range[2] }));
}

for (const name of readdirSync(root).sort()) {
  const dir = join(root, name);
  const input = readFileSync(join(dir, 'input.yaml'), 'utf8');
  const optionsFile = join(dir, 'options.json');
  const { alternatives = {}, ...options }: CaseFile = existsSync(optionsFile)
    ? JSON.parse(readFileSync(optionsFile, 'utf8'))
    : {};

  describe(`golden ${name}`, () => {
    const findings = lintManifest(input, options);
    const fixed = fixAll(input, options).text;

    it('lints as recorded', () => {
      const actual = describeFindings(input, findings) + '\n';
      if (update) writeFileSync(join(dir, 'findings.txt'), actual);
      assert.equal(actual, readFileSync(join(dir, 'findings.txt'), 'utf8'));
    });

    it('fixes to the expected text, byte for byte', () => {
      if (update) writeFileSync(join(dir, 'expected.yaml'), fixed);
      assert.equal(fixed, readFileSync(join(dir, 'expected.yaml'), 'utf8'));
    });

    it('re-parses without errors and fixing again changes nothing', () => {
      const errorsBefore = parseAllDocuments(input).flatMap((doc) => doc.errors).length;
      assert.equal(parseAllDocuments(fixed).flatMap((doc) => doc.errors).length, errorsBefore);
      assert.equal(fixAll(fixed, options).text, fixed);
    });

    it('offers only fixes that re-parse on their own', () => {
      const errorsBefore = parseAllDocuments(input).flatMap((doc) => doc.errors).length;
      for (const fix of findings.flatMap((finding) => finding.fixes)) {
        const alone = applyEdits(input, fix.edits);
        assert.ok(parseAllDocuments(alone).flatMap((doc) => doc.errors).length <= errorsBefore, fix.title);
      }
    });

    // Issue 18: a SAT001 env read beside a Secret volume had no lightbulb, yet Fix All fixed it (in a second round).
    it('fix-all resolves no finding that offers no fix of its own (every fix has its lightbulb)', () => {
      const left = lintManifest(fixed, options);
      for (const rule of new Set(findings.map((f) => f.rule))) {
        const unfixable = findings.filter((f) => f.rule === rule && f.fixes.length === 0).length;
        const remaining = left.filter((f) => f.rule === rule).length;
        assert.ok(remaining >= unfixable, `${rule}: ${unfixable} without a fix, only ${remaining} left after fix-all`);
      }
    });

    it('titles each fix in at most 8 words; a hardening fix says in its detail what it takes away', () => {
      for (const fix of findings.flatMap((finding) => finding.fixes)) {
        assert.ok(fix.title.split(/\s+/).length <= 8, fix.title);
        if (fix.kind === 'hardening') assert.match(fix.detail ?? '', /\blose|moves\b/, fix.title);
      }
    });

    it('keeps every comment, the line endings and the BOM', () => assertKeepsText(input, fixed));

    for (const [file, title] of Object.entries(alternatives)) {
      it(`applies the fix "${title}…" alone to the text in ${file}`, () => {
        const edits = findings.flatMap((f) => f.fixes.find((fix) => fix.title.startsWith(title))?.edits ?? []);
        assert.ok(edits.length > 0, 'no such fix');
        const alternative = applyEdits(input, edits);
        if (update) writeFileSync(join(dir, file), alternative);
        assert.equal(alternative, readFileSync(join(dir, file), 'utf8'));
        assert.equal(parseAllDocuments(alternative).flatMap((doc) => doc.errors).length, 0);
        assertKeepsText(input, alternative);
        const again = lintManifest(alternative, options)
          .flatMap((f) => f.fixes)
          .filter((fix) => fix.title.startsWith(title));
        assert.deepEqual(again, [], 'offered again after it was applied');
      });
    }

    it('leaves documents without fixes byte-identical', () => {
      const edits = findings.flatMap((f) => f.fixes.flatMap((fix) => fix.edits));
      for (const doc of documentSlices(input)) {
        const touched = edits.some((edit) => edit.start >= doc.start && edit.start <= doc.end);
        if (!touched) assert.ok(fixed.includes(input.slice(doc.start, doc.end)), `document at ${doc.start} changed`);
      }
    });
  });
}

function assertKeepsText(input: string, fixed: string): void {
  assertCommentsKept(input, fixed);
  assertLineEndingsKept(input, fixed);
}
