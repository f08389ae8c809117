// Reaches dist/cluster.js (the cluster view's implementation) the same way kubeLoader reaches dist/kube.js.
import path from 'node:path';
import { requireLazyBundle } from '../../kubeLoader';

export type ClusterBundle = typeof import('./ui');

/**
 * The cluster bundle in `distDir` (default: the folder of the running bundle, i.e. the extension's dist/), or under
 * tsx the source. The integration suite passes the installed extension's dist/ to drive exactly what ships.
 */
export function loadClusterBundle(distDir: string = __dirname): ClusterBundle {
  return requireLazyBundle<ClusterBundle>(path.join(distDir, 'cluster.js'), path.join(__dirname, 'ui'));
}
