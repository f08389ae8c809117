// Loads dist/extension.js with a stubbed `vscode`, activates it as if a YAML file were open, and prints what
// activation cost: every module file loaded (require.cache) with its size, and the time taken.
// Usage: node bench/probes/activation-probe.cjs <repo root>
'use strict';
// Plain CommonJS on purpose: it runs without tsx so that require.cache holds only what the product loads.
/* eslint-disable @typescript-eslint/no-require-imports */
const Module = require('node:module');
const { statSync } = require('node:fs');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const root = process.argv[2] ?? process.cwd();
const vscodeStub = require('./vscode-stub.cjs');
const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  return request === 'vscode' ? vscodeStub : originalLoad.call(this, request, ...rest);
};

const preloaded = new Set(Object.keys(require.cache));
const memento = () => ({
  get: (_key, fallback) => fallback,
  update: async () => {},
  keys: () => [],
  setKeysForSync() {},
});
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: vscodeStub.Uri.file(root),
  globalState: memento(),
  workspaceState: memento(),
  secrets: {
    get: async () => undefined,
    store: async () => {},
    delete: async () => {},
    onDidChange: () => ({ dispose() {} }),
  },
  storageUri: undefined,
  globalStorageUri: vscodeStub.Uri.file('/tmp/sa-token-bench-storage'),
  logUri: vscodeStub.Uri.file('/tmp/sa-token-bench-log'),
  extensionMode: 1,
  asAbsolutePath: (path) => join(root, path),
};

async function main() {
  const started = performance.now();
  const extension = require(join(root, 'dist', 'extension.js'));
  const required = performance.now();
  await extension.activate(context);
  const activated = performance.now();
  // Work activate() schedules right away (background indexing, timers of 0 ms) counts as activation too.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const files = Object.keys(require.cache)
    .filter((file) => !preloaded.has(file))
    .map((file) => ({ file, bytes: statSync(file).size }));
  process.stdout.write(
    JSON.stringify({
      requireMs: required - started,
      activateMs: activated - required,
      files,
      subscriptions: context.subscriptions.length,
    }),
  );
  // Registered watchers or timers must not keep the probe alive.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack.split('\n').slice(0, 3).join(' ') : error}\n`);
  process.exit(3);
});
