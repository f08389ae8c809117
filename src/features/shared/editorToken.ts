// The token the user points at in an editor, for every command that acts on "the token at the cursor".
import type * as vscode from 'vscode';
import { findTokenAt, findTokens } from '../../core/tokens/finder';
import type { TokenMatch } from '../../core/tokens/types';

/**
 * The text of the token under the cursor (a bounded window of its line, so huge files cost nothing), else the selected text;
 * undefined when neither holds one. The text may still be wrapped ("Bearer …", base64): decode it from there.
 */
export function tokenTextInEditor(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) return undefined;
  const { document, selection } = editor;
  const line = document.lineAt(selection.active.line).text;
  const atCursor = findTokenAt(line, selection.active.character);
  if (atCursor) return line.slice(atCursor.start, atCursor.end);
  return selection.isEmpty ? undefined : document.getText(selection);
}

/** The first token in what `tokenTextInEditor` finds, located and unwrapped. */
export function tokenInEditor(editor: vscode.TextEditor | undefined): TokenMatch | undefined {
  const text = tokenTextInEditor(editor);
  return text === undefined ? undefined : findTokens(text)[0];
}
