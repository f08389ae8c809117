// The only module that imports @kubernetes/client-node. Bundled separately as dist/kube.js and loaded lazily.
export {};
