// `npm run test:vscode`: the same suites in VS Code desktop through @vscode/test-electron, for machines that
// have or can download it (it cannot here: only the npm registry is reachable; use `npm run test:integration`).
// Set VSCODE_EXECUTABLE_PATH to use an installed VS Code instead of a download.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { runsDir } from '../../scripts/lib/code-server-run';
import { ensureDir, isEntryPoint, progress, repoRoot, run, runMain } from '../../scripts/lib/env';
import { demoTokensOf, startTestCluster } from '../../scripts/lib/cluster';
import { prepareWorkspace } from '../../scripts/lib/workspace';
import { buildIntegration, electronEntryBundle } from './build';

async function main(): Promise<number> {
  // The extension runs from this repository (extensionDevelopmentPath), so from a fresh production dist/.
  progress('building production bundles…');
  run(process.execPath, [join(repoRoot, 'esbuild.mjs'), '--production'], { cwd: repoRoot });
  progress('bundling integration suites…');
  await buildIntegration();
  const workDir = mkdtempSync(join(ensureDir(runsDir), 'electron-'));
  const cluster = await startTestCluster(workDir);
  try {
    return await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: electronEntryBundle,
      extensionTestsEnv: cluster.env,
      launchArgs: [
        prepareWorkspace(join(workDir, 'workspace'), demoTokensOf(cluster)),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } finally {
    await cluster.service.stop();
  }
}

if (isEntryPoint(import.meta.url)) runMain('test:vscode', main);
