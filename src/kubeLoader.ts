// Loads the cluster module on first use only: activation, the hover and `sa-token decode` never pay for
// @kubernetes/client-node. From dist/ it is the separate bundle dist/kube.js; under tsx (tests) the source.
import { existsSync } from 'node:fs';
import path from 'node:path';

export type KubeModule = typeof import('./kube/index');

let loaded: KubeModule | undefined;

export function loadKube(): KubeModule {
  if (!loaded) {
    const bundled = path.join(__dirname, 'kube.js');
    // Computed paths, so that esbuild leaves both requires alone instead of inlining client-node here.
    const file = existsSync(bundled) ? bundled : path.join(__dirname, 'kube', 'index');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as KubeModule;
  }
  return loaded;
}
