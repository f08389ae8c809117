// Shared steps for the feature suites (not a suite itself: the runner loads only *.test.js).
import * as vscode from 'vscode';

export const EXTENSION_ID = 'sa-token-inspector.sa-token-inspector';

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  await extension.activate();
}

let untitledCount = 0;

/**
 * A new untitled document holding `content`. Named uniquely (VS Code reuses Untitled-1 as soon as it is free, which
 * lets one test's document events land on the next test's document).
 */
export async function openUntitled(content: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `sa-token-test-${Date.now()}-${++untitledCount}` });
  const document = await vscode.languages.setTextDocumentLanguage(
    await vscode.workspace.openTextDocument(uri),
    language,
  );
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), content));
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  return editor;
}

/** Polls until `probe` returns something (diagnostics are debounced and computed asynchronously). */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Closes every tab without save prompts (untitled test documents are dirty; closeAllEditors would ask). */
export async function closeAllEditors(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs)[0];
    if (!tab) return;
    if (tab.isDirty && tab.input instanceof vscode.TabInputText) {
      // Revert works on the active editor: focus this one first.
      await vscode.window.showTextDocument(tab.input.uri, { viewColumn: tab.group.viewColumn, preserveFocus: false });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } else {
      await vscode.window.tabGroups.close(tab);
    }
  }
}

/** Resolves with `work`'s result, or undefined when it takes longer than `timeoutMs`. */
export async function within<T>(work: Thenable<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A diagnostic's rule id, whether its code is plain or links to the rule's documentation. */
export const ruleOf = (diagnostic: vscode.Diagnostic): unknown =>
  typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
