// Edits shared by several rules' fixes.
import type { SourceEditor } from './edits';
import { findPair, type AnyMap } from './nodes';
import type { PodSpec } from './objects';
import type { Plain, RawScalar } from './render';
import type { ResolvedFixOptions } from './context';

export const AUTOMOUNT = 'automountServiceAccountToken';

/** Files of a legacy token Secret, as they appear in the token volume. */
export const TOKEN_FILES = ['token', 'ca.crt', 'namespace'] as const;
export type TokenFile = (typeof TOKEN_FILES)[number];

/** `automountServiceAccountToken: false` on a pod spec or ServiceAccount map: flips an existing value or adds the key. */
export function setAutomountFalse(editor: SourceEditor, map: AnyMap): void {
  const existing = findPair(map, AUTOMOUNT);
  if (existing?.value) {
    editor.replaceScalar(existing.value, false);
    return;
  }
  // Next to the service account name when there is one, where readers look for it.
  const after = findPair(map, 'serviceAccountName') ?? findPair(map, 'serviceAccount');
  editor.addPair(map, AUTOMOUNT, false, after);
}

export function setPodAutomountFalseFix(editor: SourceEditor, pod: PodSpec) {
  setAutomountFalse(editor, pod.map);
  return { title: 'Set automountServiceAccountToken: false on the pod', edits: editor.edits };
}

/** The `projected` volume source the kubelet keeps fresh: token, cluster CA and namespace, like kube-api-access-*. */
export function projectedSource(fix: ResolvedFixOptions, files: Partial<Record<TokenFile, string>>, defaultMode?: RawScalar): Plain {
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
    sources.push({ downwardAPI: { items: [{ path: files.namespace, fieldRef: { fieldPath: 'metadata.namespace' } }] } });
  }
  return defaultMode === undefined ? { sources } : { sources, defaultMode };
}
