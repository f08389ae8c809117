// The one way a CLI command connects to a cluster: the kubeconfig options it was given, and the kubeconfig's
// warnings on stderr, printable (a kubeconfig is outside input and may hold control characters).
import type { ClusterConnection } from '../kube/index';
import type { loadKube } from '../kubeLoader';
import { printable } from '../core/printable';

export interface CliConnectionOptions {
  kubeconfig?: string;
  context?: string;
  timeoutMs: number;
}

export async function connectFromCli(
  kube: ReturnType<typeof loadKube>,
  options: CliConnectionOptions,
): Promise<ClusterConnection> {
  const connection = await kube.connect({
    kubeconfigPath: options.kubeconfig,
    context: options.context,
    timeoutMs: options.timeoutMs,
  });
  for (const warning of connection.warnings) process.stderr.write(`sa-token: warning: ${printable(warning)}\n`);
  return connection;
}
