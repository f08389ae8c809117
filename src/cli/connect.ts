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
  const connection = await kube
    .connect({ kubeconfigPath: options.kubeconfig, context: options.context, timeoutMs: options.timeoutMs })
    .catch((error: unknown) => {
      // The kube layer's words fit the editor and the CLI alike; on a command line the way out is an option.
      if (error instanceof Error && error.message.startsWith('no kubeconfig found'))
        error.message = 'no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config';
      throw error;
    });
  for (const warning of connection.warnings) process.stderr.write(`sa-token: warning: ${printable(warning)}\n`);
  return connection;
}
