// Fix-all: applies every finding's first fix that does not collide with another, re-linting until nothing changes.
import { applyEdits } from './edits';
import { analyzeManifest } from './lint';
import type { LintOptions, ManifestFinding, RuleId, TextEdit } from './types';

export { applyEdits } from './edits';

/** Enough for fixes that enable each other (SAT001's mount, then SAT008's automount), bounded against surprises. */
const MAX_ROUNDS = 8;

// Touching edits count as colliding: two inserts at one offset have no defined order.
const collide = (a: TextEdit, b: TextEdit) => a.start <= b.end && b.start <= a.end;

export function fixAll(text: string, options: LintOptions & { onlyRules?: RuleId[] } = {}): { text: string; applied: number } {
  let good = { text, applied: 0 };
  let candidate = good;
  let syntaxProblems: number | undefined;
  // One parse per round: each round's analysis also vets the text the previous round produced.
  for (let round = 0; ; round++) {
    const analysis = analyzeManifest(candidate.text, options);
    syntaxProblems ??= analysis.parseProblems.length;
    // A fix must never make the YAML worse: keep the last good text.
    if (analysis.parseProblems.length > syntaxProblems) return good;
    good = candidate;
    const chosen = round < MAX_ROUNDS ? chooseEdits(analysis.findings, options.onlyRules) : undefined;
    if (!chosen || chosen.count === 0) return good;
    candidate = { text: applyEdits(good.text, chosen.edits), applied: good.applied + chosen.count };
  }
}

/** First fix of each finding, skipping repeats (one pod-wide fix is shared by its findings) and collisions. */
function chooseEdits(findings: readonly ManifestFinding[], onlyRules: readonly RuleId[] | undefined) {
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (const finding of findings) {
    if (onlyRules && !onlyRules.includes(finding.rule)) continue;
    const fix = finding.fixes[0];
    if (!fix) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key) || fix.edits.some((edit) => edits.some((other) => collide(edit, other)))) continue;
    seen.add(key);
    edits.push(...fix.edits);
    count++;
  }
  return { edits, count };
}
