// Read-only virtual documents whose text lives in memory only, under an opaque path chosen by the caller (a counter
// and a non-secret name): no token byte, claim or Secret value ever reaches a URI, a file or the log. The text is
// dropped when VS Code closes the document.
import * as vscode from 'vscode';

/** The scheme of the read-only YAML the Clusters view opens (desktop only; the manifest linter checks it too). */
export const CLUSTER_DOCUMENT_SCHEME = 'sa-token-cluster';

/** A readable tab name made of outside text (a Kubernetes name): only name characters, bounded; never a path. */
export function tabName(text: string, fallback: string): string {
  const name = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 63);
  return name || fallback;
}

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

  /**
   * Shows a document of this scheme as the preview tab beside the current editor, in the column where one of ours is
   * already visible: repeated opens replace one tab instead of piling up columns.
   */
  protected reveal(document: vscode.TextDocument): Thenable<vscode.TextEditor> {
    const ours = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === this.scheme);
    return vscode.window.showTextDocument(document, {
      preview: true,
      viewColumn: ours?.viewColumn ?? vscode.ViewColumn.Beside,
    });
  }

  get size(): number {
    return this.contents.size;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.contents.clear();
  }
}
