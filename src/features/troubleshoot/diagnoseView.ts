// "Diagnose Token Problems": the doctor's checklist for a pod or ServiceAccount from the cluster tree, a ServiceAccount
// named by an explained error, or a workload in a manifest (offline checks, plus the cluster when connected). The
// target is looked up again here; nothing in the arguments is trusted beyond names in Kubernetes' alphabet.
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import {
  type CheckFix,
  diagnose,
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
    ? request.for.filter((entry): entry is string => typeof entry === 'string' && /^[a-z*]+ [a-z0-9.*/-]+$/.test(entry))
    : undefined;
  return {
    kind,
    namespace,
    name: request.name,
    for: questions,
    manifest: typeof request.manifest === 'string' ? request.manifest : undefined,
  };
}

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
  const run = async (): Promise<{ report: DoctorReport; where: string }> => {
    if (target.manifest) {
      const objects = manifestObjects(target.manifest);
      const connection = session.current;
      if (connection) {
        const snapshot = await connection.doctorSnapshot({ kind, namespace, name }, readers(kind));
        if (snapshot.object !== null)
          return {
            report: await diagnose(
              inputFromCluster({ kind, namespace, name }, snapshot, connection.context, questions),
            ),
            where: `cluster ${connection.context}`,
          };
      }
      const input = inputFromManifests({ kind, namespace, name }, objects, questions);
      if (!input) throw new Error(`${kind} ${name} is no longer in the manifest.`);
      return {
        report: await diagnose(input),
        where: connection ? 'the manifest (not in the connected cluster)' : 'the manifest only (no cluster connected)',
      };
    }
    const connection = await session.connection();
    const snapshot = await connection.doctorSnapshot({ kind, namespace, name }, readers(kind));
    if (snapshot.object === null) throw new Error(`${kind} ${namespace}/${name} no longer exists.`);
    return {
      report: await diagnose(inputFromCluster({ kind, namespace, name }, snapshot, connection.context, questions)),
      where: `cluster ${connection.context}`,
    };
  };
  const { report, where } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Diagnosing ${kind} ${namespace}/${name}…` },
    run,
  );
  panel.show(doctorReport(report, where, () => diagnoseTokenProblems(session, panel, argument)));
  return report;
}

const readers = (kind: string) => ({
  serviceAccount: (object: unknown) => serviceAccountOf(kind, object),
  secrets: (object: unknown) => secretsReadBy(kind, object),
});

function manifestObjects(uri: string): unknown[] {
  const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri);
  if (!document) throw new Error('Open the manifest again to diagnose it.');
  return parseAllDocuments(document.getText()).flatMap((doc) => {
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    const items = (value as { items?: unknown })?.items;
    return Array.isArray(items) ? items : [value];
  });
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

export function doctorReport(report: DoctorReport, where: string, rerun: () => unknown): Report {
  const { pass, warn, fail, skip } = report.summary;
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
        ...(check.fix ? fixAction(check.fix) : []),
        ...(index === 0 ? [{ label: 'Run Again', run: rerun }] : []),
      ],
    })),
  };
}
