// What is wrong with a text before any rule runs: YAML syntax, aliases without anchors; and Helm template text.
import { visit, type Document } from 'yaml';
import { aliasTarget, mayHoldAlias, nodeRange } from './nodes';
import { duplicateKeys } from './reading';
import type { ParseProblem } from './types';

/** Helm templates: `{{ … }}` actions anywhere, or a chart's templates/ folder. */
export function isTemplate(text: string, fileName?: string): boolean {
  return text.includes('{{') || /(^|[\\/])templates[\\/]/.test(fileName ?? '');
}

/**
 * What a template action inside a value becomes: a private-use character, one per character of the action, so offsets
 * still match the real text and the value reads as *unknown* (`isTemplated`), never as absent or as mangled text.
 */
export const TEMPLATE_MARK = '\uE000';

/**
 * A value a template engine fills in: a masked Helm action, `{{ … }}` in text read without masking, `${…}` (envsubst,
 * Flux post-build substitution). Nothing can be concluded from it, and it is never shown in a message.
 */
export const isTemplated = (value: string | undefined): boolean =>
  value !== undefined && (value.includes(TEMPLATE_MARK) || value.includes('{{') || value.includes('${'));

const ACTION = /\{\{[\s\S]*?\}\}/g;
// Only blanks and other actions around it on its line(s).
const ONLY_ACTIONS = /^[ \t\r]*(?:\{\{[\s\S]*?\}\}[ \t\r]*)*$/;

/**
 * Template actions masked, offsets kept. An action alone on its line (`{{- if … }}`, `{{- include … | nindent 8 }}`)
 * becomes spaces, so the YAML around it keeps its shape; an action inside a value becomes TEMPLATE_MARKs.
 */
export function maskTemplateActions(text: string): string {
  return text.replace(ACTION, (action: string, offset: number) => {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const lineEnd = text.indexOf('\n', offset + action.length);
    const alone =
      ONLY_ACTIONS.test(text.slice(lineStart, offset)) &&
      ONLY_ACTIONS.test(text.slice(offset + action.length, lineEnd < 0 ? text.length : lineEnd));
    return action.replace(/[^\r\n]/g, alone ? ' ' : TEMPLATE_MARK);
  });
}

/** A standalone template action that writes text: it may put keys the linter cannot see into the map around it. */
export interface Injection {
  offset: number;
  /** The column its output lands at: `nindent N` / `indent N`, else where the action is written. */
  column: number;
}

// Standalone actions that are not control flow, comments or variable assignments.
const OUTPUT_ACTION =
  /^([ \t]*)\{\{(?!-?\s*(?:(?:if|else|end|with|range|define|block|break|continue)\b|\/\*|\$\w*\s*:?=))[^\n]*?\}\}[ \t\r]*$/gm;

/** Every standalone output action of a template, in text order; computed once per file. */
export function templateInjections(text: string): Injection[] {
  const injections: Injection[] = [];
  for (const match of text.matchAll(OUTPUT_ACTION)) {
    const indent = /\bn?indent\s+(\d+)/.exec(match[0]);
    injections.push({ offset: match.index, column: indent ? Number(indent[1]) : match[1].length });
  }
  return injections;
}

/** Syntax errors, and aliases without an anchor (the yaml library accepts them; Kubernetes rejects the file). */
export function documentProblems(text: string, doc: Document): ParseProblem[] {
  const problems: ParseProblem[] = doc.errors.map((error) => ({
    start: error.pos[0],
    end: error.pos[1],
    // Without the parser's "at line N, column M": it counts from where the parse began, and the problem's own range
    // places it (the editor's squiggle, the CLI's file:line:column).
    message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
  }));
  if (doc.errors.length === 0) problems.push(...duplicateKeys(doc));
  if (!mayHoldAlias(text, doc)) return problems;
  visit(doc, {
    Alias(_key, alias) {
      if (aliasTarget(doc, alias) !== undefined) return;
      const message = `Unknown alias *${alias.source}: no anchor &${alias.source} comes before it in this document`;
      problems.push({ ...nodeRange(alias), message });
    },
  });
  return problems;
}
