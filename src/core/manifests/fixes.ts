// Edits shared by several rules' fixes.
import { isMap, isScalar } from 'yaml';
import type { SourceEditor } from './edits';
import { contentEnd, findPair, getMap, getSeq, getString, keyName, seqMaps, startOf, type AnyMap } from './nodes';
import type { PodSpec } from './objects';
import type { Plain, RawScalar } from './render';
import type { ResolvedFixOptions, RuleContext } from './context';

export const AUTOMOUNT = 'automountServiceAccountToken';

/** Files of a legacy token Secret, as they appear in the token volume. */
export const TOKEN_FILES = ['token', 'ca.crt', 'namespace'] as const;
export type TokenFile = (typeof TOKEN_FILES)[number];

/** `automountServiceAccountToken: false` on a pod spec or ServiceAccount map: flips an existing value or adds the key. */
export function setAutomountFalse(editor: SourceEditor, map: AnyMap): void {
  const existing = findPair(map, AUTOMOUNT);
  const value = existing?.value;
  if (isScalar(value) && contentEnd(value) > startOf(value)) {
    editor.replaceScalar(value, false);
    return;
  }
  // Empty, or something that is not a boolean at all: the whole pair is rewritten.
  if (existing) {
    editor.replacePair(existing, map.flow, AUTOMOUNT, false);
    return;
  }
  // Next to the service account name when there is one, where readers look for it.
  const after = findPair(map, 'serviceAccountName') ?? findPair(map, 'serviceAccount');
  editor.addPair(map, AUTOMOUNT, false, after);
}

/** The `projected` volume source the kubelet keeps fresh: token, cluster CA and namespace, like kube-api-access-*. */
export function projectedSource(
  fix: ResolvedFixOptions,
  files: Partial<Record<TokenFile, string>>,
  defaultMode?: RawScalar,
): Plain {
  const sources: Plain[] = [];
  if (files.token) {
    const token: Record<string, Plain> = { path: files.token, expirationSeconds: fix.expirationSeconds };
    if (fix.audience) token.audience = fix.audience;
    sources.push({ serviceAccountToken: token });
  }
  if (files['ca.crt']) {
    sources.push({ configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: files['ca.crt'] }] } });
  }
  if (files.namespace) {
    sources.push({
      downwardAPI: { items: [{ path: files.namespace, fieldRef: { fieldPath: 'metadata.namespace' } }] },
    });
  }
  return defaultMode === undefined ? { sources } : { sources, defaultMode };
}

const VOLUME_NAME = 'sa-token';

/** Names of the items of the list under `key` (volumes, env, …). */
export function names(ctx: RuleContext, map: AnyMap | undefined, key: string): Set<string> {
  const seq = map && getSeq(ctx.doc, map, key);
  return new Set(seq ? seqMaps(ctx.doc, seq.node).flatMap(({ node }) => getString(ctx.doc, node, 'name') ?? []) : []);
}

/** `base`, or `base<separator>2`, `…3`: the first name not taken (and now taken). */
export function unique(base: string, taken: Set<string>, separator: string): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${separator}${n}`;
  taken.add(name);
  return name;
}

export function uniqueVolumeName(ctx: RuleContext, pod: PodSpec): string {
  return unique(VOLUME_NAME, names(ctx, pod.map, 'volumes'), '-');
}

/**
 * A projected volume already giving the token for `audience` (undefined: the API server's), the CA and the
 * namespace: a second fix run reuses it.
 */
export function reusableVolume(ctx: RuleContext, pod: PodSpec, audience: string | undefined): string | undefined {
  const volumes = getSeq(ctx.doc, pod.map, 'volumes');
  for (const { node: volume } of volumes ? seqMaps(ctx.doc, volumes.node) : []) {
    const projected = getMap(ctx.doc, volume, 'projected');
    const sources = projected && getSeq(ctx.doc, projected.node, 'sources');
    if (!sources) continue;
    const kinds = new Map(
      seqMaps(ctx.doc, sources.node).flatMap(({ node }) => node.items.map((pair) => [keyName(pair), pair.value])),
    );
    const token = kinds.get('serviceAccountToken');
    if (!isMap(token) || getString(ctx.doc, token as AnyMap, 'path') !== 'token') continue;
    if (getString(ctx.doc, token as AnyMap, 'audience') !== audience) continue;
    if (kinds.has('configMap') && kinds.has('downwardAPI')) return getString(ctx.doc, volume, 'name');
  }
  return undefined;
}

/** Appends items to the list under `key` (never a shared one), or adds the list. */
export function appendItems(ctx: RuleContext, editor: SourceEditor, map: AnyMap, key: string, items: Plain[]): void {
  const list = getSeq(ctx.doc, map, key);
  // Rules check before; this guards shared text (an alias or a merge key) against a fix that forgot to.
  if (list?.aliased) throw new Error(`${key} is shared through an alias`);
  if (list) editor.appendToSeq(list.node, items);
  else editor.addPair(map, key, items);
}

/** A projected volume with the token, the cluster CA and the namespace, added to the pod's volumes. */
export function addTokenVolume(
  ctx: RuleContext,
  editor: SourceEditor,
  pod: PodSpec,
  name: string,
  fix: ResolvedFixOptions,
): void {
  const files = { token: 'token', 'ca.crt': 'ca.crt', namespace: 'namespace' };
  appendItems(ctx, editor, pod.map, 'volumes', [{ name, projected: projectedSource(fix, files) }]);
}
