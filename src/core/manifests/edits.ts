// Minimal text edits on YAML source: append to a sequence, add/replace/remove a pair, in block or flow style.
import { isMap, Lexer } from 'yaml';
import { columnOf, lineStartOf } from '../text';
import type { TextEdit } from './types';
import { contentEnd, findPair, pairEnd, startOf, type AnyMap, type AnyPair, type AnySeq } from './nodes';
import { blockAt, blockLinesAt, flowKey, flowText, type Layout, type Plain } from './render';

const isInsert = (edit: TextEdit) => edit.start === edit.end;

/**
 * Applies non-overlapping edits. Inserts at one offset keep their order and go before a replacement starting there
 * (appending to one list right where the next key, being replaced, begins).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .sort(
      (a, b) => a.edit.start - b.edit.start || Number(isInsert(b.edit)) - Number(isInsert(a.edit)) || a.order - b.order,
    );
  let out = '';
  let cursor = 0;
  for (const { edit } of sorted) {
    if (edit.start < cursor || edit.end < edit.start) throw new RangeError('overlapping or inverted text edits');
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

/** The source text plus position helpers; builds edits without touching anything else. */
export class SourceEditor {
  readonly edits: TextEdit[] = [];
  private readonly insertParts = new Map<TextEdit, { column: number; dash: boolean; text: string }[]>();

  /** Edits are made in `text`; `shift` turns its offsets into the offsets of the file the edits apply to. */
  constructor(
    readonly text: string,
    readonly layout: Layout,
    private readonly shift = 0,
  ) {}

  lineStart(offset: number): number {
    return lineStartOf(this.text, offset);
  }

  column(offset: number): number {
    return columnOf(this.text, offset);
  }

  /** Start of the line after the one holding `offset` (or the end of the text). */
  nextLineStart(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const newline = this.text.indexOf('\n', offset);
    return newline < 0 ? this.text.length : newline + 1;
  }

  /**
   * Inserts text; inserts at one offset are merged into one edit. Whole lines are ordered by their indentation
   * (`column`): at one offset the deeper block goes first, and at equal depth sequence items before keys, so a
   * list's new items stay in the list when a sibling key is added right after it.
   */
  insert(offset: number, newText: string, column = Infinity): void {
    const at = offset + this.shift;
    const part = { column, dash: newText.trimStart().startsWith('-'), text: newText };
    const previous = this.edits.find((edit) => edit.start === at && edit.end === at);
    const parts = previous && this.insertParts.get(previous);
    if (!previous || !parts) {
      const edit = { start: at, end: at, newText };
      this.edits.push(edit);
      this.insertParts.set(edit, [part]);
      return;
    }
    const before = parts.findIndex(
      (other) => other.column < column || (other.column === column && part.dash && !other.dash),
    );
    parts.splice(before < 0 ? parts.length : before, 0, part);
    previous.newText = parts.map((other) => other.text).join('');
  }

  replace(start: number, end: number, newText: string): void {
    this.edits.push({ start: start + this.shift, end: end + this.shift, newText });
  }

  /** Inserts whole lines after the line holding `offset`, adding a line break at a text without a final one. */
  private insertLines(offset: number, lines: string): void {
    const at = this.nextLineStart(offset);
    const needsBreak = at === this.text.length && at > 0 && !this.text.endsWith('\n');
    this.insert(at, (needsBreak ? this.layout.eol : '') + lines, lines.search(/\S/));
  }

  private dashColumn(seq: AnySeq): number {
    const first = startOf(seq.items[0]);
    const dash = this.text.lastIndexOf('-', first);
    return this.column(dash < 0 ? first : dash);
  }

  appendToSeq(seq: AnySeq, items: Plain[]): void {
    if (seq.items.length > 0) this.insertAfterItem(seq, seq.items.length - 1, items);
    else if (seq.flow) this.insert(startOf(seq) + 1, this.flowItems(items));
  }

  /** Inserts items into a sequence right after its item at `index`. */
  insertAfterItem(seq: AnySeq, index: number, items: Plain[]): void {
    const item = seq.items[index];
    if (seq.flow) this.insert(contentEnd(item), ', ' + this.flowItems(items));
    else this.insertLines(contentEnd(item), blockLinesAt(items, this.dashColumn(seq), this.layout));
  }

  private flowItems(items: Plain[]): string {
    return items.map((item) => flowText(item, this.layout)).join(', ');
  }

  /** Adds `key: value` at the end of a map, or right after `after`. */
  addPair(map: AnyMap, key: string, value: Plain, after?: AnyPair): void {
    // The key holds something unexpected (a scalar where a list belongs): a second one would not parse.
    if (findPair(map, key)) throw new Error(`${key} exists already`);
    const anchor = after ?? map.items.at(-1);
    if (map.flow) {
      const text = `${flowKey(key, this.layout)}: ${flowText(value, this.layout)}`;
      if (anchor) this.insert(pairEnd(anchor), ', ' + text);
      else this.insert(startOf(map) + 1, text);
      return;
    }
    const column = this.column(startOf(map.items[0]?.key));
    this.insertLines(anchor ? pairEnd(anchor) : contentEnd(map), blockLinesAt({ [key]: value }, column, this.layout));
  }

  /** Comments inside text an edit removes, found by the yaml lexer (a `#` in a scalar is not one). */
  private commentsIn(start: number, end: number): string[] {
    const slice = this.text.slice(start, end);
    if (!slice.includes('#')) return [];
    return [...new Lexer().lex(slice)].filter((token) => token.startsWith('#')).map((token) => token.trimEnd());
  }

  /**
   * Replaces a whole pair (key and value) with another, rendered in the parent's style. Comments of the old
   * block move to the end of the new one (block style only: in flow style a comment would swallow the line).
   */
  replacePair(pair: AnyPair, parentIsFlow: boolean | undefined, key: string, value: Plain): void {
    const start = startOf(pair.key);
    const end = pairEnd(pair);
    if (parentIsFlow) {
      this.replace(start, end, `${flowKey(key, this.layout)}: ${flowText(value, this.layout)}`);
      return;
    }
    const comments = this.commentsIn(start, end);
    const block = blockAt({ [key]: value }, this.column(start), this.layout);
    // An empty value ends right before a comment: the new value must not run into it.
    const gap = this.text[end] === '#' ? ' ' : '';
    this.replace(start, end, comments.length > 0 ? `${block} ${comments.join(' ')}` : block + gap);
  }

  /** Replaces a scalar, keeping its quote style when both old and new values are strings. */
  replaceScalar(node: unknown, value: Plain): void {
    const start = startOf(node);
    const quote = this.text[start];
    const quoted = typeof value === 'string' && (quote === '"' || quote === "'");
    this.replace(start, contentEnd(node), quoted ? quote + value + quote : flowText(value, this.layout));
  }

  /** Adds a whole `---` document after the one whose contents are given. */
  insertDocumentAfter(contents: unknown, value: Plain): void {
    this.insertLines(contentEnd(contents), '---' + this.layout.eol + blockLinesAt(value, 0, this.layout));
  }

  /** Removes one item of a sequence or one pair of a map, with its line(s) in block style. */
  removeElement(collection: AnyMap | AnySeq, index: number): boolean {
    const elements: unknown[] = collection.items;
    const element = elements[index];
    const isPair = isMap(collection);
    const start = isPair ? startOf((element as AnyPair).key) : startOf(element);
    const end = isPair ? pairEnd(element as AnyPair) : contentEnd(element);
    const startOfNext = (i: number) => (isPair ? startOf((elements[i] as AnyPair).key) : startOf(elements[i]));
    const endOfPrevious = (i: number) => (isPair ? pairEnd(elements[i] as AnyPair) : contentEnd(elements[i]));
    if (collection.flow) {
      if (index + 1 < elements.length) this.replace(start, startOfNext(index + 1), '');
      else if (index > 0) this.replace(endOfPrevious(index - 1), end, '');
      else this.replace(start, end, '');
      return true;
    }
    const indicator = isPair ? start : this.text.lastIndexOf('-', start);
    const lineStart = this.lineStart(indicator);
    if (isPair && index === 0 && elements.length > 1 && /^ *-[ -]*$/.test(this.text.slice(lineStart, indicator))) {
      // The pair opens a sequence item (`- envFrom:`): the next pair moves up behind the dash.
      const comments = this.commentLines(lineStart, start, startOfNext(1));
      if (comments) this.insert(lineStart, comments);
      this.replace(start, startOfNext(1), '');
      return true;
    }
    if (this.text.slice(lineStart, indicator).trim() !== '') return false;
    // Its comments stay, as comment lines where the element was.
    this.replace(lineStart, this.nextLineStart(end), this.commentLines(lineStart, indicator, end));
    return true;
  }

  /** Comments of removed text [start, end) as whole lines, indented like the line at `lineStart`. */
  private commentLines(lineStart: number, start: number, end: number): string {
    const indent = ' '.repeat(this.text.slice(lineStart).search(/\S/));
    return this.commentsIn(start, end)
      .map((comment) => indent + comment + this.layout.eol)
      .join('');
  }
}
