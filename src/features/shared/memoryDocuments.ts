// Read-only virtual documents whose text lives in memory only, under an opaque path chosen by the caller (a counter
// and a non-secret name): no token byte, claim or Secret value ever reaches a URI, a file or the log. The text is
// dropped when VS Code closes the document.
import * as vscode from 'vscode';

export class MemoryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private nextId = 1;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly scheme: string,
    private readonly goneMessage: string,
  ) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(scheme, this),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === scheme) this.contents.delete(document.uri.path);
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? this.goneMessage;
  }

  /** Holds `text` under the path `pathFor(n)` (n: a fresh counter) and opens it. */
  protected async open(pathFor: (id: number) => string, text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: pathFor(this.nextId++) });
    this.contents.set(uri.path, text);
    return vscode.workspace.openTextDocument(uri);
  }

  get size(): number {
    return this.contents.size;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.contents.clear();
  }
}
