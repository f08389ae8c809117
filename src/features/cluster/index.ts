// Cluster view and commands. Everything that talks to a cluster loads dist/kube.js lazily, on first use.
import type { FeatureContext } from '../context';

export function registerClusterFeatures(_context: FeatureContext): void {}
