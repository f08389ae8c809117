// "Diagnose Token Problems": the doctor's checklist for a pod or ServiceAccount from the cluster tree, a ServiceAccount
// named by an explained error, or a workload in a manifest (offline checks, plus the cluster when connected). The
// target is looked up again here; nothing in the arguments is trusted beyond names in Kubernetes' alphabet.
import * as vscode from 'vscode';
import {
  type CheckFix,
  diagnose,
  type DoctorInput,
  type DoctorReport,
  type DoctorTarget,
  doctorKind,
  inputFromCluster,
  inputFromManifests,
  secretsReadBy,
  serviceAccountOf,
} from '../../core/troubleshoot/doctor';
import type { ClusterNode } from '../cluster/nodes';
import type { ClusterSession } from '../cluster/session';
import { lintManifest } from '../../core/manifests/lint';
import { doctorKindArgument } from '../../core/podKinds';
import { parseYamlValues } from '../../core/manifests/nodes';
import { parseQuestion } from '../../core/rbac';
import { APPLY_FIX_COMMAND, type DiagnoseFixRequest, fixableFindings, openManifest } from './diagnoseFixes';
import type { Report, ReportAction, ReportPanel } from './reportPanel';

/** A workload in a manifest (the code lens' argument): the document is read again, by URI. */
export interface ManifestTarget {
  manifest: string;
  kind: string;
  namespace?: string;
  name: string;
}

const NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

function targetOf(argument: unknown): (DoctorTarget & { for?: string[]; manifest?: string }) | undefined {
  const node = argument as ClusterNode | undefined;
  if (node?.type === 'pod') return { kind: 'Pod', namespace: node.namespace, name: node.pod.name };
  if (node?.type === 'serviceAccount')
    return { kind: 'ServiceAccount', namespace: node.account.namespace, name: node.account.name };
  const request = (argument ?? {}) as {
    kind?: unknown;
    namespace?: unknown;
    name?: unknown;
    for?: unknown;
    manifest?: unknown;
  };
  const kind = typeof request.kind === 'string' ? doctorKind(request.kind) : undefined;
  const namespace = typeof request.namespace === 'string' ? request.namespace : 'default';
  if (!kind || typeof request.name !== 'string' || !NAME.test(request.name) || !NAME.test(namespace)) return undefined;
  const questions = Array.isArray(request.for)
    ? request.for.filter((entry): entry is string => typeof entry === 'string' && isQuestion(entry))
    : undefined;
  return {
    kind,
    namespace,
    name: request.name,
    for: questions,
    manifest: typeof request.manifest === 'string' ? request.manifest : undefined,
  };
}

/** A "VERB RESOURCE [NAME] [-n NAMESPACE|-A]" the RBAC check can ask (words from Kubernetes' alphabet only). */
const isQuestion = (entry: string): boolean =>
  /^[a-z*]+ [a-z0-9.*/-]+( [a-z0-9.-]+)?( -n [a-z0-9-]+| -A)?$/.test(entry) && questionProblem(entry) === undefined;

function questionProblem(entry: string): string | undefined {
  try {
    parseQuestion(entry, 'default');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The `--for` of `sa-token doctor`: what the token must be allowed to do, asked in an input box, comma-separated
 * (e.g. "list pods, get configmaps -n shared"). undefined when cancelled.
 */
export async function askQuestions(previous: string[] = []): Promise<string[] | undefined> {
  const answer = await vscode.window.showInputBox({
    title: 'Diagnose Token Problems — what must this token be allowed to do?',
    prompt: 'VERB RESOURCE [NAME] [-n NAMESPACE], comma-separated, e.g. "list pods, get configmaps -n shared"',
    value: previous.join(', '),
    ignoreFocusOut: true,
    validateInput: (value) => {
      for (const entry of splitQuestions(value)) {
        const problem = questionProblem(entry);
        if (problem) return `${entry}: ${problem}`;
        if (!isQuestion(entry)) return `${entry}: use Kubernetes names (lowercase letters, digits, . - /)`;
      }
      return undefined;
    },
  });
  return answer === undefined ? undefined : splitQuestions(answer);
}

const splitQuestions = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim().replace(/\s+/g, ' '))
    .filter(Boolean);

export async function diagnoseTokenProblems(
  session: ClusterSession<unknown>,
  panel: ReportPanel,
  argument: unknown,
): Promise<DoctorReport | undefined> {
  const target = targetOf(argument);
  if (!target)
    throw new Error(
      'Run "Diagnose Token Problems" on a pod or ServiceAccount in the Clusters view, or on a workload in a manifest.',
    );
  const questions = { for: target.for ?? [] };
  const { kind, namespace, name } = target;
  type Diagnosis = { report: DoctorReport; where: string; fromCluster: boolean };
  /** The diagnosis from the connected cluster; undefined when the cluster has no such object. */
  const fromConnection = async (
    connection: NonNullable<ClusterSession<unknown>['current']>,
  ): Promise<Diagnosis | undefined> => {
    const snapshot = await connection.doctorSnapshot({ kind, namespace, name }, readers(kind));
    if (snapshot.object === null) return undefined;
    const input = inputFromCluster(
      { kind, namespace, name },
      snapshot,
      connection.context,
      questions,
      await issuerOf(connection),
    );
    return { report: await diagnose(input), where: `cluster ${connection.context}`, fromCluster: true };
  };
  const run = async (): Promise<Diagnosis> => {
    if (target.manifest) {
      const documents = manifestDocuments(target.manifest);
      const connection = session.current;
      const inCluster =
        connection &&
        (await fromConnection(connection).catch((error: unknown) => {
          // A custom kind the connected cluster does not serve (no CRD): the manifest is all there is to diagnose.
          if ((error as { kind?: string }).kind === 'not-found') return undefined;
          throw error;
        }));
      if (inCluster) return inCluster;
      const input = inputFromManifests({ kind, namespace, name }, documents, questions);
      if (!input) throw new Error(`${kind} ${name} is no longer in the manifest.`);
      return {
        report: await diagnose(input),
        where: connection ? 'the manifest (not in the connected cluster)' : 'the manifest only (no cluster connected)',
        fromCluster: false,
      };
    }
    const diagnosis = await fromConnection(await session.connection());
    if (!diagnosis) throw new Error(`${kind} ${namespace}/${name} no longer exists.`);
    return diagnosis;
  };
  const { report, where, fromCluster } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Diagnosing ${kind} ${namespace}/${name}…` },
    run,
  );
  const origin = { manifest: target.manifest, fromCluster };
  const again = (asked: string[] = questions.for) =>
    diagnoseTokenProblems(session, panel, { kind, namespace, name, manifest: target.manifest, for: asked });
  const checkPermissions = async () => {
    const asked = await askQuestions(questions.for);
    if (asked) await again(asked);
  };
  panel.show(doctorReport(report, where, () => again(), origin, checkPermissions));
  return report;
}

/** The target's diagnosis from the connected cluster (what the fix buttons' command looks up again). */
export async function clusterDiagnosis(
  session: ClusterSession<unknown>,
  target: DoctorTarget,
  questions: string[] = [],
): Promise<DoctorReport> {
  const connection = await session.connection();
  const snapshot = await connection.doctorSnapshot(target, readers(target.kind));
  if (snapshot.object === null) throw new Error(`${target.kind} ${target.namespace}/${target.name} no longer exists.`);
  return diagnose(inputFromCluster(target, snapshot, connection.context, { for: questions }));
}

/**
 * The API server's audience from its service account issuer discovery (for the audience check); no keys: the
 * report never checks a token's signature (no token is supplied here). Unreadable (often 403 for people): unknown.
 */
async function issuerOf(connection: {
  fetchIssuerKeys(): Promise<{ issuer?: string | null } | object>;
  context: string;
}): Promise<DoctorInput['clusterKeys']> {
  const answer = (await connection.fetchIssuerKeys().catch(() => ({}))) as { issuer?: string | null };
  return typeof answer.issuer === 'string'
    ? { keys: [], source: `cluster ${connection.context}`, issuer: answer.issuer }
    : undefined;
}

const readers = (kind: string) => ({
  serviceAccount: (object: unknown) => serviceAccountOf(kind, object),
  secrets: (object: unknown) => secretsReadBy(kind, object),
});

/** The documents of the open manifest as plain data, read with the one hardened parser (an alias bomb is skipped). */
function manifestDocuments(uri: string): unknown[] {
  const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri);
  if (!document) throw new Error('Open the manifest again to diagnose it.');
  return parseYamlValues(document.getText()).values;
}

/** Where the report came from: the manifest it was run on (if any), and whether the cluster answered. */
export interface ReportOrigin {
  manifest?: string;
  fromCluster: boolean;
}

const applyFix = (request: DiagnoseFixRequest) => () => vscode.commands.executeCommand(APPLY_FIX_COMMAND, request);

/** The buttons of one check: the fix's own (cluster actions only when the cluster answered), then the manifest's. */
function checkActions(
  report: DoctorReport,
  check: DoctorReport['checks'][number],
  origin: ReportOrigin,
  fixable: ReadonlySet<string>,
): ReportAction[] {
  const request = (action: DiagnoseFixRequest['action']): DiagnoseFixRequest => ({
    ...report.target,
    kind: doctorKindArgument(report.target.kind),
    manifest: origin.manifest,
    check: check.id,
    action,
  });
  const actions: ReportAction[] = [];
  const fix = check.fix;
  if (origin.fromCluster && fix?.action === 'create-secret' && fix.secretName)
    actions.push({ label: `Create Secret ${fix.secretName}…`, run: applyFix(request('create-secret')) });
  if (origin.fromCluster && fix?.action === 'request-token')
    actions.push({ label: 'Request a Token…', run: applyFix(request('request-token')) });
  if (fixable.has(check.id)) {
    actions.push({ label: 'Apply Quick Fix…', run: applyFix(request('quick-fix')) });
    actions.push({ label: 'Show in Manifest', run: applyFix(request('show')) });
  }
  return [...actions, ...(fix ? fixAction(fix) : [])];
}

/** Checks (not passing) whose manifest findings inside the target have a quick fix. */
function fixableChecks(report: DoctorReport, manifest: string | undefined): Set<string> {
  const fixable = new Set<string>();
  if (!manifest) return fixable;
  try {
    const text = openManifest(manifest).getText();
    const findings = lintManifest(text);
    for (const check of report.checks)
      if (
        check.status !== 'pass' &&
        fixableFindings(text, { ...report.target, manifest, check: check.id }, findings).length
      )
        fixable.add(check.id);
  } catch {
    // The manifest was closed or changed: the report still shows, without manifest buttons.
  }
  return fixable;
}

function fixAction(fix: CheckFix): ReportAction[] {
  const actions: ReportAction[] = [];
  if (fix.text)
    actions.push({
      label: 'Open RBAC Scaffold',
      run: async () => {
        const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: fix.text });
        await vscode.window.showTextDocument(document);
      },
    });
  if (fix.command)
    actions.push({
      label: `Copy: ${fix.label}`,
      run: async () => {
        await vscode.env.clipboard.writeText(fix.command!);
        vscode.window.setStatusBarMessage('Copied the command to the clipboard.', 4000);
      },
    });
  return actions;
}

export function doctorReport(
  report: DoctorReport,
  where: string,
  rerun: () => unknown,
  origin: ReportOrigin = { fromCluster: false },
  checkPermissions?: () => unknown,
): Report {
  const { pass, warn, fail, skip } = report.summary;
  const fixable = fixableChecks(report, origin.manifest);
  const showTarget: DiagnoseFixRequest = {
    ...report.target,
    kind: doctorKindArgument(report.target.kind),
    manifest: origin.manifest,
    check: 'serviceaccount-exists',
    action: 'show',
  };
  return {
    title: `Token Problems: ${report.target.name}`,
    subtitle: `${report.target.kind} ${report.target.namespace}/${report.target.name} · from ${where}`,
    summary: `${fail} fail · ${warn} warn · ${pass} pass · ${skip} skip`,
    items: report.checks.map((check, index) => ({
      status: check.status,
      title: `${check.title} (${check.id})`,
      detail: check.detail,
      evidence: check.evidence,
      actions: [
        ...checkActions(report, check, origin, fixable),
        ...(check.id === 'rbac' && checkPermissions ? [{ label: 'Check Permissions…', run: checkPermissions }] : []),
        ...(index === 0
          ? [
              { label: 'Run Again', run: rerun },
              ...(origin.manifest ? [{ label: 'Show in Manifest', run: applyFix(showTarget) }] : []),
            ]
          : []),
      ],
    })),
  };
}
