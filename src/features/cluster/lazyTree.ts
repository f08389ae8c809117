// The tree data provider registered at activation: it stands in for the real one in dist/cluster.js and loads it
// when VS Code first asks for the view's children (the view became visible), then forwards everything to it.
import * as vscode from 'vscode';

export class LazyTreeProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private real: vscode.TreeDataProvider<T> | undefined;
  private forwarding: vscode.Disposable | undefined;

  constructor(private readonly load: () => vscode.TreeDataProvider<T>) {}

  getChildren(node?: T): vscode.ProviderResult<T[]> {
    return this.provider().getChildren(node);
  }

  getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.provider().getTreeItem(node);
  }

  /** TreeView.reveal (the report's links, Show in Tree) refuses a provider without it. */
  getParent(node: T): vscode.ProviderResult<T> {
    return this.provider().getParent?.(node);
  }

  private provider(): vscode.TreeDataProvider<T> {
    if (!this.real) {
      this.real = this.load();
      this.forwarding = this.real.onDidChangeTreeData?.((node) => this.changed.fire(node));
    }
    return this.real;
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
