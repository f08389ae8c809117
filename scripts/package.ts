// `npm run package`: production build, then a lean .vsix with @vscode/vsce. Everything the extension needs is
// bundled into dist/, so the .vsix carries no node_modules (--no-dependencies); .vscodeignore is an allowlist.
// vsce runs in a staging copy of just the shipped files: in the repository it would walk .cache/ (code-server's
// tens of thousands of files) before applying .vscodeignore, which takes minutes on a busy machine. Each call
// stages and builds in its own folder, so concurrent test runs never overwrite each other's bundles.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cacheDir, ensureDir, isEntryPoint, progress, repoRoot, run, runMain, vsixPath } from './lib/env';

/** Shipped as they are; dist/ is built into the staging copy. */
const SHIPPED = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media'];

function stage(stageDir: string): void {
  for (const entry of SHIPPED) {
    const source = join(repoRoot, entry);
    if (existsSync(source)) cpSync(source, join(stageDir, entry), { recursive: true });
  }
  progress('building production bundles…');
  run(process.execPath, [join(repoRoot, 'esbuild.mjs'), '--production', '--outdir', join(stageDir, 'dist')], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Packages the extension into `outDir` (default: the repository root); returns the .vsix path. */
export function packageVsix(outDir = repoRoot): string {
  const stageDir = mkdtempSync(join(ensureDir(join(cacheDir, 'runs')), 'vsix-stage-'));
  try {
    stage(stageDir);
    const vsix = join(outDir, basename(vsixPath()));
    progress('packaging with vsce…');
    // The README's screenshots (media/screenshot-*.png) are not shipped, and without a `repository` vsce cannot
    // turn their relative links into absolute ones: leave the links as they are rather than fail.
    const args = [
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--out',
      vsix,
    ];
    run(join(repoRoot, 'node_modules', '.bin', 'vsce'), args, {
      cwd: stageDir,
      env: { ...process.env, CI: 'true' },
    });
    return vsix;
  } finally {
    rmSync(stageDir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) {
  runMain('package', async () => {
    progress(`packaged ${packageVsix()}`);
  });
}
