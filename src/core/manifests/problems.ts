// What is wrong with a text before any rule runs: YAML syntax, aliases without anchors; and Helm template text.
import { visit, type Document } from 'yaml';
import { aliasTarget, mayHoldAlias, nodeRange } from './nodes';
import type { ParseProblem } from './types';

/** Helm templates: `{{ … }}` actions anywhere, or a chart's templates/ folder. */
export function isTemplate(text: string, fileName?: string): boolean {
  return text.includes('{{') || /(^|[\\/])templates[\\/]/.test(fileName ?? '');
}

// Template actions become spaces (line breaks kept) so offsets still match the real text.
export const maskTemplateActions = (text: string) =>
  text.replace(/\{\{[\s\S]*?\}\}/g, (action) => action.replace(/[^\r\n]/g, ' '));

/** Syntax errors, and aliases without an anchor (the yaml library accepts them; Kubernetes rejects the file). */
export function documentProblems(text: string, doc: Document): ParseProblem[] {
  const problems = doc.errors.map((error) => ({
    start: error.pos[0],
    end: error.pos[1],
    // Without the parser's "at line N, column M": it counts from where the parse began, and the problem's own range
    // places it (the editor's squiggle, the CLI's file:line:column).
    message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
  }));
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

/** A value a template engine fills in (`{{ … }}`, `${…}`): it proves nothing about what will be applied. */
export const isTemplated = (value: string): boolean => value.includes('{{') || value.includes('${');
