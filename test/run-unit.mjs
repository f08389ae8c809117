// Runs every test/<suite>/**/*.test.ts (or the given files) with Node's own test runner (tsx strips the types).
// Node 20's --test does not expand globs or pick up .ts files itself.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// `--concurrency N`: test files run in N processes at once (Node's default on this 2-core machine is 1). For suites
// that mostly wait (each cluster test file starts its own API server on its own port, and waits on kubectl).
const args = process.argv.slice(2);
const concurrencyAt = args.indexOf('--concurrency');
const concurrency = concurrencyAt === -1 ? [] : [`--test-concurrency=${args.splice(concurrencyAt, 2)[1]}`];
const roots = args.length ? args : ['test/unit'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
};
for (const root of roots) {
  if (statSync(root).isDirectory()) walk(root);
  else files.push(root);
}
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...concurrency, '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
