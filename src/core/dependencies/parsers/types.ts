// What every dependency file parser returns: the client-library dependencies it declares, with their text span.
import type { Ecosystem } from '../libraries';
import { clientLibrary } from '../libraries';
import type { VersionSpec } from '../versions';

export interface DependencyEntry {
  ecosystem: Ecosystem;
  name: string;
  spec: VersionSpec;
  /** UTF-16 offsets of the version (or the dependency line) in the file. */
  start: number;
  end: number;
}

/** Only client libraries matter: parsers skip every other package early. */
export const isClientLibrary = (ecosystem: Ecosystem, name: string): boolean =>
  clientLibrary(ecosystem, name) !== undefined;

/** Where `needle` (text or a pattern) first occurs at or after `from`; the span is the needle's, or its group 1. */
export function find(text: string, needle: string | RegExp, from = 0): { start: number; end: number } | undefined {
  if (typeof needle === 'string') {
    const at = text.indexOf(needle, from);
    return at < 0 ? undefined : { start: at, end: at + needle.length };
  }
  const pattern = new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : `${needle.flags}g`);
  pattern.lastIndex = from;
  const found = pattern.exec(text);
  if (!found) return undefined;
  const inner = found[1] === undefined ? 0 : found[0].indexOf(found[1]);
  const start = found.index + inner;
  return { start, end: start + (found[1] ?? found[0]).length };
}

/** The span of `then` after `first` (e.g. a version line after its package's name line); the file start if lost. */
export function findAfter(text: string, first: string | RegExp, then: string | RegExp): { start: number; end: number } {
  const anchor = find(text, first);
  return (anchor && find(text, then, anchor.end)) ?? anchor ?? { start: 0, end: 0 };
}

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Offsets of each line: [start, end) without the line break. */
export function* lines(text: string): Generator<{ line: string; start: number }> {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    yield { line, start };
    start = end + 1;
  }
}
