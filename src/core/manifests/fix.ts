// Fix-all: applies every finding's first fix that does not collide with another, re-linting until nothing changes.
import { parseAllDocuments } from 'yaml';
import { applyEdits } from './edits';
import { lintManifest } from './lint';
import type { LintOptions, RuleId, TextEdit } from './types';

export { applyEdits } from './edits';

/** Enough for fixes that enable each other (SAT001's mount, then SAT008's automount), bounded against surprises. */
const MAX_ROUNDS = 8;

// Touching edits count as colliding: two inserts at one offset have no defined order.
const collide = (a: TextEdit, b: TextEdit) => a.start <= b.end && b.start <= a.end;

const errorCount = (text: string) => parseAllDocuments(text).reduce((sum, doc) => sum + doc.errors.length, 0);

export function fixAll(text: string, options: LintOptions & { onlyRules?: RuleId[] } = {}): { text: string; applied: number } {
  let current = text;
  let applied = 0;
  const errorsBefore = errorCount(text);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const chosen: TextEdit[] = [];
    const seen = new Set<string>();
    let count = 0;
    for (const finding of lintManifest(current, options)) {
      const fix = finding.fixes[0];
      if (!fix || (options.onlyRules && !options.onlyRules.includes(finding.rule))) continue;
      const key = JSON.stringify(fix.edits);
      if (seen.has(key) || fix.edits.some((edit) => chosen.some((other) => collide(edit, other)))) continue;
      seen.add(key);
      chosen.push(...fix.edits);
      count++;
    }
    if (count === 0) break;
    const next = applyEdits(current, chosen);
    // A fix must never make the YAML worse; stop with what was good.
    if (errorCount(next) > errorsBefore) break;
    current = next;
    applied += count;
  }
  return { text: current, applied };
}
