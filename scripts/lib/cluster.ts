// The one launcher of the local API server (`npm run cluster`, test/cluster/server) as a separate process, for the
// demo, the integration and e2e runs (demo data) and the bench (large data). Tests in test/cluster start it
// in-process instead (startLocalCluster). Gives the environment (KUBECONFIG) that points the extension at it; with
// the demo data it also mints the demo workspace's tokens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { progress, repoRoot, startService, type Service } from './env';

/** The demo workspace's tokens as the demo cluster minted them (test/cluster/server/data/demo.ts). */
export interface DemoTokens {
  /** Secret-based legacy token of legacy-app/legacy-api (no exp). */
  legacyToken: string;
  /** The bound token the kubelet mounts in modern-app/web-5c8d7f9b4-h2x9t (one-year exp, warnafter 3607 s). */
  boundToken: string;
  /** A `kubectl create token` of legacy-app/deployer, expired an hour ago. */
  expiredToken: string;
  /** The cluster's signing key, public half (PEM): the demo workspace's key file. */
  publicKeyPem: string;
  /** The API server's URL and CA (PEM), for the demo workspace's own kubeconfig. */
  server: string;
  caPem: string;
}

export interface TestCluster {
  service: Service;
  kubeconfig: string;
  env: { KUBECONFIG: string };
  /** With the demo data set. */
  demoTokens?: DemoTokens;
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
  const demoTokensFile = data === 'demo' ? join(dir, 'demo-tokens.json') : undefined;
  const service = startService(
    'local API server',
    'npm',
    [
      ...['run', '--silent', 'cluster', '--', '--kubeconfig', kubeconfig, '--data', data, '--scale', String(scale)],
      ...(roundTripMs ? ['--round-trip-ms', String(roundTripMs)] : []),
      ...(demoTokensFile ? ['--demo-tokens', demoTokensFile] : []),
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
  const demoTokens = demoTokensFile ? (JSON.parse(readFileSync(demoTokensFile, 'utf8')) as DemoTokens) : undefined;
  return { service, kubeconfig, env: { KUBECONFIG: kubeconfig }, demoTokens };
}

export function demoTokensOf(cluster: TestCluster): DemoTokens {
  if (!cluster.demoTokens) throw new Error('the local API server was not started with the demo data');
  return cluster.demoTokens;
}
