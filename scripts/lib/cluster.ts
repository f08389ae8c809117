// Starts the local API server (`npm run cluster`, test/cluster/server) with the demo data when the project has
// it, and gives the environment (KUBECONFIG) that points the extension at it.
import { join } from 'node:path';
import { progress, readPackageJson, repoRoot, startService, type Service } from './env';

export interface TestCluster {
  service: Service;
  kubeconfig: string;
  env: { KUBECONFIG: string };
}

export async function startTestCluster(dir: string, dataSet = 'demo'): Promise<TestCluster | undefined> {
  if (!readPackageJson().scripts?.cluster) {
    progress('no `npm run cluster` yet: running without the local API server');
    return undefined;
  }
  const kubeconfig = join(dir, 'kubeconfig');
  const service = startService(
    'local API server',
    'npm',
    ['run', '--silent', 'cluster', '--', '--kubeconfig', kubeconfig, '--data', dataSet],
    {
      cwd: repoRoot,
      readyPattern: /\bready\b/i,
      logFile: join(dir, 'cluster.log'),
      timeoutMs: 60_000,
    },
  );
  try {
    await service.ready;
  } catch (error) {
    await service.stop();
    throw error;
  }
  progress(`local API server ready (KUBECONFIG=${kubeconfig})`);
  return { service, kubeconfig, env: { KUBECONFIG: kubeconfig } };
}
