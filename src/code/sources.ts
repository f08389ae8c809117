// Parses application code with tree-sitter's WASM grammars (@vscode/tree-sitter-wasm, the builds VS Code uses) and
// runs rule SAT202 on the tree. Grammars load on first use of each language.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser } from '@vscode/tree-sitter-wasm';
import { codeLanguageOf } from '../core/appCode/languages';
import {
  findTokenReads,
  mayReadToken,
  type CodeLanguage,
  type SyntaxNode,
  type TokenReadFinding,
  type TokenReadOptions,
} from '../core/appCode/tokenReads';

const GRAMMARS: Record<CodeLanguage, string> = {
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  java: 'tree-sitter-java.wasm',
  bash: 'tree-sitter-bash.wasm',
};

/** Larger files are generated or vendored code: not read. */
const MAX_SOURCE_LENGTH = 2_000_000;

let runtime: Promise<void> | undefined;
const languages = new Map<CodeLanguage, Promise<Language>>();

/** dist/tree-sitter/ next to the bundle; the package's own folder when running from source (tests). */
function grammarDirectory(): string {
  const bundled = path.join(__dirname, 'tree-sitter');
  if (existsSync(path.join(bundled, 'tree-sitter.wasm'))) return bundled;
  // From source (src/code under tsx): the package in the repository's node_modules.
  return path.join(__dirname, '..', '..', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
}

async function languageFor(language: CodeLanguage): Promise<Language> {
  const directory = grammarDirectory();
  runtime ??= Parser.init({ locateFile: (file: string) => path.join(directory, file) });
  await runtime;
  let loaded = languages.get(language);
  if (!loaded) languages.set(language, (loaded = Language.load(path.join(directory, GRAMMARS[language]))));
  return loaded;
}

export async function lintSourceFile(
  fileName: string,
  text: string,
  options: TokenReadOptions & { languageId?: string } = {},
): Promise<TokenReadFinding[]> {
  const language = codeLanguageOf(fileName, text, options.languageId);
  if (!language || text.length > MAX_SOURCE_LENGTH || !mayReadToken(text, options)) return [];
  const grammar = await languageFor(language);
  const parser = new Parser();
  try {
    parser.setLanguage(grammar);
    const tree = parser.parse(text);
    if (!tree) return [];
    try {
      return findTokenReads(tree.rootNode as unknown as SyntaxNode, language, options);
    } finally {
      tree.delete();
    }
  } finally {
    parser.delete();
  }
}
