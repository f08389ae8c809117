// Positions in text: offset → line/column for text that is not open in an editor (the CLI, workspace-wide edits),
// the column of an offset, and the smallest edit between two texts. Offsets are UTF-16 code units, as everywhere.
import type { TextEdit } from './manifests/types';

/** Start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** 0-based column of `offset` within its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

export interface LinePosition {
  line: number;
  character: number;
}

/** Line starts computed once, so many offsets map in O(log lines) each. Lines end at \n (\r\n keeps \r in the line). */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  private readonly bom: boolean;

  constructor(text: string) {
    this.bom = text.startsWith('\uFEFF');
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      this.lineStarts.push(index + 1);
    }
  }

  positionAt(offset: number): LinePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - this.lineStarts[low]! };
  }

  /** 1-based line and column as compilers and SARIF print them; a BOM does not count as a column. */
  lineColumn(offset: number): { line: number; column: number } {
    const { line, character } = this.positionAt(offset);
    const bom = line === 0 && this.bom && offset > 0 ? 1 : 0;
    return { line: line + 1, column: character + 1 - bom };
  }
}

/**
 * One edit that turns `before` into `after`, trimmed to the changed middle so that cursors, folding and undo outside
 * the change are undisturbed. Undefined when nothing changed.
 */
export function minimalReplacement(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair or a CRLF in either text: widen the edit instead.
  while (prefix > 0 && (isLowHalf(before, prefix) || isLowHalf(after, prefix))) prefix--;
  while (suffix > 0 && (isLowHalf(before, before.length - suffix) || isLowHalf(after, after.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, newText: after.slice(prefix, after.length - suffix) };
}

/** Whether the cut at `index` falls between the two halves of a surrogate pair or of a CRLF. */
function isLowHalf(text: string, index: number): boolean {
  const previous = text.charCodeAt(index - 1);
  const next = text.charCodeAt(index);
  return (
    (previous >= 0xd800 && previous <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) || (previous === 13 && next === 10)
  );
}
