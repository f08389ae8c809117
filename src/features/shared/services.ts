// What features share at run time, built once in extension.ts and reached through FeatureContext.services: never a
// module-level singleton. That also keeps one instance across bundles: dist/cluster.js is handed these objects
// instead of importing a module of its own copy (which would hold a second, empty registry).
import type { SecretContext } from '../../core/tokens/explain';
import { ClusterKeyService, type KeyParser } from './clusterKeys';
import { ClusterTokenSecretRegistry } from './clusterTokenSecrets';

/** Shows a token in the read-only decoded view (with the signature check); `source` names where it came from (a
 * Secret's name) for the tab title; `secret`: what the cluster says about the token Secret it was read from. */
export type ShowDecodedToken = (token: string, source?: string, secret?: SecretContext) => Promise<unknown>;

export class Services {
  /** The connected cluster's signing keys, for hovers: the cluster feature provides them, the token features ask. */
  readonly clusterKeys: ClusterKeyService;
  /** Token Secrets the cluster view has loaded (names only): the manifest linter reads them. */
  readonly clusterTokenSecrets = new ClusterTokenSecretRegistry();
  private showDecoded: ShowDecodedToken | undefined;

  /** `parseKeys` turns a cluster's JWKS into verification keys (the web worker, without cluster, has none). */
  constructor(parseKeys: KeyParser) {
    this.clusterKeys = new ClusterKeyService(parseKeys);
  }

  /** The token features offer their decoded view; returns the withdrawal (use it as a Disposable). */
  provideDecodedTokenView(show: ShowDecodedToken): { dispose(): void } {
    this.showDecoded = show;
    return {
      dispose: () => {
        if (this.showDecoded === show) this.showDecoded = undefined;
      },
    };
  }

  /** The decoded view, if the token features started (the cluster view falls back to a plain document). */
  get decodedTokenView(): ShowDecodedToken | undefined {
    return this.showDecoded;
  }
}
