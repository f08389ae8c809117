// Measures what the cluster tree does on refresh before it can paint namespace nodes, through the kube layer:
// connect() with the kubeconfig, then listNamespaces(). Usage: node tree-probe.cjs <repo> <kubeconfig> <reps>
'use strict';
// Plain CommonJS on purpose: it runs without tsx so that require.cache holds only what the product loads.
/* eslint-disable @typescript-eslint/no-require-imports */
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const [root, kubeconfigPath, repsText] = process.argv.slice(2);

async function refresh(kube) {
  const started = performance.now();
  const connection = await kube.connect({ kubeconfigPath, timeoutMs: 60000 });
  const namespaces = await connection.listNamespaces();
  const elapsed = performance.now() - started;
  connection.close?.();
  return { elapsed, count: Array.isArray(namespaces) ? namespaces.length : -1 };
}

async function main() {
  const loadStarted = performance.now();
  const kube = require(join(root, 'dist', 'kube.js'));
  const loadMs = performance.now() - loadStarted;
  const first = await refresh(kube);
  const refreshMs = [];
  for (let i = 0; i < Number(repsText); i++) refreshMs.push((await refresh(kube)).elapsed);
  process.stdout.write(JSON.stringify({ loadMs, firstMs: first.elapsed, refreshMs, namespaces: first.count }));
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.message ? error.message : error}\n`);
  process.exit(3);
});
