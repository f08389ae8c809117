// Where token hovers and the decoded view get the connected cluster's signing keys from.
// The cluster feature registers a source once it holds a connection; the token features only ask it.
import type { VerificationKey } from '../core/tokens/verify';

export type ClusterKeys = { context: string; keys: VerificationKey[] } | { context: string; unavailable: string };

/**
 * Returns the keys of the cluster the extension is connected to, or undefined when there is no connection.
 * Must not open a connection of its own: a hover must never be what makes the extension talk to a cluster.
 */
export type ClusterKeySource = () => Promise<ClusterKeys | undefined>;

let registeredSource: ClusterKeySource | undefined;

/** Called by the cluster feature. Returns a function that unregisters the source (use it as a Disposable). */
export function registerClusterKeySource(source: ClusterKeySource): { dispose(): void } {
  registeredSource = source;
  return {
    dispose: () => {
      if (registeredSource === source) registeredSource = undefined;
    },
  };
}

const CONNECTED_CLUSTER = 'the connected cluster';

/**
 * The keys of the connected cluster, or undefined when no source is registered or it has no connection.
 * A hover must not wait long: after `timeoutMs` the answer is "unavailable".
 */
export async function getClusterKeys(timeoutMs = 3000): Promise<ClusterKeys | undefined> {
  const source = registeredSource;
  if (!source) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<ClusterKeys>((resolve) => {
    timer = setTimeout(() => resolve({ context: CONNECTED_CLUSTER, unavailable: 'no answer in time' }), timeoutMs);
  });
  try {
    return await Promise.race([source(), late]);
  } catch (error) {
    return { context: CONNECTED_CLUSTER, unavailable: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
