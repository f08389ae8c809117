// `npm run package`: production build, then a lean .vsix with @vscode/vsce. Everything the extension needs is
// bundled into dist/, so the .vsix carries no node_modules (--no-dependencies); .vscodeignore is an allowlist.
// vsce runs in a staging copy of just the shipped files: in the repository it would walk .cache/ (code-server's
// tens of thousands of files) before applying .vscodeignore, which takes minutes on a busy machine.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ensureDir, isEntryPoint, progress, repoRoot, run, runMain, vsixPath } from './lib/env';

const SHIPPED = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist', 'media'];

function stage(): string {
  const stageDir = join(cacheDir, 'vsix-stage');
  rmSync(stageDir, { recursive: true, force: true });
  ensureDir(stageDir);
  for (const entry of SHIPPED) {
    const source = join(repoRoot, entry);
    if (existsSync(source)) cpSync(source, join(stageDir, entry), { recursive: true });
  }
  return stageDir;
}

export function packageVsix(): string {
  progress('building production bundles…');
  run('npm', ['run', '--silent', 'build'], { cwd: repoRoot });
  const vsix = vsixPath();
  progress('packaging with vsce…');
  run(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], {
    cwd: stage(),
    env: { ...process.env, CI: 'true' },
  });
  return vsix;
}

if (isEntryPoint(import.meta.url)) {
  runMain('package', async () => {
    progress(`packaged ${packageVsix()}`);
  });
}
