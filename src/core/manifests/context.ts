// What a rule sees: the parsed document, the index, fix settings, and a way to report findings.
import { isMap, isSeq, type Document } from 'yaml';
import { columnOf } from '../text';
import { SourceEditor } from './edits';
import { contentEnd, startOf, type AnyMap, type AnyPair } from './nodes';
import type { KubeObject, PodSpec } from './objects';
import type { Injection } from './problems';
import type { Layout } from './render';
import type { IndexLookup } from './workspace';
import type { FixKind, ManifestFinding, ManifestFix, ObjectRef, RuleId, Severity } from './types';

export interface ResolvedFixOptions {
  expirationSeconds: number;
  mountPath: string;
  audience?: string;
}

/** A ServiceAccount object of the linted file, so fixes can edit it. */
export interface LocalServiceAccount extends EditTarget {
  doc: Document;
  object: KubeObject;
}

/** Text that node ranges refer to, and what turns its offsets into offsets of the linted file. */
export interface EditTarget {
  text: string;
  shift: number;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  /** Computed only when someone asks (the editor, fix-all, the CLI's `fixable`): most lints never do. */
  fixes?: () => (ManifestFix | undefined)[];
  subject?: ManifestFinding['subject'];
}

export interface RuleContext extends EditTarget {
  doc: Document;
  eol: '\n' | '\r\n';
  /** A Helm template: messages point to the chart's values (its fixes are dropped). */
  template: boolean;
  /** Standalone output actions of a template (empty otherwise): maps they land in may hold unseen keys. */
  injections: readonly Injection[];
  /** A Kustomize patch: it holds only what it changes, a missing field proves nothing. */
  patch: boolean;
  fix: ResolvedFixOptions;
  lookup: IndexLookup;
  localServiceAccounts: LocalServiceAccount[];
  report(object: KubeObject, finding: Finding): void;
}

const layouts = new WeakMap<object, Layout>();

/** An editor in the layout of the pod (or document) being linted, over `target` (default: that document's text). */
export function newEditor(ctx: RuleContext, pod?: PodSpec, target: EditTarget = ctx): SourceEditor {
  const owner = pod ?? ctx.doc;
  let layout = layouts.get(owner);
  if (!layout) layouts.set(owner, (layout = detectLayout(ctx, pod)));
  return new SourceEditor(target.text, layout, target.shift);
}

/** Indentation of the file as written: map indent from the first nested block map, sequence style from containers. */
export function detectLayout(ctx: Pick<RuleContext, 'text' | 'doc' | 'eol'>, pod?: PodSpec): Layout {
  const column = (offset: number) => columnOf(ctx.text, offset);
  const nested = pod && !pod.map.flow ? pod.pair : firstNestedPair(ctx.doc);
  const child = nested && isMap(nested.value) ? (nested.value as AnyMap).items[0] : undefined;
  const indent = nested && child ? column(startOf(child.key)) - column(startOf(nested.key)) : 2;
  let seqIndent = indent > 0 ? indent : 2;
  let dashGap = 1;
  const containers = pod?.map.items.find(
    (pair) => isSeq(pair.value) && !pair.value.flow && pair.value.items.length > 0,
  );
  if (containers && isSeq(containers.value)) {
    const dash = ctx.text.lastIndexOf('-', startOf(containers.value.items[0]));
    seqIndent = Math.max(0, column(dash) - column(startOf(containers.key)));
    dashGap = Math.max(1, startOf(containers.value.items[0]) - dash - 1);
  }
  const brace = ctx.text.indexOf('{', startOf(ctx.doc.contents));
  const inDocument = brace >= 0 && brace < contentEnd(ctx.doc.contents);
  return {
    indent: indent > 0 ? indent : 2,
    seqIndent,
    dashGap,
    eol: ctx.eol,
    flowPadding: inDocument && ctx.text[brace + 1] === ' ',
    json: isJsonDocument(ctx),
  };
}

function firstNestedPair(doc: Document): AnyPair | undefined {
  if (!isMap(doc.contents)) return undefined;
  return (doc.contents as AnyMap).items.find(
    (pair) => isMap(pair.value) && !pair.value.flow && pair.value.items.length > 0,
  );
}

export function objectRef(object: KubeObject, name: string): ObjectRef {
  return object.namespace === undefined ? { name } : { name, namespace: object.namespace };
}

/** Why a finding on shared text comes without a fix (the sentence `sharedNote` appends). */
export const SHARED_TEXT_NO_FIX =
  'No automatic fix: this text is shared through a YAML anchor (used by an alias or a << merge key), so an edit ' +
  'would change every place that uses it; edit it by hand.';

/** Why a Helm template's finding comes without a fix (the sentence SAT001 appends). */
export const TEMPLATE_NO_FIX = "This is a Helm template: change the chart's values or templates (no automatic fix).";

/** Why a finding on shared text comes without a fix. */
export function sharedNote(message: string, shared: boolean): string {
  return shared ? `${message} ${SHARED_TEXT_NO_FIX}` : message;
}

export function fixOf(editor: SourceEditor, title: string, kind: FixKind = 'migration', detail?: string): ManifestFix {
  return detail === undefined ? { title, kind, edits: editor.edits } : { title, detail, kind, edits: editor.edits };
}

/**
 * The map may hold keys this text does not show: in a Kustomize patch (the base has the rest), or in a template where
 * a standalone action (`{{- include … | nindent 6 }}`) writes at the map's column. `from`: where the map's owner
 * key starts (by default the line after the last line above the map that is neither blank nor a template action).
 */
export function mayHoldUnseenKeys(ctx: RuleContext, map: AnyMap, from?: number): boolean {
  if (ctx.patch) return true;
  if (ctx.injections.length === 0 || map.items.length === 0) return false;
  const first = startOf(map.items[0].key);
  from ??= ownerLineEnd(ctx.text, first);
  const column = first - ctx.text.lastIndexOf('\n', first - 1) - 1;
  // The map's lines, and after them the lines that are blank or template actions (the map goes on through them).
  let end = contentEnd(map);
  for (let next = ctx.text.indexOf('\n', end); next >= 0; next = ctx.text.indexOf('\n', next + 1)) {
    const line = /^([ \t]*)(\S?.*)$/.exec(ctx.text.slice(next + 1, ctx.text.indexOf('\n', next + 1) >>> 0))!;
    if (line[2] !== '' && !line[2].startsWith('{{') && line[1].length < column) break;
    end = next + 1 + line[0].length;
  }
  return ctx.injections.some(
    (injection) => injection.offset >= from && injection.offset < end && injection.column === column,
  );
}

/** Where the lines a map's first key (at `first`) may be preceded by (blank, template actions) begin. */
function ownerLineEnd(text: string, first: number): number {
  let lineStart = text.lastIndexOf('\n', first - 1) + 1;
  while (lineStart > 0) {
    const previous = text.lastIndexOf('\n', lineStart - 2) + 1;
    const line = text.slice(previous, lineStart - 1).trim();
    if (line !== '' && !line.startsWith('{{')) break;
    lineStart = previous;
  }
  return lineStart;
}

/** A JSON document (a flow map whose keys are double-quoted): fixes keep it JSON, or offer nothing. */
export function isJsonDocument(ctx: Pick<RuleContext, 'text' | 'doc'>): boolean {
  const root = ctx.doc.contents;
  if (!isMap(root) || !root.flow) return false;
  const key = (root as AnyMap).items[0]?.key;
  return key !== undefined && ctx.text[startOf(key)] === '"';
}
