// What a rule sees: the parsed document, the index, fix settings, and a way to report findings.
import { isMap, isSeq, type Document } from 'yaml';
import { columnOf } from '../text';
import { SourceEditor } from './edits';
import { contentEnd, startOf, type AnyMap, type AnyPair } from './nodes';
import type { KubeObject, PodSpec } from './objects';
import type { Layout } from './render';
import type { IndexLookup } from './workspace';
import type { ManifestFinding, ManifestFix, ObjectRef, RuleId, Severity } from './types';

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

/** Why a finding on shared text comes without a fix. */
export function sharedNote(message: string, shared: boolean): string {
  return shared
    ? `${message} No automatic fix: this text is shared through a YAML anchor (used by an alias or a << merge key), ` +
        'so an edit would change every place that uses it; edit it by hand.'
    : message;
}

export function fixOf(editor: SourceEditor, title: string): ManifestFix {
  return { title, edits: editor.edits };
}
