// SAT005 (token mounted where nothing uses it), SAT006 (default service account), SAT008 (own mount at the default
// path while automount is on).
import { SERVICE_ACCOUNT_MOUNT_PATH } from '../../kubernetes';
import { isScalar } from 'yaml';
import { fixOf, newEditor, objectRef, type LocalServiceAccount, type RuleContext } from '../context';
import { AUTOMOUNT, setAutomountFalse, setPodAutomountFalseFix } from '../fixes';
import { findPair, getBoolean, getSeq, getString, nodeRange, seqMaps, valueNode } from '../nodes';
import type { PodSpec } from '../objects';
import type { ManifestFix, ObjectRef } from '../types';
import { sameNamespace } from '../workspace';

/** SAT005 stays quiet where the pod visibly uses a token: it reads one, or projects one. */
export function checkAutomount(ctx: RuleContext, pod: PodSpec, usesToken: boolean): void {
  const { podSetting, account, ref, facts, mounted } = automountOf(ctx, pod);
  if (!mounted) return;
  const range = nodeRange(
    valueNode(ctx.doc, pod.map, AUTOMOUNT) ?? valueNode(ctx.doc, pod.map, 'serviceAccountName') ?? pod.pair.key,
  );
  const podFix = () => (pod.aliased ? undefined : setPodAutomountFalseFix(newEditor(ctx, pod), pod));
  const ownMounts = checkOwnMountAtDefaultPath(ctx, pod, podFix);
  if (account === 'default') {
    ctx.report(pod.object, {
      rule: 'SAT006',
      severity: 'warning',
      ...range,
      message:
        'Runs as the "default" ServiceAccount with its token mounted: every pod of the namespace shares that identity. ' +
        'Turn automount off, or give the workload its own ServiceAccount.',
      fixes: () => [accountFix(ctx, ref), podFix(), scaffoldFix(ctx, pod)],
    });
  } else if (podSetting !== true && !facts.hasRoleBinding && !ownMounts && !usesToken) {
    ctx.report(pod.object, {
      rule: 'SAT005',
      severity: 'warning',
      ...range,
      message:
        `The token of ServiceAccount "${account}" is mounted in every container, but nothing in the workspace grants it ` +
        'a role (no RoleBinding or ClusterRoleBinding names it). If the app does not call the API server, turn automount off.',
      fixes: () => [podFix(), accountFix(ctx, ref)],
    });
  }
}

/** Whether Kubernetes mounts the token in this pod: the pod's own setting wins over the ServiceAccount's. */
export function automountOf(ctx: RuleContext, pod: PodSpec) {
  const podSetting = getBoolean(ctx.doc, pod.map, AUTOMOUNT);
  const account =
    getString(ctx.doc, pod.map, 'serviceAccountName') ?? getString(ctx.doc, pod.map, 'serviceAccount') ?? 'default';
  const ref = objectRef(pod.object, account);
  const facts = ctx.lookup.serviceAccount(ref);
  // Unset everywhere means mounted.
  return { podSetting, account, ref, facts, mounted: podSetting ?? facts.automount ?? true };
}

function checkOwnMountAtDefaultPath(ctx: RuleContext, pod: PodSpec, podFix: () => ManifestFix | undefined): boolean {
  let found = false;
  for (const container of pod.containers) {
    const mounts = getSeq(ctx.doc, container.map, 'volumeMounts');
    for (const { node } of mounts ? seqMaps(ctx.doc, mounts.node) : []) {
      const path = valueNode(ctx.doc, node, 'mountPath');
      if (!isScalar(path) || String(path.value).replace(/\/+$/, '') !== SERVICE_ACCOUNT_MOUNT_PATH) continue;
      found = true;
      ctx.report(pod.object, {
        rule: 'SAT008',
        severity: 'warning',
        ...nodeRange(path),
        message:
          `Container ${container.name ?? ''} mounts its own volume at ${SERVICE_ACCOUNT_MOUNT_PATH} while the token is automounted: ` +
          'Kubernetes then skips this container but mounts the automatic token in the others, so containers mix two ' +
          'tokens. Turn automount off.',
        fixes: () => [podFix()],
      });
    }
  }
  return found;
}

const sameRef = (account: LocalServiceAccount, ref: ObjectRef) =>
  account.object.name === ref.name && sameNamespace(account.object.namespace, ref.namespace);

/** automount off on the ServiceAccount itself, when it is defined in this file. */
function accountFix(ctx: RuleContext, ref: ObjectRef): ManifestFix | undefined {
  const account = ctx.localServiceAccounts.find((candidate) => sameRef(candidate, ref));
  if (!account || account.doc.errors.length > 0) return undefined;
  const editor = newEditor(ctx, undefined, account);
  setAutomountFalse(editor, account.object.map);
  return fixOf(editor, `Set automountServiceAccountToken: false on ServiceAccount "${ref.name}"`);
}

/** A dedicated ServiceAccount named after the workload, added after its document and named in the pod spec. */
function scaffoldFix(ctx: RuleContext, pod: PodSpec): ManifestFix | undefined {
  const { name, listItem } = pod.object;
  const placeable = listItem ? !listItem.aliased : pod.object.map === ctx.doc.contents;
  if (!name || pod.aliased || !placeable) return undefined;
  const editor = newEditor(ctx, pod);
  const existing = findPair(pod.map, 'serviceAccountName');
  if (existing?.value) editor.replaceScalar(existing.value, name);
  else editor.addPair(pod.map, 'serviceAccountName', name);
  if (!ctx.lookup.serviceAccount(objectRef(pod.object, name)).declared) {
    const metadata: Record<string, string> =
      pod.object.namespace === undefined ? { name } : { name, namespace: pod.object.namespace };
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata, [AUTOMOUNT]: false };
    // Next to the workload: the following document, or the following item of its List.
    if (listItem) editor.insertAfterItem(listItem.items, listItem.index, [account]);
    else editor.insertDocumentAfter(ctx.doc.contents, account);
  }
  return fixOf(editor, `Create ServiceAccount "${name}" for this workload and use it`);
}
