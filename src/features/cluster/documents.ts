// Read-only virtual documents for "Open YAML" (Secret data already masked by the kube layer) and for decoded tokens
// when the tokens feature's view is not there, held in memory under a name plus a counter: never any Secret byte.
import * as vscode from 'vscode';
import type { SecretContext } from '../../core/tokens/explain';
import { inspectToken, isTokenError } from '../../core/tokens/inspect';
import type { FeatureContext } from '../shared/context';
import { CLUSTER_DOCUMENT_SCHEME, MemoryDocuments, tabName } from '../shared/memoryDocuments';
import { decodedDocumentText, displayOptions } from '../tokens/display';

export class ClusterDocuments extends MemoryDocuments {
  constructor() {
    super(CLUSTER_DOCUMENT_SCHEME, 'No longer held in memory. Run "Open YAML" again.\n');
  }

  /** Opens `text` read-only; `name` is a readable, non-secret file name such as `secret-default-app-token.yaml`. */
  async show(name: string, text: string, language?: string, preserveFocus = false): Promise<vscode.TextEditor> {
    let document = await this.open((id) => `/${id}/${name}`, text);
    if (language) document = await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, { preview: true, preserveFocus });
  }
}

/**
 * Shows a token decoded: in the tokens feature's decoded view when it started (it also checks the signature),
 * otherwise as the same text in `documents`.
 */
export async function showDecoded(
  context: FeatureContext,
  documents: ClusterDocuments,
  token: string,
  source: string,
  secret?: SecretContext,
): Promise<void> {
  const decodedTokenView = context.services.decodedTokenView;
  if (decodedTokenView) {
    await decodedTokenView(token, source, secret);
    return;
  }
  const report = inspectToken(token);
  if (isTokenError(report)) throw new Error(`The cluster returned something that is not a token: ${report.error}`);
  await documents.show(
    `${tabName(source, 'token')} · decoded`,
    decodedDocumentText({ report, clusterNote: undefined, secret }, displayOptions(context.config)),
  );
}
