// Loads the analysis of dependency files and application code (SAT201, SAT202) on first use: its parsers (TOML, XML,
// lock files, tree-sitter) are the separate bundle dist/code.js, never loaded on activation or by `sa-token decode`.
import path from 'node:path';
import { requireLazyBundle } from './kubeLoader';

export type CodeModule = typeof import('./code/index');

let loaded: CodeModule | undefined;

export function loadCode(): CodeModule {
  loaded ??= requireLazyBundle<CodeModule>(path.join(__dirname, 'code.js'), path.join(__dirname, 'code', 'index'));
  return loaded;
}
