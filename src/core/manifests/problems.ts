// What is wrong with a text before any rule runs: YAML syntax, aliases without anchors; and Helm template text.
import { visit, type Document } from 'yaml';
import { aliasTarget, nodeRange } from './nodes';
import type { ParseProblem } from './types';

/** Helm templates: `{{ … }}` actions anywhere, or a chart's templates/ folder. */
export function isTemplate(text: string, fileName?: string): boolean {
  return text.includes('{{') || /(^|[\\/])templates[\\/]/.test(fileName ?? '');
}

// Template actions become spaces (line breaks kept) so offsets still match the real text.
export const maskTemplateActions = (text: string) =>
  text.replace(/\{\{[\s\S]*?\}\}/g, (action) => action.replace(/[^\r\n]/g, ' '));

// `*name` where an alias can start (a `*` inside a scalar such as a cron schedule is not followed by a name).
const ALIAS = /(?:^|[\s[{,])\*[^\s[\]{},]/;

/** Syntax errors, and aliases without an anchor (the yaml library accepts them; Kubernetes rejects the file). */
export function documentProblems(text: string, doc: Document): ParseProblem[] {
  const problems = doc.errors.map((error) => ({
    start: error.pos[0],
    end: error.pos[1],
    // Without the parser's "at line N, column M": it counts from where the parse began, and the problem's own range
    // places it (the editor's squiggle, the CLI's file:line:column).
    message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
  }));
  const [start, , end] = doc.range ?? [0, 0, text.length];
  const star = text.indexOf('*', start);
  if (star < 0 || star >= end || !ALIAS.test(text.slice(start, end))) return problems;
  visit(doc, {
    Alias(_key, alias) {
      if (aliasTarget(doc, alias) !== undefined) return;
      const message = `Unknown alias *${alias.source}: no anchor &${alias.source} comes before it in this document`;
      problems.push({ ...nodeRange(alias), message });
    },
  });
  return problems;
}

/** A value a template engine fills in (`{{ … }}`, `${…}`): it proves nothing about what will be applied. */
export const isTemplated = (value: string): boolean => value.includes('{{') || value.includes('${');
