// Fix-all: applies every finding's first fix that does not collide with another, round after round until nothing
// changes. Each round re-parses only the documents the previous round edited and re-lints only those that can
// have changed: edited ones, ones whose fixes collided, and all of them when the file's own index changed.
import { applyEdits } from './edits';
import { lintRun, localAccounts, lookupFor, lintSegment, ownIndexes, sortFindings, type LintRun } from './lint';
import { parseSegment, segmentText, splitSegment, type Segment } from './segments';
import type { LintOptions, ManifestFinding, RuleId, TextEdit } from './types';

export { applyEdits } from './edits';

/** Enough for fixes that enable each other (SAT001's mount, then SAT008's automount), bounded against surprises. */
const MAX_ROUNDS = 8;

// Touching edits count as colliding: two inserts at one offset have no defined order.
const collide = (a: TextEdit, b: TextEdit) => a.start <= b.end && b.start <= a.end;
const isInsert = (edit: TextEdit) => edit.start === edit.end;

interface Part {
  segment: Segment;
  /** Lint it in the next round. */
  dirty: boolean;
}

/**
 * What fix-all applies: migrations only by default; hardening fixes too with `hardening`, or for the rules named in
 * `onlyRules` (asking for a rule by name asks for its fixes).
 */
export interface FixAllOptions extends LintOptions {
  onlyRules?: RuleId[];
  hardening?: boolean;
}

export function fixAll(text: string, options: FixAllOptions = {}): { text: string; applied: number } {
  const run = lintRun(text, options);
  let parts: Part[] = splitSegment(parseSegment(text, run.template)).map((segment) => ({ segment, dirty: true }));
  const syntaxProblems = problemCount(parts);
  let signature = indexSignature(run, parts);
  let applied = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { findings, owners } = lintDirty(run, parts);
    const chosen = chooseEdits(findings, options);
    if (chosen.count === 0) break;
    const next = applyToParts(run, parts, chosen.edits);
    // A fix must never make the YAML worse: keep the last good text.
    if (problemCount(next) > syntaxProblems) break;
    const nextSignature = indexSignature(run, next);
    const indexChanged = nextSignature !== signature;
    signature = nextSignature;
    const pending = new Set(chosen.involved.map((finding) => owners.get(finding)));
    for (const part of next) part.dirty ||= indexChanged || pending.has(part.segment.docs);
    parts = next;
    applied += chosen.count;
  }
  return { text: parts.map((part) => segmentText(part.segment)).join(''), applied };
}

/** Findings of the parts to re-lint, in file order, each with the documents (segment) it comes from. */
function lintDirty(run: LintRun, parts: readonly Part[]) {
  const segments = parts.map((part) => part.segment);
  const lookup = lookupFor(run, segments);
  const accounts = localAccounts(segments);
  const findings: ManifestFinding[] = [];
  const owners = new Map<ManifestFinding, Segment['docs']>();
  for (const part of parts) {
    if (!part.dirty) continue;
    const before = findings.length;
    lintSegment(run, part.segment, lookup, accounts, findings);
    for (const finding of findings.slice(before)) owners.set(finding, part.segment.docs);
  }
  return { findings: sortFindings(findings), owners };
}

/**
 * First wanted fix of each finding, skipping repeats (one pod-wide fix is shared by its findings) and collisions.
 * `involved`: findings whose fix was applied or collided (their documents must be looked at again).
 */
export function chooseEdits(
  findings: readonly ManifestFinding[],
  { onlyRules, hardening }: Pick<FixAllOptions, 'onlyRules' | 'hardening'>,
) {
  const edits: TextEdit[] = [];
  const involved: ManifestFinding[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (const finding of findings) {
    if (onlyRules && !onlyRules.includes(finding.rule)) continue;
    const wantsHardening = hardening === true || onlyRules !== undefined;
    const fix = finding.fixes.find((candidate) => candidate.kind === 'migration' || wantsHardening);
    if (!fix) continue;
    involved.push(finding);
    const key = JSON.stringify(fix.edits);
    if (seen.has(key) || fix.edits.some((edit) => edits.some((other) => collide(edit, other)))) continue;
    seen.add(key);
    edits.push(...fix.edits);
    count++;
  }
  return { edits, count, involved };
}

/**
 * The parts after the edits: edited parts (joined with their neighbours where an edit spans a cut) are re-parsed
 * and split again; the others keep their parse and move by the length change before them.
 */
function applyToParts(run: LintRun, parts: readonly Part[], edits: TextEdit[]): Part[] {
  const groups = groupEdits(parts, edits);
  const next: Part[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const group = groups.get(i);
    if (!group) {
      const { segment } = parts[i];
      next.push({ segment: { ...segment, shift: offset - segment.start }, dirty: false });
      offset += segment.end - segment.start;
      continue;
    }
    const covered = parts
      .slice(i, group.last + 1)
      .map((part) => segmentText(part.segment))
      .join('');
    const start = fileStart(parts[i].segment);
    const text = applyEdits(
      covered,
      group.edits.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start })),
    );
    for (const segment of splitSegment(parseSegment(text, run.template, offset))) next.push({ segment, dirty: true });
    offset += text.length;
    i = group.last;
  }
  return next;
}

const fileStart = (segment: Segment) => segment.start + segment.shift;
const fileEnd = (segment: Segment) => segment.end + segment.shift;

/**
 * Edits by the part where they start (an insert at a cut belongs to the part above: it ends that document), as
 * groups of consecutive parts: an edit reaching past its part's end pulls the next part into the group.
 */
function groupEdits(parts: readonly Part[], edits: TextEdit[]): Map<number, { last: number; edits: TextEdit[] }> {
  const groups = new Map<number, { last: number; edits: TextEdit[] }>();
  let current: { first: number; last: number; edits: TextEdit[] } | undefined;
  let i = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    while (
      i < parts.length - 1 &&
      (edit.start > fileEnd(parts[i].segment) || (edit.start === fileEnd(parts[i].segment) && !isInsert(edit)))
    )
      i++;
    if (!current || i > current.last) {
      current = { first: i, last: i, edits: [] };
      groups.set(i, current);
    }
    current.edits.push(edit);
    while (current.last < parts.length - 1 && edit.end > fileEnd(parts[current.last].segment)) current.last++;
  }
  return groups;
}

const problemCount = (parts: readonly Part[]) =>
  parts.reduce((sum, part) => sum + part.segment.problems.flat().length, 0);

/** The file's own token Secrets and ServiceAccounts: when a fix changes them, every document is linted again. */
function indexSignature(run: LintRun, parts: readonly Part[]): string {
  return JSON.stringify(
    ownIndexes(
      run,
      parts.map((part) => part.segment),
    ),
  );
}
