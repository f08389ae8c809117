// The connected cluster's signing keys, for token hovers and the decoded view. The cluster feature provides a source
// once it holds a connection; the token features only ask. One instance lives on the services object (services.ts).
// No vscode import: unit-tested.
import type { VerificationKey } from '../../core/tokens/verify';

/** core/tokens/verify's parseKeys on the desktop; handed in so that the web bundle never loads node:crypto. */
export type KeyParser = (text: string, label: string) => Promise<VerificationKey[]>;

/** The keys of one context's issuer, or why there are none. `K` is VerificationKey outside of unit tests. */
export type ClusterKeys<K = VerificationKey> =
  { context: string; keys: K[] } | { context: string; unavailable: string };

/**
 * Returns the keys of the cluster the extension is connected to, or undefined when there is no connection.
 * Must not open a connection of its own: a hover must never be what makes the extension talk to a cluster.
 */
export type ClusterKeySource = () => Promise<ClusterKeys | undefined>;

const CONNECTED_CLUSTER = 'the connected cluster';

export class ClusterKeyService {
  private source: ClusterKeySource | undefined;

  constructor(private readonly parseKeys: KeyParser) {}

  /** Called by the cluster feature. Returns a function that unregisters the source (use it as a Disposable). */
  provide(source: ClusterKeySource): { dispose(): void } {
    this.source = source;
    return {
      dispose: () => {
        if (this.source === source) this.source = undefined;
      },
    };
  }

  /**
   * The keys of the connected cluster, or undefined when no source is provided or it has no connection.
   * A hover must not wait long: after `timeoutMs` the answer is "unavailable".
   */
  async get(timeoutMs = 3000): Promise<ClusterKeys | undefined> {
    const source = this.source;
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

  /**
   * Turns the cluster's JWKS into verification keys. Lives here, in the activation bundle, so that dist/cluster.js
   * makes the keys with the very code that verifies hovers with them.
   */
  parseJwks(jwks: string, label: string): Promise<VerificationKey[]> {
    return this.parseKeys(jwks, label);
  }
}
