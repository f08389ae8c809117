// `sa-token doctor KIND/NAME -n NAMESPACE`: the whole token troubleshooting checklist for a pod, workload or
// ServiceAccount, against the cluster (or, with -f, offline against manifests only).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseYamlValues } from '../core/manifests/nodes';
import { inertJson, printable, printableLine } from '../core/printable';
import { parseKeys } from '../core/tokens/verify';
import { DOCTOR_SHORT_NAMES, doctorKindArgument } from '../core/podKinds';
import {
  diagnose,
  doctorKind,
  DOCTOR_KINDS,
  type DoctorInput,
  type DoctorReport,
  inputFromCluster,
  inputFromManifests,
  secretsReadBy,
  serviceAccountOf,
} from '../core/troubleshoot/doctor';
import type { ClusterError } from '../kube/index';
import { loadKube } from '../kubeLoader';
import { connectFromCli } from './connect';
import { collectRepeated, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, readStdin, UsageError } from './io';
import { maxManifestSizeOption } from './ruleOptions';
import { readManifests, reportUnreadable } from './manifestFiles';

interface DoctorOptions {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  json?: boolean;
  for: string[];
  errorText?: string;
  filename: string[];
  maxManifestSize: number;
  token?: string;
  timeout: string;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      "Diagnose why a pod's (workload's, ServiceAccount's) token fails: ServiceAccount, automount, mounted tokens, legacy Secret reads, audience, TokenRequest API, expiry, RBAC, signing keys.",
    )
    .argument(
      '<target>',
      `KIND/NAME, KIND one of ${DOCTOR_KINDS.map(doctorKindArgument).join(', ')} (or kubectl's short names: ${DOCTOR_SHORT_NAMES.join(', ')})`,
    )
    .option('-n, --namespace <name>', 'namespace (default: the context\'s, else "default")')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('--json', 'print {target, checks: [{id, status, title, detail, fix}], summary}')
    .option(
      '--for <request>',
      'check RBAC for "VERB RESOURCE" (repeatable), e.g. --for "list pods"',
      collectRepeated,
      [],
    )
    .option(
      '--error-text <text>',
      'an error message the pod printed (a Forbidden message adds its request to the RBAC check)',
    )
    .option(
      '-f, --filename <file>',
      'offline: read the objects from manifests (files or directories) instead of a cluster (repeatable)',
      collectRepeated,
      [],
    )
    .addOption(maxManifestSizeOption())
    .option('--token <file>', "a token file (or - for stdin) to check against the cluster's signing keys and uid")
    .option('--timeout <seconds>', 'per-request timeout', '30')
    .action(async (target: string, options: DoctorOptions) => {
      const report = await runDoctor(target, options);
      process.stdout.write(options.json ? `${inertJson(doctorJson(report))}\n` : doctorText(report));
      process.exitCode = report.summary.fail ? EXIT_FINDINGS : EXIT_OK;
    });
}

function parseTarget(text: string, namespace: string | undefined) {
  const slash = text.indexOf('/');
  if (slash < 1) throw new UsageError(`expected KIND/NAME (e.g. pod/web-0), not "${text}"`);
  const kind = doctorKind(text.slice(0, slash));
  if (!kind)
    throw new UsageError(
      `cannot diagnose a "${text.slice(0, slash)}": use one of ${DOCTOR_KINDS.map(doctorKindArgument).join(', ')}`,
    );
  const name = text.slice(slash + 1);
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name)) throw new UsageError(`invalid object name "${name}"`);
  return { kind, name, namespace };
}

async function runDoctor(targetText: string, options: DoctorOptions): Promise<DoctorReport> {
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds, not "${options.timeout}"`);
  const parsed = parseTarget(targetText, options.namespace);
  const token = options.token === undefined ? undefined : (await readTokenFile(options.token)).trim();
  const questions = { for: options.for, errorText: options.errorText, token };
  if (options.filename.length) {
    const target = { ...parsed, namespace: parsed.namespace ?? 'default' };
    const input = inputFromManifests(
      target,
      await manifestDocuments(options.filename, options.maxManifestSize),
      questions,
    );
    if (!input)
      throw new UsageError(`${target.kind}/${target.name} in namespace ${target.namespace} is not in the manifests`);
    return diagnose(input);
  }
  return diagnose(await clusterInput(parsed, options, questions, timeoutSeconds));
}

async function clusterInput(
  parsed: { kind: string; name: string; namespace: string | undefined },
  options: DoctorOptions,
  questions: { for: string[]; errorText?: string; token?: string },
  timeoutSeconds: number,
): Promise<DoctorInput> {
  const kube = loadKube();
  try {
    const connection = await connectFromCli(kube, { ...options, timeoutMs: timeoutSeconds * 1000 });
    try {
      const target = { ...parsed, namespace: parsed.namespace ?? connection.defaultNamespace ?? 'default' };
      const snapshot = await connection.doctorSnapshot(target, {
        serviceAccount: (object) => serviceAccountOf(target.kind, object),
        secrets: (object) => secretsReadBy(target.kind, object),
      });
      if (snapshot.object === null)
        throw new UsageError(`${target.kind.toLowerCase()} ${target.name} not found in namespace ${target.namespace}`);
      // Also without --token: the discovery document names the API server's audience (the audience check).
      const keys = await clusterKeys(connection);
      return inputFromCluster(target, snapshot, connection.context, questions, keys);
    } finally {
      connection.close();
    }
  } catch (error) {
    if (kube.isClusterError(error)) throw new UsageError(clusterFailure(error), EXIT_USAGE);
    throw error;
  }
}

async function clusterKeys(connection: {
  fetchIssuerKeys(): Promise<unknown>;
  context: string;
}): Promise<DoctorInput['clusterKeys']> {
  const keys = (await connection.fetchIssuerKeys()) as {
    jwks?: unknown;
    issuer?: string | null;
    forbidden?: true;
    unavailable?: string;
  };
  if (keys.forbidden) return { unavailable: "forbidden to read the cluster's /openid/v1/jwks" };
  if (!keys.jwks) return { unavailable: keys.unavailable ?? 'no keys' };
  return {
    keys: await parseKeys(JSON.stringify(keys.jwks), `cluster ${connection.context}`),
    source: `cluster ${connection.context}`,
    issuer: keys.issuer ?? null,
  };
}

function clusterFailure(error: ClusterError): string {
  return error.kind === 'config' ? error.message : `no usable cluster: ${error.message}`;
}

async function readTokenFile(file: string): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read token file ${file}`);
  }
}

/**
 * The documents of the manifests as plain data, read as `lint` reads them (size limit, encodings) and parsed with the one hardened
 * parser: a document Kubernetes refuses (an alias bomb) or that is not YAML is skipped with one line on stderr.
 */
async function manifestDocuments(paths: string[], maxManifestSizeKb: number): Promise<unknown[]> {
  const { files, unreadable } = await readManifests(paths, { maxManifestSizeKb });
  reportUnreadable(unreadable);
  const documents: unknown[] = [];
  for (const file of files) {
    const { values, skipped } = parseYamlValues(file.text);
    for (const reason of skipped)
      process.stderr.write(`sa-token: ${printable(file.path)}: skipped a document: ${printable(reason)}\n`);
    documents.push(...values);
  }
  return documents;
}

/** Exactly the JSON contract. */
export function doctorJson(report: DoctorReport) {
  return {
    target: report.target,
    checks: report.checks.map(({ id, status, title, detail, fix }) => ({ id, status, title, detail, fix })),
    summary: report.summary,
  };
}

const ICON = { pass: '✔', warn: '!', fail: '✖', skip: '-' } as const;

export function doctorText(report: DoctorReport): string {
  const { kind, namespace, name } = report.target;
  const lines = [`${kind} ${namespace}/${name}`];
  for (const check of report.checks) {
    lines.push(`${ICON[check.status]} ${check.status.padEnd(4)} ${check.id}: ${check.title}`, `       ${check.detail}`);
    for (const line of check.evidence) lines.push(`       · ${line}`);
    if (check.fix) {
      lines.push(`       fix: ${check.fix.label}`);
      if (check.fix.command) lines.push(...check.fix.command.split('\n').map((line) => `         ${line}`));
      if (check.fix.text)
        lines.push(
          ...check.fix.text
            .trimEnd()
            .split('\n')
            .map((line) => `         ${line}`),
        );
    }
  }
  const { pass, warn, fail, skip } = report.summary;
  lines.push('', `${pass} pass, ${warn} warn, ${fail} fail, ${skip} skip`);
  return `${lines.map(printableLine).join('\n')}\n`;
}
