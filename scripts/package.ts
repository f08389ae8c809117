// `npm run package`: production build, then a lean .vsix with @vscode/vsce. Everything the extension needs is
// bundled into dist/, so the .vsix carries no node_modules (--no-dependencies); .vscodeignore is an allowlist.
import { join } from 'node:path';
import { isEntryPoint, progress, repoRoot, run, runMain, vsixPath } from './lib/env';

export function packageVsix(): string {
  progress('building production bundles…');
  run('npm', ['run', '--silent', 'build'], { cwd: repoRoot });
  const vsix = vsixPath();
  progress('packaging with vsce…');
  run(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], {
    cwd: repoRoot,
    env: { ...process.env, CI: 'true' },
  });
  return vsix;
}

if (isEntryPoint(import.meta.url)) {
  runMain('package', async () => {
    progress(`packaged ${packageVsix()}`);
  });
}
