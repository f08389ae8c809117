// `npm run bench [-- --quick] [--no-build] [--only GROUP,…] [--scale 0.5]`: generates the workloads, measures every metric
// registered below, prints a Markdown table and writes bench/results.json. Exits 0 even when a target is missed (it is a
// report); non-zero only when the bench itself fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestCluster } from '../scripts/lib/cluster';
import { rssMethod } from './lib/child';
import { renderTable, writeResults } from './lib/report';
import { firstLine, pending, type BenchContext, type MetricResult, type Target } from './lib/result';
import { measureActivation } from './metrics/activation';
import { measureCliDecode } from './metrics/cliStart';
import { measureAliasScaling, measureHoverLongLine, measureRelint } from './metrics/editing';
import { measureExtHostBlock, measureWebHostBlock } from './metrics/hostBlock';
import { measureExplain } from './metrics/explain';
import { measureInventory, measureTreeFirstPaint } from './metrics/cluster';
import { measureLeakScan } from './metrics/leaks';
import { measureFixAll, measureLint, measureRealisticLint } from './metrics/manifests';
import { measureRbac, RBAC_KEY } from './metrics/rbac';
import { measureReportConcurrency, REPORT_KEY } from './metrics/report';
import { measureSecretBytes, SECRET_BYTES_KEY, SECRET_BYTES_TARGET } from './metrics/secretBytes';
import { measureDecode, measureHover } from './metrics/tokens';
import { generateCorpus } from './workloads/corpus';
import { generateRealisticCorpus } from './workloads/realistic';
import { buildTokenFile, createMinter, mintTokenSet, placeTokens } from './workloads/tokens';

/**
 * One entry per group: its metrics with their targets (the rows shown when the group cannot run) and how to measure
 * them. A new metric file registers here with one import and one entry.
 */
interface BenchGroup {
  name: string;
  metrics: [key: string, target: Target][];
  measure(context: BenchContext, run: RunOptions): MetricResult[] | Promise<MetricResult[]>;
}

interface RunOptions {
  /** Local API server size for the cluster group. */
  scale: number;
}

const GROUPS: BenchGroup[] = [
  {
    name: 'activation',
    metrics: [
      ['activation_bundle_bytes', { atMost: 200_000 }],
      ['activation_loads_client_node', { equals: false }],
      ['activation_ms', { report: true }],
    ],
    measure: (context) => measureActivation(context),
  },
  {
    name: 'tokens',
    metrics: [
      ['hover_large_vs_small_ratio', { atMost: 1.5 }],
      ['hover_p99_ms', { report: true }],
      ['decode_vs_floor_ratio', { atMost: 2 }],
      ['hover_long_line_ratio', { atMost: 2 }],
      ['cli_decode_vs_node_ratio', { atMost: 1.25 }],
    ],
    measure: (context) => tokenMetrics(context),
  },
  {
    name: 'manifests',
    metrics: [
      ['lint_vs_parse_ratio', { atMost: 1.3 }],
      ['fixall_docs_per_s', { report: true }],
      ['relint_after_edit_vs_full_ratio', { atMost: 0.1 }],
      ['alias_lint_scaling', { atMost: 12 }],
      ['lint_realistic_vs_parse_ratio', { atMost: 1.3 }],
    ],
    measure: (context) => manifestMetrics(context),
  },
  {
    name: 'host-block',
    metrics: [
      ['ext_host_max_block_ms', { atMost: 50 }],
      ['web_host_max_block_ms', { atMost: 50 }],
    ],
    measure: async (context) => {
      const corpus = generateCorpus({ documents: context.quick ? 1000 : 5000 });
      return [await measureExtHostBlock(context, corpus), await measureWebHostBlock(context, corpus)];
    },
  },
  {
    name: 'cluster',
    metrics: [
      ['inventory_vs_kubectl_time_ratio', { atMost: 0.5 }],
      ['inventory_vs_kubectl_rss_ratio', { atMost: 0.5 }],
      ['tree_first_paint_ms', { report: true }],
      [SECRET_BYTES_KEY, SECRET_BYTES_TARGET],
    ],
    measure: (context, { scale }) =>
      withLargeCluster(context, scale, async (kubeconfig, scratch) => {
        const tree = measureTreeFirstPaint(context, kubeconfig);
        return [
          ...(await measureInventory(context, kubeconfig, scratch)),
          tree,
          await measureSecretBytes(context, kubeconfig),
        ];
      }),
  },
  {
    name: 'explain',
    metrics: [['explain_vs_split_ratio', { atMost: 3 }]],
    measure: async (context) => [await measureExplain(context)],
  },
  {
    name: 'leaks',
    metrics: [
      ['leak_scan_log_scaling', { atMost: 10 }],
      ['leak_scan_kubeconfig_scaling', { atMost: 10 }],
    ],
    measure: async (context) => measureLeakScan(context, await createMinter()),
  },
  {
    name: 'rbac',
    metrics: [[RBAC_KEY, { atMost: 0.5 }]],
    measure: (context, { scale }) =>
      withLargeCluster(context, scale, async (kubeconfig) => [await measureRbac(context, kubeconfig)]),
  },
  {
    name: 'report',
    metrics: [[REPORT_KEY, { atLeast: 3 }]],
    measure: async (context) => [await measureReportConcurrency(context)],
  },
];

const groupPending = (group: BenchGroup, reason: string): MetricResult[] =>
  group.metrics.map(([key, target]) => pending(key, target, reason));

class UsageError extends Error {}

const repoRoot = join(__dirname, '..');

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
  only: { type: 'string' },
  scale: { type: 'string' },
} as const;

function parsedArgs() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    throw new UsageError(firstLine(error));
  }
}

function options() {
  const values = parsedArgs();
  const scale = values.scale === undefined ? (values.quick ? 0.1 : 1) : Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new UsageError(`--scale must be a number in (0, 1], got ${values.scale}`);
  const names = GROUPS.map((group) => group.name);
  const only = values.only ? values.only.split(',') : names;
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length) throw new UsageError(`unknown group ${unknown.join(', ')}; groups: ${names.join(', ')}`);
  return { quick: values.quick, build: !values['no-build'], groups: new Set(only), scale };
}

function build(context: BenchContext): string | null {
  context.log('building dist/ (node esbuild.mjs --production)');
  const result = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status === 0) return null;
  const reason = `build failed, measuring the existing dist/: ${(result.stderr || '').trim().split('\n')[0]}`;
  context.log(reason);
  return reason;
}

async function tokenMetrics(context: BenchContext): Promise<MetricResult[]> {
  const minter = await createMinter();
  const hoverTokens = [
    await minter.bound('payments', 'billing-sa', 'billing-7d9f8'),
    await minter.legacy('ci', 'deployer', 'deployer-token-x7k2q'),
  ];
  const small = buildTokenFile(100, placeTokens(100, hoverTokens), 1);
  const large = buildTokenFile(200_000, placeTokens(200_000, hoverTokens), 2);
  const decodeTokens = await mintTokenSet(minter, 200);
  return [
    ...(await measureHover(context, small, large)),
    await measureDecode(context, decodeTokens),
    await measureHoverLongLine(context, hoverTokens[0]),
    await measureCliDecode(context, hoverTokens[1]),
  ];
}

async function manifestMetrics(context: BenchContext): Promise<MetricResult[]> {
  const corpus = generateCorpus({ documents: context.quick ? 1000 : 5000 });
  context.log(`corpus: ${corpus.files.length} files, ${corpus.documents} documents, ${corpus.lines} lines`);
  const lint = await measureLint(context, corpus);
  lint.details.corpus = {
    files: corpus.files.length,
    documents: corpus.documents,
    lines: corpus.lines,
    bytes: corpus.bytes,
    kinds: corpus.kinds,
    problems: corpus.problems,
  };
  return [
    lint,
    await measureFixAll(context, corpus),
    await measureRelint(context, corpus),
    await measureAliasScaling(context),
    await measureRealisticLint(context, generateRealisticCorpus(context.quick ? 1500 : 6800)),
  ];
}

/** Runs `measure` against the local API server with the large data set, started for it and stopped after. */
async function withLargeCluster(
  context: BenchContext,
  scale: number,
  measure: (kubeconfig: string, scratch: string) => Promise<MetricResult[]>,
): Promise<MetricResult[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-cluster-'));
  try {
    context.log(`starting the local API server: --data large --scale ${scale}`);
    const cluster = await startTestCluster(scratch, { data: 'large', scale, timeoutMs: 180_000 });
    try {
      return await measure(cluster.kubeconfig, scratch);
    } finally {
      await cluster.service.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const { quick, build: shouldBuild, groups, scale } = options();
  const context: BenchContext = { repoRoot, quick, log: (message) => process.stderr.write(`[bench] ${message}\n`) };
  const loadBefore = loadavg();
  const buildProblem = shouldBuild ? build(context) : 'not rebuilt (--no-build)';
  const results: MetricResult[] = [];
  const groupSeconds: Record<string, number> = {};
  for (const group of GROUPS.filter(({ name }) => groups.has(name))) {
    const groupStarted = Date.now();
    try {
      results.push(...(await group.measure(context, { scale })));
    } catch (error) {
      // The measured code threw: report it in the table rather than losing the other groups' figures.
      context.log(`${group.name} failed: ${firstLine(error)}`);
      results.push(...groupPending(group, `measurement failed: ${firstLine(error)}`));
    }
    groupSeconds[group.name] = Math.round((Date.now() - groupStarted) / 1000);
  }
  const meta = {
    date: new Date().toISOString(),
    quick,
    clusterScale: scale,
    durationS: Math.round((Date.now() - started) / 1000),
    groupSeconds,
    node: process.version,
    kubectl: firstLine(spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).stdout ?? ''),
    machine: {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadBefore,
      loadAfter: loadavg(),
    },
    rssMethod,
    build: buildProblem ?? 'rebuilt with node esbuild.mjs --production',
  };
  console.log(renderTable(results));
  const resultsPath = join(repoRoot, 'bench/results.json');
  writeResults(resultsPath, results, meta);
  context.log(`wrote ${resultsPath} in ${meta.durationS} s`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
