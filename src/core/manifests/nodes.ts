// Small read helpers over `yaml` nodes: typed lookups, alias resolution and source positions.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
  YAMLParseError,
} from 'yaml';
import { aliasingProblem } from './aliasing';
import { readDocuments } from './reading';

export type AnyMap = YAMLMap<unknown, unknown>;
export type AnySeq = YAMLSeq<unknown>;
export type AnyPair = Pair<unknown, unknown>;

/**
 * A value found by a lookup. `aliased` when its text is shared: reached through `*alias`, or carrying an `&anchor`
 * that aliases elsewhere may repeat. Edits there would change other places too, so fixes skip such nodes.
 */
export interface Found<T> {
  node: T;
  aliased: boolean;
}

export function deref(doc: Document, node: unknown): Found<unknown> {
  if (!isAlias(node)) return { node, aliased: Boolean((node as { anchor?: string } | null)?.anchor) };
  return { node: aliasTarget(doc, node), aliased: true };
}

// `Alias.resolve(doc)` walks the whole document on every call: linting thousands of aliases was quadratic.
const aliasTargets = new WeakMap<Document, Map<Alias, Node | undefined>>();

/**
 * The node an alias stands for, as `Alias.resolve` finds it (the last `&anchor` of that name before the alias, in
 * document order), from a map built in one walk of the document; undefined when no anchor comes before it.
 */
export function aliasTarget(doc: Document, alias: Alias): Node | undefined {
  let targets = aliasTargets.get(doc);
  if (!targets) aliasTargets.set(doc, (targets = mapAliases(doc)));
  return targets.get(alias);
}

function mapAliases(doc: Document): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

export function keyName(pair: AnyPair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}

/** The pair for `key`; with a duplicate key, the last one (which Kubernetes uses). */
export function findPair(map: AnyMap, key: string): AnyPair | undefined {
  let found: AnyPair | undefined;
  for (const pair of map.items) if (keyName(pair) === key) found = pair;
  return found;
}

/**
 * The documents of a text, read as Kubernetes reads them (reading.ts: merge keys, duplicate keys, relaxed quoted
 * scalars). A document Kubernetes refuses for its aliases (aliasing.ts) keeps the error and loses its contents:
 * nothing reads an alias bomb.
 */
export function parseYaml(text: string): Document.Parsed[] {
  const docs = readDocuments(text);
  for (const doc of docs) {
    if (!mayHoldAlias(text, doc)) continue;
    const problem = aliasingProblem(doc, (alias) => aliasTarget(doc, alias), isMergeKeyNode);
    if (!problem) continue;
    const name = problem.alias.source;
    doc.errors.push(
      new YAMLParseError(
        [startOf(problem.alias), contentEnd(problem.alias)],
        'RESOURCE_EXHAUSTION',
        problem.reason === 'cycle'
          ? `Alias *${name} is inside its own anchor: Kubernetes refuses the document ("anchor '${name}' value contains itself"); it is not checked`
          : `Excessive aliasing: expanding *${name} here makes the document too large; Kubernetes refuses it ("document contains excessive aliasing") and it is not checked`,
      ),
    );
    doc.contents = null;
  }
  return docs;
}

/**
 * The documents of a manifest text as plain data, read with parseYaml (so an alias bomb is refused as Kubernetes
 * refuses it, never expanded). A document that cannot be read is left out; `skipped` says why, one line each.
 */
export function parseYamlValues(text: string): { values: unknown[]; skipped: string[] } {
  const values: unknown[] = [];
  const skipped: string[] = [];
  for (const doc of parseYaml(text)) {
    const read = documentValue(doc);
    if ('value' in read) values.push(read.value);
    else skipped.push(read.skipped);
  }
  return { values, skipped };
}

/** One document of parseYaml as plain data, or why it is not read: its first error, a cycle, nesting too deep. */
export function documentValue(doc: Document.Parsed): { value: unknown } | { skipped: string } {
  const [error] = doc.errors;
  // An alias bomb is valid YAML that Kubernetes refuses; its message says so.
  if (error)
    return {
      skipped: `${error.code === 'RESOURCE_EXHAUSTION' ? '' : 'not valid YAML: '}${error.message.split('\n')[0]}`,
    };
  return nodeValue(doc, doc.contents);
}

/** One node of a parseYaml document as plain data (documentValue's reading), or why it cannot be read. */
export function nodeValue(doc: Document, node: unknown): { value: unknown } | { skipped: string } {
  try {
    return { value: plainValue(doc, node, { anchored: new Map(), building: new Set() }) };
  } catch (error) {
    if (error instanceof AliasCycle) return { skipped: error.message };
    // The call stack ran out: hostile nesting.
    if (error instanceof RangeError) return { skipped: 'nested too deeply to read' };
    throw error;
  }
}

/**
 * A node as plain data, as yaml's `toJS` builds it (merge keys applied: the map's own keys win, then earlier merge
 * sources; duplicate keys: the last wins; an alias is the very value of its anchor, never a copy), but each alias
 * resolved from the one-walk map: `toJS` scans the anchors before every alias (16,000 aliases took ~15 s).
 * `built` holds the value of each anchored node; an alias inside its own anchor (which parseYaml already refuses)
 * throws rather than build a cyclic value.
 */
function plainValue(doc: Document, node: unknown, built: Built): unknown {
  const anchor = isAlias(node)
    ? aliasTarget(doc, node)
    : (node as { anchor?: string } | null)?.anchor && (node as Node);
  if (isAlias(node) && !anchor) return null;
  if (!anchor) return buildValue(doc, node, built);
  if (built.building.has(anchor)) throw new AliasCycle(`an alias of &${anchor.anchor} is inside it`);
  if (!built.anchored.has(anchor)) {
    built.building.add(anchor);
    built.anchored.set(anchor, buildValue(doc, anchor, built));
    built.building.delete(anchor);
  }
  return built.anchored.get(anchor);
}

class AliasCycle extends Error {}

interface Built {
  anchored: Map<Node, unknown>;
  building: Set<Node>;
}

function buildValue(doc: Document, node: unknown, built: Built): unknown {
  if (isSeq(node)) return node.items.map((item) => plainValue(doc, item, built));
  if (isMap(node)) {
    const object: Record<string, unknown> = {};
    const set = (key: string, value: unknown) =>
      Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
    for (const pair of (node as AnyMap).items) {
      if (isMergeKeyNode(pair.key)) {
        const merged = deref(doc, pair.value).node;
        for (const source of isSeq(merged) ? merged.items : [merged]) {
          const value = plainValue(doc, source, built);
          if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
          for (const [key, item] of Object.entries(value)) if (!Object.hasOwn(object, key)) set(key, item);
        }
        continue;
      }
      const key = plainValue(doc, pair.key, built);
      set(
        key === null ? '' : typeof key === 'object' ? JSON.stringify(key) : String(key),
        plainValue(doc, pair.value, built),
      );
    }
    return object;
  }
  return isScalar(node) ? (node.value ?? null) : null;
}

// `*name` where an alias can start (a `*` inside a scalar such as a cron schedule is not followed by a name).
const ALIAS = /(?:^|[\s[{,])\*[^\s[\]{},]/;

/** False when the document's text cannot hold an alias: most documents, answered without a walk. */
export function mayHoldAlias(text: string, doc: Document): boolean {
  const [start, , end] = doc.range ?? [0, 0, text.length];
  const star = text.indexOf('*', start);
  return star >= 0 && star < end && ALIAS.test(text.slice(start, end));
}

const isMergeKeyNode = (key: unknown): boolean => {
  if (!isScalar(key)) return false;
  const name = typeof key.value === 'string' ? key.value : undefined;
  return isMergeKey({ key, value: null } as AnyPair, name);
};

// A plain `<<` key: with merge keys on, the yaml library gives it a symbol value (`name` undefined).
const isMergeKey = (pair: AnyPair, name: string | undefined) =>
  isScalar(pair.key) &&
  (name === undefined ? typeof pair.key.value === 'symbol' : name === '<<' && pair.key.type === 'PLAIN');

// Merges nest (a merged map may merge another); aliases can even cycle.
const MAX_MERGE_DEPTH = 8;

/**
 * The pair for `key`, also through `<<: *base` merge keys: the map's own key first, then each merged map in order.
 * A pair found through a merge is shared text (`aliased`).
 */
export function resolvePair(doc: Document, map: AnyMap, key: string, depth = 0): Found<AnyPair> | undefined {
  let merges: AnyPair[] | undefined;
  let own: AnyPair | undefined;
  for (const pair of map.items) {
    const name = keyName(pair);
    // A duplicate key: the last one wins, as in Kubernetes.
    if (name === key) own = pair;
    else if ((name === undefined || name === '<<') && isMergeKey(pair, name)) (merges ??= []).push(pair);
  }
  if (own) return { node: own, aliased: false };
  if (!merges || depth >= MAX_MERGE_DEPTH) return undefined;
  for (const merge of merges) {
    for (const source of isSeq(merge.value) ? merge.value.items : [merge.value]) {
      const merged = deref(doc, source).node;
      const found = isMap(merged) ? resolvePair(doc, merged, key, depth + 1) : undefined;
      if (found) return { node: found.node, aliased: true };
    }
  }
  return undefined;
}

/** The value node under `key` (merge keys followed), or undefined. */
export function valueNode(doc: Document, map: AnyMap, key: string): unknown {
  return resolvePair(doc, map, key)?.node.value ?? undefined;
}

function lookup<T>(
  doc: Document,
  map: AnyMap,
  key: string,
  accept: (node: unknown) => node is T,
): Found<T> | undefined {
  const pair = resolvePair(doc, map, key);
  if (!pair) return undefined;
  const found = deref(doc, pair.node.value);
  return accept(found.node) ? { node: found.node, aliased: found.aliased || pair.aliased } : undefined;
}

export const getMap = (doc: Document, map: AnyMap, key: string): Found<AnyMap> | undefined =>
  lookup(doc, map, key, (node): node is AnyMap => isMap(node));

export const getSeq = (doc: Document, map: AnyMap, key: string): Found<AnySeq> | undefined =>
  lookup(doc, map, key, (node): node is AnySeq => isSeq(node));

export const getScalar = (doc: Document, map: AnyMap, key: string): Found<Scalar> | undefined =>
  lookup(doc, map, key, (node): node is Scalar => isScalar(node));

export function getString(doc: Document, map: AnyMap, key: string): string | undefined {
  const value = getScalar(doc, map, key)?.node.value;
  return typeof value === 'string' ? value : undefined;
}

export function seqItemMap(doc: Document, seq: AnySeq, index: number): Found<AnyMap> | undefined {
  const found = deref(doc, seq.items[index]);
  return isMap(found.node) ? { node: found.node, aliased: found.aliased } : undefined;
}

/** Visits each map item of the sequence under `key`, with its index and the sequence. */
export function forEachItemMap(
  doc: Document,
  map: AnyMap,
  key: string,
  visit: (item: Found<AnyMap>, index: number, list: Found<AnySeq>) => void,
): void {
  const list = getSeq(doc, map, key);
  list?.node.items.forEach((_item, index) => {
    const item = seqItemMap(doc, list.node, index);
    if (item) visit(item, index, list);
  });
}

/** Map items of a sequence, following aliases. */
export function seqMaps(doc: Document, seq: AnySeq): Found<AnyMap>[] {
  const maps: Found<AnyMap>[] = [];
  for (const item of seq.items) {
    const found = deref(doc, item);
    if (isMap(found.node)) maps.push({ node: found.node, aliased: found.aliased });
  }
  return maps;
}

type Ranged = { range?: [number, number, number] | null } | null | undefined;

export function startOf(node: unknown): number {
  return (node as Ranged)?.range?.[0] ?? 0;
}

/** End of the node's own text, without trailing comments or line breaks of block collections. */
export function contentEnd(node: unknown): number {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = node.items.at(-1);
    if (last === undefined) return startOf(node);
    return isMap(node) ? pairEnd(last as AnyPair) : contentEnd(last);
  }
  return (node as Ranged)?.range?.[1] ?? 0;
}

export function pairEnd(pair: AnyPair): number {
  return pair.value === null || pair.value === undefined ? contentEnd(pair.key) : contentEnd(pair.value);
}

export function pairRange(pair: AnyPair): { start: number; end: number } {
  return { start: startOf(pair.key), end: pairEnd(pair) };
}

export function nodeRange(node: unknown): { start: number; end: number } {
  return { start: startOf(node), end: contentEnd(node) };
}

export function getBoolean(doc: Document, map: AnyMap, key: string): boolean | undefined {
  const value = getScalar(doc, map, key)?.node.value;
  return typeof value === 'boolean' ? value : undefined;
}

export function getNumber(doc: Document, map: AnyMap, key: string): number | undefined {
  const value = getScalar(doc, map, key)?.node.value;
  return typeof value === 'number' ? value : undefined;
}
