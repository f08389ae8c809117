// Reading YAML as Kubernetes does: what kubectl (go-yaml) accepts is read, not reported as a syntax error.
import { isMap, isScalar, parseAllDocuments, Parser, visit, type Document } from 'yaml';
import type { ParseProblem } from './types';

/** Documents read from text with multi-line quoted scalars relaxed (see `relaxQuotedScalars`): read-only. */
const relaxed = new WeakSet<Document>();

export const isRelaxed = (doc: Document): boolean => relaxed.has(doc);

/**
 * Kubernetes parses YAML 1.1: `<<` merge keys are allowed, also several in one map. Duplicate keys are kept (the last
 * wins, as in Kubernetes; `duplicateKeys` reports them). A text the strict parse rejects only because a multi-line
 * quoted scalar's lines are indented less than YAML 1.2 asks (go-yaml accepts that) is read relaxed.
 */
// logLevel: the library's warnings (e.g. a Helm action read as a map key, turned into JS) would go to stderr.
const OPTIONS = { merge: true, uniqueKeys: false, logLevel: 'error' } as const;

export function readDocuments(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, OPTIONS);
  // Only a quoted scalar cut short is read again.
  if (!docs.some((doc) => doc.errors.some((error) => error.message.includes('quote')))) return docs;
  const relaxedText = relaxQuotedScalars(text);
  if (relaxedText === undefined) return docs;
  const retry = parseAllDocuments(relaxedText, OPTIONS);
  const errors = (list: Document.Parsed[]) => list.reduce((sum, doc) => sum + doc.errors.length, 0);
  if (errors(retry) >= errors(docs)) return docs;
  for (const doc of retry) relaxed.add(doc);
  return retry;
}

const MAX_RELAX_ROUNDS = 32;

/**
 * The text with the line breaks inside each under-indented multi-line quoted scalar turned into spaces: same length
 * (node offsets stay valid for the real text), and the value folds the same way (a single line break folds to a
 * space). Undefined when there is no such scalar.
 */
export function relaxQuotedScalars(text: string): string | undefined {
  let current = text;
  for (let round = 0; round < MAX_RELAX_ROUNDS; round++) {
    const cut = firstCutQuotedScalar(current);
    if (!cut) break;
    current =
      current.slice(0, cut.start) + current.slice(cut.start, cut.end).replace(/[\r\n]/g, ' ') + current.slice(cut.end);
  }
  return current === text ? undefined : current;
}

/** A quoted scalar the strict lexer ended before its closing quote (a line indented too little). */
function firstCutQuotedScalar(text: string): { start: number; end: number } | undefined {
  // An explicit stack: the concrete syntax tree of hostile input can be deeper than the call stack.
  const stack: unknown[] = [...new Parser().parse(text)].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    const token = node as CstNode;
    if (
      (token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar') &&
      typeof token.offset === 'number' &&
      typeof token.source === 'string'
    ) {
      const close = closingQuote(text, token.offset);
      if (close !== undefined && close >= token.offset + token.source.length)
        return { start: token.offset, end: close };
      continue;
    }
    for (const key of ['end', 'value', 'sep', 'key', 'start', 'items']) {
      const child = token[key];
      if (Array.isArray(child)) for (let i = child.length - 1; i >= 0; i--) stack.push(child[i]);
      else if (child) stack.push(child);
    }
  }
  return undefined;
}

type CstNode = { type?: string; offset?: number; source?: string } & Record<string, unknown>;

/** Offset of the quote closing the quoted scalar that opens at `start` (`''` and `\"` escape), or undefined. */
function closingQuote(text: string, start: number): number | undefined {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return undefined;
}

/** Keys given twice in one map: a warning (Kubernetes takes the last), the document is still linted. */
export function duplicateKeys(doc: Document): ParseProblem[] {
  const problems: ParseProblem[] = [];
  visit(doc, {
    Map(_key, map) {
      if (map.items.length < 2 || !isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
        const name = pair.key.value;
        if (seen.has(name)) {
          const [start, end] = pair.key.range ?? [0, 0];
          problems.push({
            start,
            end,
            severity: 'warning',
            message: 'Duplicate key: Kubernetes uses the last one (no automatic fix in this document)',
          });
        }
        seen.add(name);
      }
    },
  });
  return problems;
}
