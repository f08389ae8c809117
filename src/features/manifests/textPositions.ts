// Offsets ↔ line/character for text that is not open in an editor, and the smallest edit between two texts.
// No vscode import: unit-tested.
import type { TextEdit } from '../../core/manifests/types';

export interface LinePosition {
  line: number;
  character: number;
}

/** Line starts computed once, so many offsets map in O(log lines) each. Lines end at \n (\r\n keeps \r in the line). */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
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
