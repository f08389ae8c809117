// Bundles the extension, the lazily loaded cluster code and the CLI. dist/kube.js (client-node) and dist/cluster.js
// (the cluster view) are separate so that activating on a YAML file parses neither: dist/extension.js stays small.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --metafile: also writes <outdir>/<bundle>.meta.json (what went into each bundle; test/unit/web.test.ts reads it).
const writeMetafiles = process.argv.includes('--metafile');
// --outdir <dir>: packaging builds straight into its own staging copy, never into the shared dist/.
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist';
if (!outdir || outdir.startsWith('--')) throw new Error('--outdir needs a directory');
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/**
 * yaml's modules do nothing on load but define their exports (and properties of them), yet its package.json does not
 * say so: without this, every bundle importing one helper of a module that imports `yaml` (isMap, a type guard) kept
 * ~33 KB of it, the stringifier included. Modules of yaml that are used are kept whole, as before.
 */
const yamlWithoutSideEffects = {
  name: 'yaml-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      const inYaml = args.path === 'yaml' || /[\\/]node_modules[\\/]yaml[\\/]/.test(args.importer);
      if (!inYaml || args.pluginData === 'resolving') return undefined;
      const { path, errors } = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      return errors.length > 0 ? undefined : { path, sideEffects: false };
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  plugins: [yamlWithoutSideEffects],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  define: { SA_TOKEN_VERSION: JSON.stringify(version) },
  // client-node and jose are ESM-only; esbuild turns them into CommonJS inside our bundles.
  mainFields: ['module', 'main'],
  // yaml's ESM build (its "default" export; Node gets CommonJS) lets esbuild drop the parts we never call: ~17 KiB
  // less in dist/extension.js, which must stay under 200 KB (bench: activation_bundle_bytes).
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  // The lazily loaded bundles are reached by a runtime require of a computed path (src/kubeLoader.ts); never inline them.
  external: [
    'vscode',
    './kube.js',
    './cluster.js',
    './troubleshoot.js',
    './code.js',
    './cli-commands.js',
    './cli-other-commands.js',
    './verify.js',
  ],
};

/** vscode.dev and github.dev run src/web.ts in the browser's web worker extension host: platform browser, so any Node
 * built-in reached from it fails the build (test/unit/web.test.ts also checks the metafile). */
const webBuild = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  mainFields: ['browser', 'module', 'main'],
  external: ['vscode'],
  entryPoints: { web: 'src/web.ts' },
  outdir,
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir },
  { ...common, entryPoints: { kube: 'src/kube/index.ts' }, outdir },
  { ...common, entryPoints: { cluster: 'src/features/cluster/ui.ts' }, outdir },
  { ...common, entryPoints: { troubleshoot: 'src/features/troubleshoot/ui.ts' }, outdir },
  // Dependency files and application code (SAT201/SAT202): parsers and tree-sitter, loaded on first such file.
  { ...common, entryPoints: { code: 'src/code/index.ts' }, outdir },
  // The YAML engine (parser, rules, fixes) in a worker thread, started on the first lint (src/manifestEngineLoader.ts):
  // the extension host's own thread never loads it.
  { ...common, entryPoints: { 'manifest-worker': 'src/manifestWorker.ts' }, outdir },
  // Signature checks (jose, key parsing): loaded on the first check, never on activation (src/verifyLoader.ts).
  { ...common, entryPoints: { verify: 'src/core/tokens/verify.ts' }, outdir },
  { ...common, entryPoints: { cli: 'src/cli.ts' }, outdir, banner: { js: '#!/usr/bin/env node' } },
  // The CLI's heavier command code (YAML, jose, the auth-error recogniser): `sa-token decode` never loads it.
  { ...common, entryPoints: { 'cli-commands': 'src/cli/commandsBundle.ts' }, outdir },
  // Every command's definition but decode's: `sa-token decode` never loads it (bench: cli_decode_vs_node_ratio).
  { ...common, entryPoints: { 'cli-other-commands': 'src/cli/otherCommands.ts' }, outdir },
  webBuild,
];

// tree-sitter's runtime and the grammars SAT202 parses with, next to dist/code.js (src/code/sources.ts finds them).
const grammars = [
  'tree-sitter',
  'tree-sitter-python',
  'tree-sitter-go',
  'tree-sitter-javascript',
  'tree-sitter-typescript',
  'tree-sitter-tsx',
  'tree-sitter-java',
  'tree-sitter-bash',
];
mkdirSync(`${outdir}/tree-sitter`, { recursive: true });
for (const grammar of grammars)
  copyFileSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${grammar}.wasm`, `${outdir}/tree-sitter/${grammar}.wasm`);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build({ ...options, metafile: true })));
  for (const [index, { metafile }] of results.entries()) {
    if (writeMetafiles) {
      const [bundle] = Object.keys(builds[index].entryPoints);
      writeFileSync(`${outdir}/${bundle}.meta.json`, JSON.stringify(metafile));
    }
    for (const [file, { bytes }] of Object.entries(metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file.padEnd(24)} ${(bytes / 1024).toFixed(1)} KiB`);
    }
  }
}
