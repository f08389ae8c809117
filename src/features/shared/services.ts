// What features share at run time, built once in extension.ts and reached through FeatureContext.services: never a
// module-level singleton. That also keeps one instance across bundles: dist/cluster.js is handed these objects
// instead of importing a module of its own copy (which would hold a second, empty registry).
import type { SecretContext } from '../../core/tokens/explain';
import { ClusterKeyService, type KeyParser } from './clusterKeys';
import { ClusterTokenSecretRegistry } from './clusterTokenSecrets';
import type { ManifestEngineClient } from './manifestEngine';

/** Shows a token in the read-only decoded view (with the signature check); `source` names where it came from (a
 * Secret's name) for the tab title; `secret`: what the cluster says about the token Secret it was read from. */
export type ShowDecodedToken = (token: string, source?: string, secret?: SecretContext) => Promise<unknown>;

/** Where the workspace declares an object: a file (a URI string) and the object's span in its text. */
export interface ManifestLocation {
  uri: string;
  start: number;
  end: number;
}

/** Finds the workspace manifest that declares an object of the cluster, if any (undefined also while unknown). */
export type ManifestLocator = (object: {
  kind: string;
  namespace: string;
  name: string;
}) => Promise<ManifestLocation | undefined>;

export class Services {
  /** The connected cluster's signing keys, for hovers: the cluster feature provides them, the token features ask. */
  readonly clusterKeys: ClusterKeyService;
  /** Token Secrets the cluster view has loaded (names only): the manifest linter reads them. */
  readonly clusterTokenSecrets = new ClusterTokenSecretRegistry();
  private showDecoded: ShowDecodedToken | undefined;
  private locateManifest: ManifestLocator | undefined;

  /**
   * `parseKeys` turns a cluster's JWKS into verification keys (the web worker, without cluster, has none);
   * `manifestEngine` is the YAML engine (a worker thread on the desktop, in-process in the browser).
   */
  constructor(
    parseKeys: KeyParser,
    readonly manifestEngine: ManifestEngineClient,
  ) {
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

  /** The manifest features offer to find an object's manifest; returns the withdrawal (use it as a Disposable). */
  provideManifestLocator(locate: ManifestLocator): { dispose(): void } {
    this.locateManifest = locate;
    return {
      dispose: () => {
        if (this.locateManifest === locate) this.locateManifest = undefined;
      },
    };
  }

  /** The workspace manifest locator, if the manifest features started (otherwise the cluster's YAML is shown). */
  get manifestLocator(): ManifestLocator | undefined {
    return this.locateManifest;
  }

  /** The decoded view, if the token features started (the cluster view falls back to a plain document). */
  get decodedTokenView(): ShowDecodedToken | undefined {
    return this.showDecoded;
  }
}
