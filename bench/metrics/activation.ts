// activation_bundle_bytes, activation_loads_client_node and activation_ms: dist/extension.js activated in a fresh
// Node process with a stubbed `vscode` (bench/probes/activation-probe.cjs), as when a YAML file opens.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { pending, ms, type BenchContext, type MetricResult } from '../lib/result';
import { summarize } from '../lib/stats';

interface ProbeOutput {
  requireMs: number;
  activateMs: number;
  files: { file: string; bytes: number }[];
  subscriptions: number;
}

const BYTES_TARGET = { atMost: 200_000 };
const CLIENT_NODE_TARGET = { equals: false };
// A type name only @kubernetes/client-node's generated models carry: finds it even when bundled into another file.
const CLIENT_NODE_MARKER = 'V1ServiceAccountTokenProjection';

/** Top-level exports of the `vscode` module (namespaces, classes, enums, functions), read with the TypeScript API. */
export function vscodeApiNames(): string[] {
  const path = join(__dirname, '../../node_modules/@types/vscode/index.d.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const vscodeModule = source.statements.find(
    (statement): statement is ts.ModuleDeclaration =>
      ts.isModuleDeclaration(statement) && statement.name.text === 'vscode',
  );
  const body = vscodeModule?.body && ts.isModuleBlock(vscodeModule.body) ? vscodeModule.body.statements : [];
  return body.flatMap((statement) => {
    if (ts.isVariableStatement(statement))
      return statement.declarationList.declarations.map((declaration) => declaration.name.getText(source));
    const named = statement as ts.Statement & { name?: ts.Identifier };
    return !ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement) && named.name
      ? [named.name.text]
      : [];
  });
}

function probeOnce(repoRoot: string, apiNames: string[]): ProbeOutput {
  const probe = join(__dirname, '../probes/activation-probe.cjs');
  const env = { ...process.env, SA_BENCH_VSCODE_NAMES: apiNames.join(',') };
  const result = spawnSync(process.execPath, [probe, repoRoot], { encoding: 'utf8', timeout: 60_000, env });
  if (result.status !== 0)
    throw new Error((result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n')[0]);
  return JSON.parse(result.stdout) as ProbeOutput;
}

function loadsClientNode(files: ProbeOutput['files']): boolean {
  return files.some(
    ({ file }) =>
      file.endsWith('/dist/kube.js') ||
      file.includes('@kubernetes/client-node') ||
      readFileSync(file, 'utf8').includes(CLIENT_NODE_MARKER),
  );
}

export function measureActivation(context: BenchContext): MetricResult[] {
  const keys = ['activation_bundle_bytes', 'activation_loads_client_node', 'activation_ms'] as const;
  const targets = [BYTES_TARGET, CLIENT_NODE_TARGET, { report: true } as const];
  const missing = (reason: string) => keys.map((key, i) => pending(key, targets[i], reason));
  if (!existsSync(join(context.repoRoot, 'dist/extension.js'))) return missing('dist/extension.js is not built');
  const runs: ProbeOutput[] = [];
  const apiNames = vscodeApiNames();
  try {
    for (let i = 0; i < (context.quick ? 5 : 15); i++) runs.push(probeOnce(context.repoRoot, apiNames));
  } catch (error) {
    return missing(`activation failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { files, subscriptions } = runs[0];
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const clientNode = loadsClientNode(files);
  const total = summarize(runs.map((run) => run.requireMs + run.activateMs));
  const requireStats = summarize(runs.map((run) => run.requireMs));
  const loaded = files.map((file) => `${relative(context.repoRoot, file.file)} (${file.bytes} B)`);
  return [
    {
      key: keys[0],
      value: bytes,
      target: BYTES_TARGET,
      unit: 'B',
      absolute: `${files.length} module file(s): ${loaded.join(', ')}`,
      details: { files: loaded },
    },
    {
      key: keys[1],
      value: clientNode,
      target: CLIENT_NODE_TARGET,
      absolute: clientNode ? 'kube.js or client-node code loaded on activation' : 'kube.js not loaded',
      details: {},
    },
    {
      key: keys[2],
      value: total.median,
      target: { report: true },
      unit: 'ms',
      absolute: `require ${ms(requireStats.median)} + activate(); ${subscriptions} disposables registered; ${total.n} fresh processes`,
      details: { totalMs: total, requireMs: requireStats },
    },
  ];
}
