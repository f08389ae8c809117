// The one launcher of the local API server (`npm run cluster`, test/cluster/server) as a separate process, for the
// demo, the integration and e2e runs (demo data) and the bench (large data). Tests in test/cluster start it
// in-process instead (startLocalCluster). Gives the environment (KUBECONFIG) that points the extension at it.
import { join } from 'node:path';
import { progress, repoRoot, startService, type Service } from './env';

export interface TestCluster {
  service: Service;
  kubeconfig: string;
  env: { KUBECONFIG: string };
}

export interface TestClusterOptions {
  data?: 'demo' | 'large' | 'empty';
  /** Size factor of the large data set. */
  scale?: number;
  timeoutMs?: number;
  /** Each request answered this many ms later: a remote API server's network round trip (`--round-trip-ms`). */
  roundTripMs?: number;
}

/** Starts the server with its kubeconfig and log in `dir`; resolves once it is ready. */
export async function startTestCluster(dir: string, options: TestClusterOptions = {}): Promise<TestCluster> {
  const { data = 'demo', scale = 1, timeoutMs = 60_000, roundTripMs = 0 } = options;
  const kubeconfig = join(dir, 'kubeconfig');
  const service = startService(
    'local API server',
    'npm',
    [
      ...['run', '--silent', 'cluster', '--', '--kubeconfig', kubeconfig, '--data', data, '--scale', String(scale)],
      ...(roundTripMs ? ['--round-trip-ms', String(roundTripMs)] : []),
    ],
    { cwd: repoRoot, readyPattern: /\bready\b/i, logFile: join(dir, 'cluster.log'), timeoutMs },
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
