// activate() only wires features; each feature registers its own providers and commands.
import type * as vscode from 'vscode';
import { FeatureContext } from './features/context';

export function activate(extension: vscode.ExtensionContext): void {
  const context = new FeatureContext(extension);
  void context;
}

export function deactivate(): void {}
