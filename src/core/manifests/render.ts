// Renders the small YAML fragments that fixes insert, in the file's own layout (indent, sequence style, EOL).
import { stringify } from 'yaml';

/** Scalar source text copied as written (e.g. `0440`, octal for Kubernetes' YAML 1.1 reader). */
export class RawScalar {
  constructor(readonly source: string) {}
}

export type Plain = string | number | boolean | RawScalar | Plain[] | { [key: string]: Plain };

export interface Layout {
  /** Spaces per nesting level of block maps. */
  indent: number;
  /** Spaces between a key and the `-` of its block sequence: 0 (flush, kubectl style) or `indent`. */
  seqIndent: number;
  /** Spaces after a sequence's `-` (1 in `- a`, 3 in `-   a`). */
  dashGap: number;
  eol: '\n' | '\r\n';
  /** `{ a: b }` rather than `{a: b}`. */
  flowPadding: boolean;
  /** The document is JSON: flow text is written as JSON (quoted keys and strings) so it stays JSON. */
  json?: boolean;
}

export function detectEol(text: string): '\n' | '\r\n' {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

// Names, paths and keys that read back as the same string in YAML 1.1 and 1.2 need no quotes.
const SAFE_PLAIN = /^[A-Za-z_/][\w./-]*$/;
const AMBIGUOUS = /^(y|yes|n|no|true|false|on|off|null)$/i;

function scalar(value: string | number | boolean | RawScalar): string {
  if (value instanceof RawScalar) return value.source;
  if (typeof value !== 'string') return String(value);
  if (SAFE_PLAIN.test(value) && !AMBIGUOUS.test(value)) return value;
  // Anything else: the yaml library decides the quoting.
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

const isCollection = (value: Plain): value is Plain[] | { [key: string]: Plain } =>
  typeof value === 'object' && !(value instanceof RawScalar);

/** Block lines of a value, unindented. */
export function blockLines(value: Plain, layout: Layout): string[] {
  if (!isCollection(value)) return [scalar(value)];
  if (Array.isArray(value)) {
    const dash = '-'.padEnd(layout.dashGap + 1);
    const under = ' '.repeat(dash.length);
    return value.flatMap((item) => blockLines(item, layout).map((line, i) => (i === 0 ? dash : under) + line));
  }
  return Object.entries(value).flatMap(([key, child]) => {
    if (!isCollection(child)) return [`${scalar(key)}: ${scalar(child)}`];
    const pad = ' '.repeat(Array.isArray(child) ? layout.seqIndent : layout.indent);
    return [`${scalar(key)}:`, ...blockLines(child, layout).map((line) => pad + line)];
  });
}

export function flowText(value: Plain, layout: Layout): string {
  if (!isCollection(value)) return layout.json && typeof value === 'string' ? JSON.stringify(value) : scalar(value);
  const pad = layout.flowPadding ? ' ' : '';
  if (Array.isArray(value)) return `[${pad}${value.map((item) => flowText(item, layout)).join(', ')}${pad}]`;
  const pairs = Object.entries(value).map(([key, child]) => `${flowKey(key, layout)}: ${flowText(child, layout)}`);
  return `{${pad}${pairs.join(', ')}${pad}}`;
}

/** A key in flow text: quoted in a JSON document. */
export const flowKey = (key: string, layout: Layout): string => (layout.json ? JSON.stringify(key) : scalar(key));

/** Block text placed at `column`: the first line is not indented (it continues the current line). */
export function blockAt(value: Plain, column: number, layout: Layout): string {
  return blockLines(value, layout).join(layout.eol + ' '.repeat(column));
}

/** Whole indented lines, each ending with the file's EOL. */
export function blockLinesAt(value: Plain, column: number, layout: Layout): string {
  return blockLines(value, layout)
    .map((line) => ' '.repeat(column) + line + layout.eol)
    .join('');
}
