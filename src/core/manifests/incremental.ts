// Analysis of one file that remembers its documents. The text is cut where each document's `---` line starts (the
// parser ends a document there in every context), each piece is parsed on its own and cached by its text, and its
// findings are cached too while the file's own index and the options stay the same. After a one-line edit only the
// edited document is parsed and linted again. The work also comes as a generator of small steps (one document
// each), so an editor can spread a large file over many short slices; the result is the same either way.
import type { LocalServiceAccount } from './context';
import { type LintRun, lintRun, lintSegment, localAccounts, optionsIndex, ownIndexes, sortFindings } from './lint';
import { maskTemplateActions } from './problems';
import { parseSegment, type Segment } from './segments';
import type { LintOptions, ManifestAnalysis, ManifestFinding, ParseProblem, WorkspaceIndex } from './types';
import { appendIndex, emptyIndex, IndexLookup } from './workspace';

/** A document start: `---` at the start of a line, then a blank or the end of the line. */
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;
/** A directive (`%YAML`, `%TAG`) binds to the next document: such files are parsed whole. */
const DIRECTIVE = /^%/m;

/** One piece of the file: its parse, and its findings (offsets relative to the piece) under one lint context. */
interface Piece {
  segment: Segment;
  findings?: { context: LintContext; findings: ManifestFinding[] };
}

/**
 * What a piece's findings depend on besides its own text: the options (the caller's `knowledge` key stands for the
 * index of other files, compared by identity) and the file's own index.
 */
interface LintContext {
  knowledge: unknown;
  own: string;
}

export class ManifestFileAnalyzer {
  private pieces = new Map<string, Piece>();
  private template: boolean | undefined;
  private lastContext: LintContext | undefined;

  /**
   * The whole analysis at once. `knowledge` identifies what `options` say about other files (token Secrets and
   * ServiceAccounts): findings are reused only while it is the same value. By default the options object itself.
   */
  analyze(text: string, options: LintOptions = {}, knowledge: unknown = options): ManifestAnalysis {
    const steps = this.steps(text, options, knowledge);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** The analysis in steps of about one document each; the generator's return value is the analysis. */
  *steps(text: string, options: LintOptions = {}, knowledge: unknown = options): Generator<void, ManifestAnalysis> {
    const run = lintRun(text, options);
    yield;
    // Everything the whole file's lint needs is gathered a document per step: on a 20,000-document file a whole-file
    // pass takes tens of milliseconds (bench: web_host_max_block_ms).
    const layout: { start: number; piece: Piece }[] = [];
    const segments: Segment[] = [];
    const own = emptyIndex();
    const accounts: LocalServiceAccount[] = [];
    const ownKeys: string[] = [];
    for (const placed of this.cut(text, run)) {
      layout.push(placed);
      const segment = { ...placed.piece.segment, shift: placed.start };
      segments.push(segment);
      const [index] = ownIndexes(run, [segment]);
      appendIndex(own, index);
      accounts.push(...localAccounts([segment]));
      ownKeys.push(indexKey(index));
      yield;
    }
    appendIndex(own, optionsIndex(run));
    const lookup = new IndexLookup(own);
    yield;
    const context = this.lintContext(knowledge, `${ownContext(run)}\n${ownKeys.join('\n')}`);
    yield;
    const findings: ManifestFinding[] = [];
    const parseProblems: ParseProblem[] = [];
    for (const [i, { start, piece }] of layout.entries()) {
      const segment = segments[i];
      for (const problem of segment.problems.flat())
        parseProblems.push({ ...problem, start: problem.start + start, end: problem.end + start });
      const cached = piece.findings;
      if (
        cached &&
        (cached.context === context || (cached.context.knowledge === knowledge && cached.context.own === context.own))
      ) {
        // Cached: same text, same index, same options. Offsets move with the piece; fixes are rebuilt on demand
        // against today's layout (a fix may edit a ServiceAccount in another document, which may have moved).
        const relint = once(() => lintPiece(run, segment, lookup, accounts));
        for (const finding of cached.findings) findings.push(placedFinding(finding, start, relint));
      } else {
        const fresh = lintPiece(run, segment, lookup, accounts);
        findings.push(...fresh);
        piece.findings = { context, findings: fresh.map((finding) => relative(finding, start)) };
      }
      yield;
    }
    return { findings, parseProblems };
  }

  /**
   * The previous analysis' context when nothing it stands for changed: each kept piece then compares its findings'
   * context by identity, not a file-sized string each.
   */
  private lintContext(knowledge: unknown, own: string): LintContext {
    const last = this.lastContext;
    if (last && last.knowledge === knowledge && last.own === own) return last;
    return (this.lastContext = { knowledge, own });
  }

  /** The file's pieces in order with their offsets, parsed or taken from the cache; the cache keeps only these. */
  private *cut(text: string, run: LintRun): Generator<{ start: number; piece: Piece }> {
    if (this.template !== run.template) this.pieces.clear();
    this.template = run.template;
    // The cache is replaced only when the cut is complete: an analysis abandoned half-way loses nothing.
    const next = new Map<string, Piece>();
    for (const [start, end] of documentBounds(text, run.template)) {
      const pieceText = text.slice(start, end);
      let piece = next.get(pieceText) ?? this.pieces.get(pieceText);
      piece ??= { segment: parseSegment(pieceText, run.template) };
      next.set(pieceText, piece);
      yield { start, piece };
    }
    this.pieces = next;
  }
}

/**
 * [start, end) of each piece of the file: cut at every document start after the first character (Helm template
 * actions masked first, so that a `---` inside one does not count).
 */
export function* documentBounds(text: string, template: boolean): Generator<[number, number]> {
  const scanned = template ? maskTemplateActions(text) : text;
  if (DIRECTIVE.test(scanned)) {
    yield [0, text.length];
    return;
  }
  let start = 0;
  const starts = new RegExp(DOCUMENT_START);
  for (let match = starts.exec(scanned); match; match = starts.exec(scanned)) {
    if (match.index > start) {
      yield [start, match.index];
      start = match.index;
    }
    starts.lastIndex = match.index + 3;
  }
  if (start < text.length || text.length === 0) yield [start, text.length];
}

/** The options' part of the lint context (the file's own index entries follow, one JSON line per document). */
function ownContext(run: LintRun): string {
  const { fileName, rules, fix, patch } = run.options;
  return JSON.stringify([fileName, rules, fix, patch, run.eol]);
}

// A kept document keeps its index entries (lint.ts) and so their JSON.
const indexKeys = new WeakMap<WorkspaceIndex, string>();
function indexKey(index: WorkspaceIndex): string {
  let key = indexKeys.get(index);
  if (key === undefined) indexKeys.set(index, (key = JSON.stringify(index)));
  return key;
}

function lintPiece(
  run: LintRun,
  segment: Segment,
  lookup: IndexLookup,
  accounts: ReturnType<typeof localAccounts>,
): ManifestFinding[] {
  const findings: ManifestFinding[] = [];
  lintSegment(run, segment, lookup, accounts, findings);
  return sortFindings(findings);
}

/** A cached finding with offsets relative to its piece, and no fixes (they are rebuilt when asked). */
function relative(finding: ManifestFinding, start: number): ManifestFinding {
  const { rule, severity, message, subject } = finding;
  const [from, to] = [finding.start - start, finding.end - start];
  return { rule, severity, start: from, end: to, message, fixes: [], ...(subject ? { subject } : {}) };
}

function placedFinding(cached: ManifestFinding, start: number, relint: () => ManifestFinding[]): ManifestFinding {
  const placed = { ...cached, start: cached.start + start, end: cached.end + start };
  let fixes: ManifestFinding['fixes'] | undefined;
  return Object.defineProperty(placed, 'fixes', {
    enumerable: true,
    get: () =>
      (fixes ??=
        relint().find((fresh) => fresh.rule === placed.rule && fresh.start === placed.start && fresh.end === placed.end)
          ?.fixes ?? []),
  });
}

function once<T>(compute: () => T): () => T {
  let result: { value: T } | undefined;
  return () => (result ??= { value: compute() }).value;
}
