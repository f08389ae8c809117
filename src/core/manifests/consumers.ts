// Helpers behind two editor actions: "show consumers" of a token Secret and "create explicit token secret".
import { detectLayout } from './context';
import { SourceEditor } from './edits';
import { objectsOf, podSpecOf } from './objects';
import { pairRange, parseYaml } from './nodes';
import { detectEol } from './render';
import { secretRefs } from './secretRefs';
import type { TextEdit } from './types';
import { SA_NAME_ANNOTATION, TOKEN_SECRET_TYPE } from '../kubernetes';
import { sameNamespace } from './workspace';

export interface ConsumerLocation {
  fileName: string;
  start: number;
  end: number;
}

/** Every env secretKeyRef, envFrom secretRef and secret volume that reads the named Secret. */
export function findConsumers(
  secretName: string,
  namespace: string | undefined,
  files: readonly { fileName: string; text: string }[],
): ConsumerLocation[] {
  const found: ConsumerLocation[] = [];
  for (const file of files) {
    // Cheap skip: most files never mention the Secret.
    if (!file.text.includes(secretName)) continue;
    for (const doc of parseYaml(file.text)) {
      for (const object of objectsOf(doc)) {
        const pod = podSpecOf(doc, object);
        if (!pod || !sameNamespace(object.namespace, namespace)) continue;
        for (const ref of secretRefs(doc, pod)) {
          if (ref.secretName === secretName) found.push({ fileName: file.fileName, ...pairRange(ref.pair) });
        }
      }
    }
  }
  return found;
}

/**
 * The Kubernetes docs' way to get a long-lived token since 1.24: a Secret of type service-account-token annotated
 * with the ServiceAccount's name, inserted as a `---` document after the ServiceAccount at `offset`.
 */
export function explicitTokenSecretEdit(text: string, offset: number): TextEdit | undefined {
  // The document holding the offset: comments above a document's content count as part of it.
  const doc = parseYaml(text).find((candidate) => offset <= candidate.range[2]);
  if (!doc || doc.errors.length > 0) return undefined;
  const account = objectsOf(doc).find((object) => object.kind === 'ServiceAccount' && object.map === doc.contents);
  if (!account?.name) return undefined;
  const metadata: Record<string, string | Record<string, string>> = { name: `${account.name}-token` };
  if (account.namespace !== undefined) metadata.namespace = account.namespace;
  metadata.annotations = { [SA_NAME_ANNOTATION]: account.name };
  const editor = new SourceEditor(text, detectLayout({ text, doc, eol: detectEol(text) }));
  editor.insertDocumentAfter(doc.contents, { apiVersion: 'v1', kind: 'Secret', metadata, type: TOKEN_SECRET_TYPE });
  return editor.edits[0];
}
