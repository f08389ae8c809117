// Bundles the integration suites and both launch entries into out/integration/ with esbuild.
// `vscode` is provided by the extension host; mocha stays external so that the suites' `import { suite, test }
// from 'mocha'` and the runner share one mocha instance from the repository's node_modules.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/env';

export const integrationOut = join(repoRoot, 'out', 'integration');
export const suitesOut = join(integrationOut, 'suite');
export const runnerBundle = join(integrationOut, 'runner-extension.js');
export const electronEntryBundle = join(integrationOut, 'electron-entry.js');

const suitesSource = join(repoRoot, 'test', 'integration', 'suite');

export async function buildIntegration(): Promise<void> {
  rmSync(integrationOut, { recursive: true, force: true });
  const suites = existsSync(suitesSource) ? readdirSync(suitesSource).filter((name) => name.endsWith('.test.ts')) : [];
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
  };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: suites.map((name) => join(suitesSource, name)), outdir: suitesOut }),
    esbuild.build({
      ...common,
      entryPoints: {
        'runner-extension': join(repoRoot, 'test', 'integration', 'runner-extension.ts'),
        'electron-entry': join(repoRoot, 'test', 'integration', 'electron-entry.ts'),
      },
      outdir: integrationOut,
    }),
  ]);
}
