// Loads the cluster module on first use only: activation, the hover and `sa-token decode` never pay for
// @kubernetes/client-node. From dist/ it is the separate bundle dist/kube.js; under tsx (tests) the source.
import { existsSync } from 'node:fs';
import path from 'node:path';

export type KubeModule = typeof import('./kube/index');

let loaded: KubeModule | undefined;

export function loadKube(): KubeModule {
  loaded ??= requireLazyBundle<KubeModule>(path.join(__dirname, 'kube.js'), path.join(__dirname, 'kube', 'index'));
  return loaded;
}

/**
 * Requires a separately bundled file (dist/kube.js, dist/cluster.js) when it exists, else its source module (under
 * tsx, where `__dirname` is the source folder). Both paths are computed at run time, so that esbuild leaves the
 * require alone instead of inlining the lazily loaded code into the bundle that calls this.
 */
export function requireLazyBundle<T>(bundleFile: string, sourceModule: string): T {
  const file = existsSync(bundleFile) ? bundleFile : sourceModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}
