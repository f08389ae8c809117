// Read-only virtual documents showing a decoded token. Content lives in memory only, keyed by an opaque id: no
// token byte or claim ever reaches a URI, a file or the log. Dropped when VS Code closes the document.
import * as vscode from 'vscode';

export const DECODED_SCHEME = 'sa-token-decoded';

export class DecodedDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private nextId = 1;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(DECODED_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === DECODED_SCHEME) this.contents.delete(document.uri.path);
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? 'This decoded token is no longer held in memory. Run "Decode Token" again.\n';
  }

  /** Opens `text` in a new read-only editor beside the current one. */
  async show(text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: DECODED_SCHEME, path: `/decoded-${this.nextId++}.txt` });
    this.contents.set(uri.path, text);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  get size(): number {
    return this.contents.size;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.contents.clear();
  }
}
