// Read-only virtual documents for "Open YAML" (Secret data already masked by the kube layer). Content is held in
// memory under an opaque path (kind/namespace/name plus a counter: never any Secret byte) and dropped on close.
import * as vscode from 'vscode';

export const CLUSTER_DOCUMENT_SCHEME = 'sa-token-cluster';

export class ClusterDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private nextId = 1;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(CLUSTER_DOCUMENT_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === CLUSTER_DOCUMENT_SCHEME) this.contents.delete(document.uri.path);
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? 'No longer held in memory. Run "Open YAML" again.\n';
  }

  /** Opens `text` read-only; `name` is a readable, non-secret file name such as `secret-default-app-token.yaml`. */
  async show(name: string, text: string, language?: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: CLUSTER_DOCUMENT_SCHEME, path: `/${this.nextId++}/${name}` });
    this.contents.set(uri.path, text);
    let document = await vscode.workspace.openTextDocument(uri);
    if (language) document = await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.contents.clear();
  }
}
