// Read-only virtual documents for "Open YAML" (Secret data already masked by the kube layer), held in memory under
// kind/namespace/name plus a counter: never any Secret byte.
import * as vscode from 'vscode';
import { MemoryDocuments } from '../shared/memoryDocuments';

export const CLUSTER_DOCUMENT_SCHEME = 'sa-token-cluster';

export class ClusterDocuments extends MemoryDocuments {
  constructor() {
    super(CLUSTER_DOCUMENT_SCHEME, 'No longer held in memory. Run "Open YAML" again.\n');
  }

  /** Opens `text` read-only; `name` is a readable, non-secret file name such as `secret-default-app-token.yaml`. */
  async show(name: string, text: string, language?: string): Promise<vscode.TextEditor> {
    let document = await this.open((id) => `/${id}/${name}`, text);
    if (language) document = await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, { preview: true });
  }
}
