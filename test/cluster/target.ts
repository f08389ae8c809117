// Where the cluster tests run: the local API server, or a real cluster (e.g. kind) when SA_TOKEN_E2E_KUBECONFIG
// names its kubeconfig. Either way the tests write only inside a throwaway namespace made with kubectl for the run
// (with one ServiceAccount), deleted at the end; on a real cluster they only read anywhere else.
// No import of the local server here: the integration suites bundle this file into the extension host.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The kubeconfig of a real cluster to test against, or undefined for the local API server. */
export function realClusterKubeconfig(): string | undefined {
  return process.env.SA_TOKEN_E2E_KUBECONFIG || undefined;
}

/** Why a test is skipped on a real cluster: it relies on what only the local server has. */
export const NEEDS_LOCAL_SERVER =
  'needs the local API server (its demo data, restricted user or faults); SA_TOKEN_E2E_KUBECONFIG points at a real cluster';

export interface ThrowawayNamespace {
  /** sa-token-it-<random> */
  namespace: string;
  /** A ServiceAccount created in it. */
  serviceAccount: string;
  /** Deletes the namespace without waiting for its contents to go (a real cluster takes a while). */
  remove(): Promise<void>;
}

export const THROWAWAY_SERVICE_ACCOUNT = 'tester';

/**
 * Runs kubectl against `kubeconfigPath` and resolves with its stdout; `manifest` goes to its stdin (`create -f -`).
 * Asynchronous on purpose: the local server may run in this very process, and a blocking call would starve it.
 */
export async function kubectlOn(kubeconfigPath: string, args: string[], manifest?: string): Promise<string> {
  const child = run('kubectl', ['--kubeconfig', kubeconfigPath, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 << 20,
  });
  if (manifest !== undefined) child.child.stdin?.end(manifest);
  return (await child).stdout;
}

export async function createThrowawayNamespace(kubeconfigPath: string): Promise<ThrowawayNamespace> {
  const namespace = `sa-token-it-${randomBytes(4).toString('hex')}`;
  const remove = async (): Promise<void> => {
    await kubectlOn(kubeconfigPath, ['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
  };
  await kubectlOn(kubeconfigPath, ['create', 'namespace', namespace]);
  try {
    await kubectlOn(kubeconfigPath, ['create', 'serviceaccount', THROWAWAY_SERVICE_ACCOUNT, '--namespace', namespace]);
  } catch (error) {
    await remove();
    throw error;
  }
  return { namespace, serviceAccount: THROWAWAY_SERVICE_ACCOUNT, remove };
}

export interface ClusterTarget extends ThrowawayNamespace {
  kubeconfigPath: string;
  /** True on a real cluster: tests that need the local server's data, users or faults skip. */
  real: boolean;
  /** Removes the throwaway namespace, then stops the local server if one was started. */
  stop(): Promise<void>;
}

/**
 * The real cluster named by SA_TOKEN_E2E_KUBECONFIG, else the local server `startLocal` starts; with a fresh
 * throwaway namespace on it either way. The caller passes the starter so this file never loads the server.
 */
export async function startClusterTarget(
  startLocal: () => Promise<{ kubeconfigPath: string; stop(): Promise<void> }>,
): Promise<ClusterTarget> {
  const real = realClusterKubeconfig();
  const local = real ? undefined : await startLocal();
  const kubeconfigPath = real ?? local!.kubeconfigPath;
  let throwaway: ThrowawayNamespace;
  try {
    throwaway = await createThrowawayNamespace(kubeconfigPath);
  } catch (error) {
    await local?.stop();
    throw error;
  }
  return {
    ...throwaway,
    kubeconfigPath,
    real: real !== undefined,
    stop: async () => {
      try {
        await throwaway.remove();
      } finally {
        await local?.stop();
      }
    },
  };
}
