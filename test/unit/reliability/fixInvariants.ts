// What every fix of every input must keep, checked on generated, mutated and hand-picked manifests: the output
// parses no worse than the input, fixing again changes nothing, every comment survives, documents the fixes do not
// touch (and documents with syntax errors) stay byte-identical, line endings and the BOM are kept.
import assert from 'node:assert/strict';
import { Lexer, parseAllDocuments } from 'yaml';
import { fixAll } from '../../../src/core/manifests/fix';
import { analyzeManifest } from '../../../src/core/manifests/lint';
import type { LintOptions, ManifestAnalysis, RuleId } from '../../../src/core/manifests/types';

export interface FixOutcome {
  analysis: ManifestAnalysis;
  fixed: string;
  applied: number;
}

const errorCount = (text: string) => parseAllDocuments(text).reduce((sum, doc) => sum + doc.errors.length, 0);
const comments = (text: string) =>
  [...new Lexer().lex(text)].filter((token) => token.startsWith('#')).map((comment) => comment.trimEnd());

/** Lints and fixes `input`, asserting every invariant; returns what happened for further checks. */
export function assertFixInvariants(input: string, options: LintOptions & { onlyRules?: RuleId[] } = {}): FixOutcome {
  const analysis = analyzeManifest(input, options);
  for (const problem of analysis.parseProblems) {
    assert.ok(
      problem.start >= 0 && problem.start <= problem.end && problem.end <= input.length + 1,
      'problem range inside the text',
    );
    assert.ok(problem.message.length > 0 && !problem.message.includes('\n'), 'one-line parse problem');
  }
  for (const finding of analysis.findings)
    assert.ok(finding.start <= finding.end && finding.end <= input.length, 'finding range inside the text');
  const { text: fixed, applied } = fixAll(input, options);
  if (fixed === input) return { analysis, fixed, applied };
  assert.ok(errorCount(fixed) <= errorCount(input), 'a fix never makes the YAML worse');
  assert.equal(fixAll(fixed, options).text, fixed, 'fixing twice = fixing once');
  assertCommentsKept(input, fixed);
  assertLineEndingsKept(input, fixed);
  assertUntouchedDocumentsKept(input, fixed, analysis);
  return { analysis, fixed, applied };
}

export function assertCommentsKept(input: string, fixed: string): void {
  const kept = comments(fixed);
  for (const comment of comments(input)) {
    const at = kept.indexOf(comment);
    assert.ok(at >= 0, `comment lost: ${comment}`);
    kept.splice(at, 1);
  }
}

export function assertLineEndingsKept(input: string, fixed: string): void {
  if (!input.includes('\r')) assert.doesNotMatch(fixed, /\r/, 'CR in an LF file');
  else if (!/(?<!\r)\n/.test(input)) assert.doesNotMatch(fixed, /(?<!\r)\n/, 'bare LF in a CRLF file');
  assert.equal(fixed.startsWith('\uFEFF'), input.startsWith('\uFEFF'), 'BOM kept');
}

/** Documents no first-round fix edits, and every document with syntax errors, appear unchanged in the output. */
function assertUntouchedDocumentsKept(input: string, fixed: string, analysis: ManifestAnalysis): void {
  const edits = analysis.findings.flatMap((finding) => finding.fixes.flatMap((fix) => fix.edits));
  for (const doc of parseAllDocuments(input)) {
    const [start, , end] = doc.range;
    const source = input.slice(start, end);
    if (doc.errors.length > 0) {
      assert.ok(fixed.includes(source), `a document with syntax errors (at ${start}) was rewritten`);
      continue;
    }
    const touched = edits.some((edit) => edit.start >= start && edit.start <= end);
    if (!touched) assert.ok(fixed.includes(source), `untouched document at ${start} changed`);
  }
}
