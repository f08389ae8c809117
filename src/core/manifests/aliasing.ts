// Kubernetes' YAML decoder (go-yaml, via sigs.k8s.io/yaml) refuses a document whose aliases expand it too much:
// "document contains excessive aliasing" (CVE-2019-11253), and "anchor 'x' value contains itself" for a cycle. The
// linter follows aliases too, so without the same limit a nested alias bomb (k containers by alias, each with k env
// entries by alias) cost k² on every keystroke. This is go-yaml v3 decode.go's count (decoder.unmarshal,
// allowedAliasRatio, alias, mapping and merge), run once per document over the parsed nodes, stopping where go-yaml
// stops: its work is bounded like go-yaml's (about 100 alias-driven node visits per node of the text, and at most
// some 400,000 in all beyond 4,000,000 visits).
import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';

// go-yaml: 400,000 decodes is ~500 kB of dense objects (or ~5 kB with 10,000% expansion); 4,000,000 is ~5 MB.
const ALIAS_RATIO_RANGE_LOW = 400_000;
const ALIAS_RATIO_RANGE_HIGH = 4_000_000;

/** The share of decodes that may come from alias expansion (go-yaml's allowedAliasRatio). */
export function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - (0.89 * (decodeCount - ALIAS_RATIO_RANGE_LOW)) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW);
}

export interface AliasingProblem {
  /** The alias (in the document's own text) whose expansion went over the limit, or that contains itself. */
  alias: Alias;
  reason: 'excessive' | 'cycle';
}

type Pairs = { key: unknown; value: unknown }[];

/**
 * One step of go-yaml's recursive decode, kept on an explicit stack (deeply nested text must not overflow ours):
 * `node` decodes a node (a map reached from a merge gets the merge's key set), `pair` a map entry, `merge` a map's
 * `<<` value after its own entries, `leave` ends an alias' expansion.
 */
type Step =
  | { step: 'node'; node: unknown; depth: number; merged: Set<unknown> | null }
  | { step: 'pair'; key: unknown; value: unknown; depth: number; merged: Set<unknown> | null }
  | { step: 'merge'; pairs: Pairs; value: unknown; depth: number; merged: Set<unknown> | null }
  | { step: 'leave'; alias: Alias };

/**
 * Where Kubernetes would refuse the document for its aliases, or undefined. `target` resolves an alias as the
 * linter does (nodes.ts aliasTarget); `isMergeKey` says which keys are `<<` merges.
 */
export function aliasingProblem(
  doc: Document,
  target: (alias: Alias) => Node | undefined,
  isMergeKey: (key: unknown) => boolean,
): AliasingProblem | undefined {
  let decodeCount = 1; // the document node
  let aliasCount = 0;
  let outermost: Alias | undefined;
  const expanding = new Set<Alias>();
  const stack: Step[] = [{ step: 'node', node: doc.contents, depth: 0, merged: null }];
  // go-yaml's mapping(): own entries in order (a key already set by an earlier merge source skips its value), then
  // the merge value; merge(): the map's keys are decoded once more to seed the key set, then each source map.
  const pushMap = (pairs: Pairs, depth: number, merged: Set<unknown> | null) => {
    const mergePair = [...pairs].reverse().find((pair) => isMergeKey(pair.key));
    if (mergePair) stack.push({ step: 'merge', pairs, value: mergePair.value, depth, merged });
    for (let i = pairs.length - 1; i >= 0; i--)
      if (!isMergeKey(pairs[i].key))
        stack.push({ step: 'pair', key: pairs[i].key, value: pairs[i].value, depth, merged });
  };
  const keyOf = (key: unknown): unknown => {
    const resolved = isAlias(key) ? target(key) : key;
    return isScalar(resolved) ? `${typeof resolved.value}:${String(resolved.value)}` : resolved;
  };
  const count = (depth: number) => {
    decodeCount++;
    if (depth > 0) aliasCount++;
    return aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount);
  };
  for (let step = stack.pop(); step; step = stack.pop()) {
    switch (step.step) {
      case 'leave':
        expanding.delete(step.alias);
        break;
      case 'pair': {
        if (count(step.depth) && outermost) return { alias: outermost, reason: 'excessive' };
        const key = keyOf(step.key);
        if (step.merged) {
          if (step.merged.has(key)) break;
          step.merged.add(key);
        }
        stack.push({ step: 'node', node: step.value, depth: step.depth, merged: null });
        break;
      }
      case 'merge': {
        let merged = step.merged;
        if (!merged) {
          merged = new Set();
          for (const pair of step.pairs) {
            if (count(step.depth) && outermost) return { alias: outermost, reason: 'excessive' };
            merged.add(keyOf(pair.key));
          }
        }
        const sources = isSeq(step.value) ? step.value.items : [step.value];
        for (let i = sources.length - 1; i >= 0; i--)
          stack.push({ step: 'node', node: sources[i], depth: step.depth, merged });
        break;
      }
      case 'node': {
        const { node, depth } = step;
        if (isAlias(node) && depth === 0) outermost = node;
        if (count(depth) && outermost) return { alias: outermost, reason: 'excessive' };
        if (isAlias(node)) {
          if (expanding.has(node)) return { alias: outermost ?? node, reason: 'cycle' };
          expanding.add(node);
          stack.push({ step: 'leave', alias: node });
          stack.push({ step: 'node', node: target(node), depth: depth + 1, merged: step.merged });
        } else if (isMap(node)) {
          pushMap(node.items as Pairs, depth, step.merged);
        } else if (isSeq(node)) {
          for (let i = node.items.length - 1; i >= 0; i--)
            stack.push({ step: 'node', node: node.items[i], depth, merged: null });
        }
        break;
      }
    }
  }
  return undefined;
}
