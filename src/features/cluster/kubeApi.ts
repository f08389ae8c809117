// The part of the lazily loaded kube module (src/kube/index.ts → dist/kube.js) this feature uses.
// Type-only: importing this file never loads @kubernetes/client-node.
export type { ClusterConnection, ContextSummary, KubeModule } from './kubeApiShape';
