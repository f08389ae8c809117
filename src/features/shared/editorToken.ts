// The token the user points at in an editor, for every command that acts on "the token at the cursor".
import * as vscode from 'vscode';
import { findTokenAt, findTokens } from '../../core/tokens/finder';
import { tokenInputProblem } from '../../core/tokens/inspect';
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

/**
 * The one paste box of every token command with no token at the cursor: a password box titled after the command,
 * open with the reason until the input is one token (the reason never repeats the input). Undefined when cancelled.
 */
export async function askForToken(title: string, purpose: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: `Paste a service account token (raw, "Bearer …" or base64-wrapped). ${purpose}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? undefined : tokenInputProblem(value)),
  });
  return text?.trim() ? text : undefined;
}

/** The token at the cursor or selection, else one pasted into askForToken's box: located and unwrapped. */
export async function tokenAtCursorOrAsked(title: string, purpose: string): Promise<TokenMatch | undefined> {
  const atCursor = tokenInEditor(vscode.window.activeTextEditor);
  if (atCursor) return atCursor;
  const typed = await askForToken(title, purpose);
  return typed === undefined ? undefined : findTokens(typed)[0];
}
