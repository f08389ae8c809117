// A stretch of a manifest file with its parsed documents: what fix-all re-parses and re-lints after an edit,
// while the other documents keep their parse.
import type { Document } from 'yaml';
import { documentProblems, maskTemplateActions, templateInjections, type Injection } from './problems';
import { parseYaml } from './nodes';
import { objectsOf, type KubeObject } from './objects';
import type { ParseProblem } from './types';

export interface Segment {
  /** The text the documents' ranges refer to; this segment is its part [start, end). */
  text: string;
  start: number;
  end: number;
  /** Added to an offset in `text`, gives the offset in the whole file. */
  shift: number;
  docs: Document.Parsed[];
  objects: KubeObject[][];
  /** Per document, offsets in `text`. */
  problems: ParseProblem[][];
  /** A template's standalone output actions, offsets in `text`. */
  injections: readonly Injection[];
}

/** Parses a whole text (Helm template actions masked, offsets kept). */
export function parseSegment(text: string, template: boolean, shift = 0): Segment {
  const docs = parseYaml(template ? maskTemplateActions(text) : text);
  return {
    text,
    start: 0,
    end: text.length,
    shift,
    docs,
    objects: docs.map(objectsOf),
    problems: docs.map((doc) => documentProblems(text, doc)),
    injections: template ? templateInjections(text) : [],
  };
}

/**
 * One segment per document, cut where each next document's `---` line starts (comments before it stay with the
 * document above, as the parser has them). Left whole where a cut would change the parse: directives bind to the
 * next document, and a cut must fall at a line start.
 */
export function splitSegment(segment: Segment): Segment[] {
  const { docs, text } = segment;
  if (docs.length < 2 || /^%/m.test(text.slice(segment.start, segment.end))) return [segment];
  const cuts = [segment.start, ...docs.slice(1).map((doc) => doc.range[0]), segment.end];
  if (cuts.slice(1, -1).some((cut) => text[cut - 1] !== '\n')) return [segment];
  return docs.map((doc, i) => ({
    ...segment,
    start: cuts[i],
    end: cuts[i + 1],
    docs: [doc],
    objects: [segment.objects[i]],
    problems: [segment.problems[i]],
  }));
}

export const segmentText = (segment: Segment) => segment.text.slice(segment.start, segment.end);
