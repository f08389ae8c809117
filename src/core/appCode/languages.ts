// Which source files rule SAT202 reads, by file name (or an editor's language id, or a shell shebang). Tiny: the
// extension decides with it before loading any parser.
import type { CodeLanguage } from './tokenReads';

const BY_EXTENSION: Record<string, CodeLanguage> = {
  py: 'python',
  go: 'go',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  java: 'java',
  sh: 'bash',
  bash: 'bash',
};

const BY_LANGUAGE_ID: Record<string, CodeLanguage> = {
  python: 'python',
  go: 'go',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  java: 'java',
  shellscript: 'bash',
};

export function codeLanguageOf(fileName: string, text?: string, languageId?: string): CodeLanguage | undefined {
  if (/\.d\.[mc]?ts$/.test(fileName)) return undefined;
  const extension = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const byName = extension ? BY_EXTENSION[extension] : undefined;
  if (byName) return byName;
  if (languageId && Object.hasOwn(BY_LANGUAGE_ID, languageId)) return BY_LANGUAGE_ID[languageId];
  return text && /^#!\s*\/(usr\/)?bin\/(env\s+)?(ba)?sh\b/.test(text) ? 'bash' : undefined;
}

/** Extensions for directory walks and the editor's document selector. */
export const CODE_FILE_GLOB = '**/*.{py,go,js,mjs,cjs,jsx,ts,mts,cts,tsx,java,sh,bash}';
