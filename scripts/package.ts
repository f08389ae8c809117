// `npm run package`: production build, then a lean .vsix with @vscode/vsce. Everything the extension needs is
// bundled into dist/, so the .vsix carries no node_modules (--no-dependencies); .vscodeignore is an allowlist.
// vsce runs in a staging copy of just the shipped files: in the repository it would walk .cache/ (code-server's
// tens of thousands of files) before applying .vscodeignore, which takes minutes on a busy machine. Each call
// stages and builds in its own folder, so concurrent test runs never overwrite each other's bundles.
// vsce must warn about nothing (a marketplace-ready manifest): any WARNING or ERROR line fails the packaging.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SetupError, cacheDir, ensureDir, isEntryPoint, progress, repoRoot, run, runMain, vsixPath } from './lib/env';

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

/**
 * 'web-only' is a test variant: the manifest without `main`, so that VS Code runs the `browser` bundle in its web
 * worker extension host even where a Node one exists (code-server picks the Node host whenever `main` is there).
 */
export type VsixVariant = 'desktop' | 'web-only';

/** Packages the extension into `outDir` (default: the repository root); returns the .vsix path. */
export function packageVsix(outDir = repoRoot, variant: VsixVariant = 'desktop'): string {
  const stageDir = mkdtempSync(join(ensureDir(join(cacheDir, 'runs')), 'vsix-stage-'));
  try {
    stage(stageDir);
    if (variant === 'web-only') dropMain(join(stageDir, 'package.json'));
    const vsix = join(outDir, basename(vsixPath()));
    progress(`packaging${variant === 'web-only' ? ' the web-only test variant' : ''} with vsce…`);
    // The README's relative image links become absolute ones under `repository` (the screenshots are not shipped).
    const vsce = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'vsce'),
      ['package', '--no-dependencies', '--out', vsix],
      {
        cwd: stageDir,
        env: { ...process.env, CI: 'true' },
        encoding: 'utf8',
      },
    );
    const output = `${vsce.stdout ?? ''}${vsce.stderr ?? ''}`;
    if (vsce.status !== 0) throw new SetupError(`vsce package failed:\n${output.trim()}`);
    const complaints = output.split('\n').filter((line) => /\b(WARNING|ERROR)\b/.test(line));
    if (complaints.length > 0) throw new SetupError(`vsce package must warn about nothing:\n${complaints.join('\n')}`);
    return vsix;
  } finally {
    rmSync(stageDir, { recursive: true, force: true });
  }
}

function dropMain(manifestFile: string): void {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { main?: string; browser?: string };
  if (!manifest.browser) throw new SetupError('the web-only variant needs a `browser` entry in package.json');
  delete manifest.main;
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
}

if (isEntryPoint(import.meta.url)) {
  runMain('package', async () => {
    progress(`packaged ${packageVsix()}`);
  });
}
