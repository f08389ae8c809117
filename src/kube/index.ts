// The only module that imports @kubernetes/client-node. Bundled separately as dist/kube.js and loaded lazily
// (src/kubeLoader.ts) by both the extension and the CLI. Its public surface is `KubeApi` below.
export type * from './model';
export {};
