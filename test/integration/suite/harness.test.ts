// Proves the route: our packaged extension is installed and activates, and the real vscode API works.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sa-token-inspector.sa-token-inspector';

suite('harness', () => {
  test('our extension is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.name, 'sa-token-inspector');
  });

  test('untitled document: text and a built-in command', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'zebra\napple\nmango', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(document);
    assert.equal(document.isUntitled, true);
    assert.equal(document.lineCount, 3);
    editor.selection = new vscode.Selection(0, 0, 2, 5);
    await vscode.commands.executeCommand('editor.action.sortLinesAscending');
    assert.equal(document.getText(), 'apple\nmango\nzebra');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the workspace folder is open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'the launcher opens one workspace folder');
  });
});
