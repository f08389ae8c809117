// The Diagnose report's fix buttons: Show in Manifest, Apply Quick Fix, Create Secret, Request Token. Each runs the
// command saToken.diagnose.applyFix with names only; the command looks everything up again (the open manifest by
// URI, the object by kind and name, the check's fix from a fresh diagnosis, the ServiceAccount through the Clusters
// view's own inventory) and asks its own confirmation: nothing a report, a link or a caller passes is trusted.
import * as vscode from 'vscode';
import { lintManifest } from '../../core/manifests/lint';
import { findObjectSpan } from '../../core/manifests/objects';
import type { ManifestFinding } from '../../core/manifests/types';
import { isDoctorTarget } from '../../core/podKinds';
import { CHECK_IDS, CHECK_RULES, type CheckId, doctorKind, type DoctorReport } from '../../core/troubleshoot/doctor';

export const APPLY_FIX_COMMAND = 'saToken.diagnose.applyFix';

export const FIX_ACTIONS = ['show', 'quick-fix', 'create-secret', 'request-token'] as const;
export type FixAction = (typeof FIX_ACTIONS)[number];

export interface DiagnoseFixRequest {
  kind: string;
  namespace: string;
  name: string;
  /** The manifest the diagnosis came from (an open document's URI). */
  manifest?: string;
  check: CheckId;
  action: FixAction;
}

const NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** The request, if every part is one of ours or a name in Kubernetes' alphabet; undefined otherwise. */
export function fixRequestOf(argument: unknown): DiagnoseFixRequest | undefined {
  const raw = (argument ?? {}) as Record<string, unknown>;
  const kind = typeof raw.kind === 'string' ? doctorKind(raw.kind) : undefined;
  const { namespace, name, manifest, check, action } = raw;
  if (!kind || typeof namespace !== 'string' || !NAME.test(namespace) || typeof name !== 'string' || !NAME.test(name))
    return undefined;
  if (!CHECK_IDS.includes(check as CheckId) || !FIX_ACTIONS.includes(action as FixAction)) return undefined;
  if (manifest !== undefined && typeof manifest !== 'string') return undefined;
  return { kind, namespace, name, manifest, check: check as CheckId, action: action as FixAction };
}

/** The open document with that URI (never opened from the argument: a report only names documents it read). */
export function openManifest(uri: string | undefined): vscode.TextDocument {
  const document = uri && vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri);
  if (!document) throw new Error('Open the manifest again, then run Diagnose Token Problems on it.');
  return document;
}

/** The object's text range in the manifest, found again by kind, name and namespace. */
function objectRange(
  text: string,
  request: Omit<DiagnoseFixRequest, 'action' | 'check'>,
): { start: number; end: number } {
  const span = findObjectSpan(text, request, (object) => isDoctorTarget(object.kind, object.apiVersion));
  if (!span) throw new Error(`${request.kind} ${request.name} is no longer in the manifest.`);
  return span;
}

/** The findings inside the object whose quick fixes mend what the check found, with a fix. */
export function fixableFindings(
  text: string,
  request: Omit<DiagnoseFixRequest, 'action'>,
  findings: ManifestFinding[] = lintManifest(text),
): ManifestFinding[] {
  const rules = CHECK_RULES[request.check] ?? [];
  if (rules.length === 0) return [];
  const range = objectRange(text, request);
  return findings.filter(
    (finding) =>
      rules.includes(finding.rule) &&
      finding.start >= range.start &&
      finding.end <= range.end &&
      finding.fixes.length > 0,
  );
}

export interface DiagnoseFixDeps {
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A fresh diagnosis of the target, from the cluster (the manifest's is read here). */
  clusterReport(request: DiagnoseFixRequest): Promise<DoctorReport>;
  /** Creates the token Secret and waits until it is filled (the Clusters view's own command logic). */
  createTokenSecret(namespace: string, serviceAccount: string, secretName: string): Promise<unknown>;
  /** Runs Request Token on the ServiceAccount (that command re-resolves it and asks for the lifetime). */
  requestToken(namespace: string, serviceAccount: string): PromiseLike<unknown>;
  /** Shows the diagnosis again after a change. */
  rediagnose(request: DiagnoseFixRequest): Promise<unknown>;
}

export async function applyDiagnoseFix(deps: DiagnoseFixDeps, argument: unknown): Promise<boolean> {
  const request = fixRequestOf(argument);
  if (!request) throw new Error('Use the buttons of a Diagnose Token Problems report.');
  switch (request.action) {
    case 'show':
      return showInManifest(request);
    case 'quick-fix':
      return applyQuickFix(deps, request);
    case 'create-secret':
    case 'request-token':
      return clusterFix(deps, request);
  }
}

async function showInManifest(request: DiagnoseFixRequest): Promise<boolean> {
  const document = openManifest(request.manifest);
  const text = document.getText();
  const at = fixableFindings(text, request)[0] ?? objectRange(text, request);
  const range = new vscode.Range(document.positionAt(at.start), document.positionAt(at.end));
  await vscode.window.showTextDocument(document, { selection: range, viewColumn: vscode.ViewColumn.One });
  return true;
}

async function applyQuickFix(deps: DiagnoseFixDeps, request: DiagnoseFixRequest): Promise<boolean> {
  const document = openManifest(request.manifest);
  const [finding] = fixableFindings(document.getText(), request);
  if (!finding) throw new Error(`Nothing left to fix for ${request.check} in ${request.kind} ${request.name}.`);
  const [fix] = finding.fixes;
  const line = document.positionAt(finding.start).line + 1;
  const confirmed = await deps.confirm(
    `Apply "${fix.title}" to ${request.kind} ${request.name}?`,
    `${finding.rule} at line ${line}: ${finding.message}`,
    'Apply',
  );
  if (!confirmed) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const change of fix.edits)
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)),
      change.newText,
    );
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new Error('The manifest changed meanwhile; nothing was applied.');
  await deps.rediagnose(request);
  return true;
}

async function clusterFix(deps: DiagnoseFixDeps, request: DiagnoseFixRequest): Promise<boolean> {
  const report = await deps.clusterReport(request);
  const fix = report.checks.find((check) => check.id === request.check)?.fix;
  const serviceAccount = fix?.serviceAccount;
  if (request.action === 'request-token') {
    if (fix?.action !== 'request-token' || !serviceAccount || !NAME.test(serviceAccount))
      throw new Error(`The ${request.check} check no longer asks for a new token; nothing was done.`);
    await deps.requestToken(request.namespace, serviceAccount);
    return true;
  }
  const secretName = fix?.secretName;
  if (fix?.action !== 'create-secret' || !serviceAccount || !secretName || !NAME.test(secretName))
    throw new Error(`The ${request.check} check no longer finds a missing token Secret; nothing was done.`);
  const confirmed = await deps.confirm(
    `Create token Secret ${request.namespace}/${secretName} for service account ${serviceAccount}?`,
    `${request.kind} ${request.name} reads it, and it does not exist. The token controller fills it with a legacy token that never expires: it stays valid until the Secret is deleted. A projected token (the SAT001 quick fix in the manifest) is the lasting fix.`,
    'Create',
  );
  if (!confirmed) return false;
  if (!(await deps.createTokenSecret(request.namespace, serviceAccount, secretName))) return false;
  await deps.rediagnose(request);
  return true;
}
