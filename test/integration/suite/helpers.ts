// Shared steps for the feature suites (not a suite itself: the runner loads only *.test.js).
import * as vscode from 'vscode';

export const EXTENSION_ID = 'sa-token-inspector.sa-token-inspector';

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  await extension.activate();
}

export async function openUntitled(content: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  return vscode.window.showTextDocument(document);
}

/** Polls until `probe` returns something (diagnostics are debounced and computed asynchronously). */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Closes every editor without save prompts (untitled test documents are dirty). */
export async function closeAllEditors(): Promise<void> {
  for (let attempt = 0; attempt < 20 && vscode.window.visibleTextEditors.length > 0; attempt++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
