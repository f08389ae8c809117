// `sa-token report`: upgrade readiness of every selected context at once — a verdict per cluster (ready, will break,
// cleanup pending, unreachable), and the findings for the PATHs given — as text, markdown, HTML or JSON.
// The report code is dist/cli-commands.js and the cluster code dist/kube.js, both loaded when the command runs.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { ClusterReport, FleetReport, ReportFinding } from '../core/report/model';
import type { FleetProgress } from '../core/report/fleet';
import { inertJson, printable } from '../core/printable';
import type { ClusterConnection } from '../kube/index';
import { loadKube } from '../kubeLoader';
import { loadCommands } from './commands';
import { collectRepeated, EXIT_FINDINGS, EXIT_OK, UsageError } from './io';
import { lintFindings } from './lint';

type Format = 'text' | 'md' | 'html' | 'json';

interface ReportOptions {
  allContexts?: boolean;
  context: string[];
  kubeconfig?: string;
  format: Format;
  output?: string;
  timeout: string;
  concurrency: string;
  quiet?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'Upgrade readiness of one or many clusters at once: a verdict per cluster (ready, will break, cleanup pending, unreachable) with workloads reading legacy token Secrets, the cleaner’s dates, failing doctor checks and RBAC risks; plus findings in the PATHs given. Exit 0 ready, 1 something will break or a cluster could not be read, 2 usage.',
    )
    .argument('[paths...]', 'manifests, dependency files and code to lint as well (files or directories)')
    .option('--all-contexts', 'every context of the kubeconfig')
    .option('--context <name>', 'a kubeconfig context (repeatable; default: the current context)', collectRepeated, [])
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, its files merged, then ~/.kube/config)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'html', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('--timeout <seconds>', 'per-cluster time limit', '60')
    .option('--concurrency <n>', 'clusters checked at once', '8')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (paths: string[], options: ReportOptions) => {
      process.exitCode = await runReport(paths, options);
    });
}

function positive(value: string, option: string, integer: boolean): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number)))
    throw new UsageError(`${option} must be a positive ${integer ? 'whole number' : 'number'}, not "${value}"`);
  return number;
}

async function runReport(paths: string[], options: ReportOptions): Promise<number> {
  const timeoutMs = positive(options.timeout, '--timeout', false) * 1000;
  const concurrency = positive(options.concurrency, '--concurrency', true);
  if (options.allContexts && options.context.length)
    throw new UsageError('use either --all-contexts or --context, not both');
  const commands = loadCommands();
  // The PATHs first: a mistyped path is a usage error before any cluster is asked.
  const manifests = paths.length ? (await lintFindings(paths)).findings.map(reportFinding) : [];
  const kube = loadKube();
  const contexts = selectContexts(kube, options);
  const progress = options.quiet ? () => undefined : progressPrinter(contexts.length);
  if (!options.quiet)
    process.stderr.write(
      `sa-token: checking ${contexts.length} context${contexts.length === 1 ? '' : 's'}, up to ${Math.min(concurrency, contexts.length)} at once\n`,
    );
  const now = new Date();
  const targets = await Promise.all(contexts.map((context) => prepare(kube, context, options.kubeconfig, timeoutMs)));
  const clusters = await commands.runFleet(
    targets,
    async (target, signal) => {
      if ('error' in target) throw new Error(target.error);
      try {
        const picture = await target.connection.reportPicture({ signal });
        return await commands.analyzeCluster(picture, { now });
      } finally {
        target.connection.close();
      }
    },
    { concurrency, timeoutMs, onProgress: progress },
  );
  for (const target of targets) if ('connection' in target) target.connection.close();
  const report: FleetReport = { generatedAt: now.toISOString(), clusters, manifests };
  const rendered = render(report, options.format, commands);
  if (options.output) {
    await writeFile(options.output, rendered).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot write ${options.output}: ${error.code ?? error.message}`);
    });
    if (!options.quiet) process.stderr.write(`sa-token: wrote ${printable(options.output)}\n`);
  } else process.stdout.write(rendered);
  return exitCode(clusters);
}

/** 1 when a cluster will break or could not be read (a gate must not pass on what it did not see). */
export function exitCode(clusters: readonly ClusterReport[]): number {
  return clusters.some((cluster) => cluster.verdict === 'will-break' || cluster.verdict === 'unreachable')
    ? EXIT_FINDINGS
    : EXIT_OK;
}

function selectContexts(kube: ReturnType<typeof loadKube>, options: ReportOptions): string[] {
  try {
    const known = kube.listContexts(options.kubeconfig);
    if (options.allContexts) {
      if (known.length === 0) throw new UsageError('the kubeconfig has no contexts');
      return known.map((context) => context.name);
    }
    if (options.context.length) {
      const names = new Set(known.map((context) => context.name));
      const unknown = options.context.filter((name) => !names.has(name));
      if (unknown.length)
        throw new UsageError(`no context named ${unknown.map((name) => `"${name}"`).join(', ')} in the kubeconfig`);
      return [...new Set(options.context)];
    }
    const current = known.find((context) => context.current);
    if (!current) throw new UsageError('the kubeconfig has no current context: pass --context NAME or --all-contexts');
    return [current.name];
  } catch (error) {
    if (kube.isClusterError(error)) throw new UsageError(error.message);
    throw error;
  }
}

type Target = { context: string; server: string } & ({ connection: ClusterConnection } | { error: string });

/** Reads the kubeconfig for one context (no request yet); a context that cannot be used is reported, not fatal. */
async function prepare(
  kube: ReturnType<typeof loadKube>,
  context: string,
  kubeconfig: string | undefined,
  timeoutMs: number,
): Promise<Target> {
  try {
    // connect() makes no request and throws only ClusterErrors of kind 'config'.
    const connection = await kube.connect({
      kubeconfigPath: kubeconfig,
      context,
      timeoutMs: Math.min(timeoutMs, 30_000),
    });
    for (const warning of connection.warnings)
      process.stderr.write(`sa-token: warning: ${printable(context)}: ${printable(warning)}\n`);
    return { context, server: connection.server, connection };
  } catch (error) {
    if (!kube.isClusterError(error)) throw error;
    return { context, server: '', error: error.message };
  }
}

function progressPrinter(total: number): (event: FleetProgress) => void {
  return (event) => {
    if (event.type !== 'done') return;
    const seconds = (event.elapsedMs / 1000).toFixed(1);
    const verdict = event.report.verdict.replace('-', ' ');
    process.stderr.write(`sa-token: [${event.done}/${total}] ${printable(event.context)}: ${verdict} (${seconds} s)\n`);
  };
}

function reportFinding(finding: ReportFinding): ReportFinding {
  const { file, rule, severity, line, column, message } = finding;
  return { file, rule, severity, line, column, message };
}

function render(report: FleetReport, format: Format, commands: ReturnType<typeof loadCommands>): string {
  if (format === 'json') return `${inertJson(report)}\n`;
  if (format === 'md') return commands.reportMarkdown(report);
  if (format === 'html') return commands.reportHtml(report, { nonce: randomBytes(16).toString('base64') });
  return commands.reportText(report);
}
