// SAT005 (token mounted where nothing shows the app uses it), SAT006 (runs as the default ServiceAccount), SAT008
// (two different tokens meet in one pod). They conclude only from what the manifests prove: a templated value, or a
// field a patch or a template injection may set elsewhere, is unknown and silences them.
import { isScalar } from 'yaml';
import { DEFAULT_SERVICE_ACCOUNT, SERVICE_ACCOUNT_MOUNT_PATH } from '../../kubernetes';
import {
  fixOf,
  isJsonDocument,
  mayHoldUnseenKeys,
  newEditor,
  objectRef,
  type LocalServiceAccount,
  type RuleContext,
} from '../context';
import { AUTOMOUNT, setAutomountFalse } from '../fixes';
import { findPair, getMap, getSeq, getString, nodeRange, seqMaps, startOf, valueNode } from '../nodes';
import type { Container, PodSpec } from '../objects';
import { isTemplated } from '../problems';
import type { ManifestFix, ObjectRef } from '../types';
import { sameNamespace, type ServiceAccountFacts } from '../workspace';

/** Strings in a pod that show it talks to the API server with its token. */
const API_USE =
  /\/var\/run\/secrets\/kubernetes\.io\/serviceaccount|KUBERNETES_SERVICE_(HOST|PORT)|kubernetes\.default(\.svc)?\b|kubectl|in-?cluster/i;
/** Pod annotations of injectors that log in with the pod's token (Vault agent: Kubernetes auth method). */
const TOKEN_INJECTORS = ['vault.hashicorp.com/agent-inject'];

const LOSES_API = 'its containers lose the token they use to call the API server';

/** SAT005/SAT006/SAT008 of one pod; `usesToken`: it reads or projects a token itself. */
export function checkAutomount(ctx: RuleContext, pod: PodSpec, usesToken: boolean): void {
  const state = automountOf(ctx, pod);
  if (state.mounted !== true) return;
  const range = nodeRange(
    valueNode(ctx.doc, pod.map, AUTOMOUNT) ?? valueNode(ctx.doc, pod.map, 'serviceAccountName') ?? pod.pair.key,
  );
  const podFix = () => podAutomountFix(ctx, pod, state.podSetting);
  const mixed = checkMixedTokens(ctx, pod, podFix);
  if (state.account === DEFAULT_SERVICE_ACCOUNT) {
    ctx.report(pod.object, {
      rule: 'SAT006',
      severity: 'warning',
      ...range,
      message:
        'Runs as the "default" ServiceAccount with its token mounted: every pod of the namespace that does the same ' +
        'shares this identity and its permissions. Give the workload its own ServiceAccount, or turn automount off if ' +
        'it never calls the API server.',
      fixes: () => [accountFix(ctx, state.ref), podFix(), scaffoldFix(ctx, pod, state.podSetting)],
    });
  } else if (
    state.account !== undefined &&
    state.podSetting === undefined &&
    !mixed &&
    !usesToken &&
    !usesApi(ctx, pod, state.facts)
  ) {
    ctx.report(pod.object, {
      rule: 'SAT005',
      severity: 'info',
      ...range,
      message:
        `The token of ServiceAccount "${state.account}" is mounted in every container, and nothing in these manifests ` +
        'shows the workload calls the API server (no RoleBinding or ClusterRoleBinding for it or its groups, no ' +
        'reference to the token path or KUBERNETES_SERVICE_HOST, no kubectl or token-using sidecar). If the app does ' +
        'not call the API server, turn automount off.',
      fixes: () => [podFix(), accountFix(ctx, state.ref)],
    });
  }
}

export interface AutomountState {
  /** The pod's own setting; undefined when absent, 'unknown' when templated or possibly set elsewhere. */
  podSetting: boolean | 'unknown' | undefined;
  /** The ServiceAccount: "default" when unset or empty; undefined when unknown (templated, or set elsewhere). */
  account: string | undefined;
  ref: ObjectRef;
  facts: ServiceAccountFacts;
  /** Whether Kubernetes mounts the token; undefined when the manifests cannot tell. */
  mounted: boolean | undefined;
}

/** Whether Kubernetes mounts the token in this pod: the pod's own setting wins over the ServiceAccount's. */
export function automountOf(ctx: RuleContext, pod: PodSpec): AutomountState {
  const unseen = pod.accountVaries || mayHoldUnseenKeys(ctx, pod.map, startOf(pod.pair.key));
  // An empty value (null) is unset, as in Kubernetes.
  const node = valueNode(ctx.doc, pod.map, AUTOMOUNT);
  const setting = isScalar(node) && node.value === null ? undefined : node;
  const podSetting =
    setting === undefined
      ? unseen
        ? 'unknown'
        : undefined
      : isScalar(setting) && typeof setting.value === 'boolean'
        ? setting.value
        : 'unknown';
  const account = accountName(ctx, pod, unseen);
  const ref = objectRef(pod.object, account ?? '');
  const facts: ServiceAccountFacts =
    account === undefined ? { declared: false, hasRoleBinding: false } : ctx.lookup.serviceAccount(ref);
  let mounted: boolean | undefined;
  if (podSetting !== undefined) mounted = podSetting === 'unknown' ? undefined : podSetting;
  else if (account === undefined || facts.automount === 'unknown') mounted = undefined;
  else mounted = facts.automount ?? true;
  return { podSetting, account, ref, facts, mounted };
}

/** serviceAccountName, else the deprecated serviceAccount, else "default" (also for ""). */
function accountName(ctx: RuleContext, pod: PodSpec, unseen: boolean): string | undefined {
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    const node = valueNode(ctx.doc, pod.map, key);
    if (node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) continue;
    const value = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    return value === undefined || isTemplated(value) ? undefined : value;
  }
  return unseen ? undefined : DEFAULT_SERVICE_ACCOUNT;
}

/** Any sign the workload calls the API server with its token. */
function usesApi(ctx: RuleContext, pod: PodSpec, facts: ServiceAccountFacts): boolean {
  if (facts.hasRoleBinding || pod.callsApi) return true;
  if (ctx.lookup.groupBound(pod.object.namespace)) return true;
  const annotations = podAnnotations(ctx, pod);
  if (TOKEN_INJECTORS.some((key) => annotations.has(key))) return true;
  // The pod's own text: env, args, commands, images, mounts.
  const { start, end } = nodeRange(pod.map);
  return API_USE.test(ctx.text.slice(start, end));
}

/** Annotations on the pod template (or the Pod itself). */
function podAnnotations(ctx: RuleContext, pod: PodSpec): Set<string> {
  const keys = new Set(pod.object.annotations.keys());
  const metadata = pod.template && getMap(ctx.doc, pod.template, 'metadata')?.node;
  const annotations = metadata && getMap(ctx.doc, metadata, 'annotations')?.node;
  for (const pair of annotations?.items ?? []) if (isScalar(pair.key)) keys.add(String(pair.key.value));
  return keys;
}

/**
 * SAT008: a container mounts something other than an API server token at the default token path while the others get
 * the automatic token: two different credentials meet in one pod. Our own projected token volume is the same
 * identity, and a one-container pod has nothing to mix.
 */
function checkMixedTokens(ctx: RuleContext, pod: PodSpec, podFix: () => ManifestFix | undefined): boolean {
  if (pod.containers.length < 2 || ctx.patch) return false;
  const mounts = pod.containers.map((container) => ({ container, mount: defaultPathMount(ctx, container) }));
  if (!mounts.some(({ mount }) => mount === undefined)) return false;
  let found = false;
  for (const { container, mount } of mounts) {
    if (!mount || isApiTokenVolume(ctx, pod, mount.volume)) continue;
    found = true;
    ctx.report(pod.object, {
      rule: 'SAT008',
      severity: 'warning',
      ...nodeRange(mount.path),
      message:
        `Container ${quoteName(container.name)}mounts its own volume at ${SERVICE_ACCOUNT_MOUNT_PATH} while the token is ` +
        'automounted: Kubernetes skips this container but mounts the automatic token in the others, so the pod mixes ' +
        'two different credentials at the same path.',
      fixes: () => [podFix()],
    });
  }
  return found;
}

const quoteName = (name: string | undefined) => (name && !isTemplated(name) ? `"${name}" ` : '');

function defaultPathMount(ctx: RuleContext, container: Container) {
  const mounts = getSeq(ctx.doc, container.map, 'volumeMounts');
  for (const { node } of mounts ? seqMaps(ctx.doc, mounts.node) : []) {
    const path = valueNode(ctx.doc, node, 'mountPath');
    if (isScalar(path) && String(path.value).replace(/\/+$/, '') === SERVICE_ACCOUNT_MOUNT_PATH) {
      return { path, volume: getString(ctx.doc, node, 'name') };
    }
  }
  return undefined;
}

/** A projected volume whose token is for the API server (no audience): the same identity as the automatic one. */
function isApiTokenVolume(ctx: RuleContext, pod: PodSpec, name: string | undefined): boolean {
  const volumes = getSeq(ctx.doc, pod.map, 'volumes');
  const volume = (volumes ? seqMaps(ctx.doc, volumes.node) : []).find(
    ({ node }) => getString(ctx.doc, node, 'name') === name,
  )?.node;
  const sources = volume && getSeq(ctx.doc, getMap(ctx.doc, volume, 'projected')?.node ?? volume, 'sources');
  return (sources ? seqMaps(ctx.doc, sources.node) : []).some(({ node }) => {
    const token = getMap(ctx.doc, node, 'serviceAccountToken')?.node;
    return token !== undefined && getString(ctx.doc, token, 'audience') === undefined;
  });
}

/** Hardening: automount off on the pod. Never flips an explicit `true` (the author's decision). */
function podAutomountFix(
  ctx: RuleContext,
  pod: PodSpec,
  setting: AutomountState['podSetting'],
): ManifestFix | undefined {
  if (pod.aliased || setting === true || setting === 'unknown') return undefined;
  const editor = newEditor(ctx, pod);
  setAutomountFalse(editor, pod.map);
  return fixOf(editor, 'Set automountServiceAccountToken: false on the pod', 'hardening', LOSES_API);
}

const sameRef = (account: LocalServiceAccount, ref: ObjectRef) =>
  account.object.name === ref.name && sameNamespace(account.object.namespace, ref.namespace);

/** Hardening: automount off on the ServiceAccount itself, when it is defined in this file and not explicitly on. */
function accountFix(ctx: RuleContext, ref: ObjectRef): ManifestFix | undefined {
  const account = ctx.localServiceAccounts.find((candidate) => sameRef(candidate, ref));
  if (!account || account.doc.errors.length > 0) return undefined;
  const existing = findPair(account.object.map, AUTOMOUNT)?.value;
  if (isScalar(existing) && existing.value === true) return undefined;
  const editor = newEditor(ctx, undefined, account);
  setAutomountFalse(editor, account.object.map);
  return fixOf(
    editor,
    `Set automountServiceAccountToken: false on ServiceAccount "${ref.name}"`,
    'hardening',
    'every pod using it that does not ask for the token loses API access',
  );
}

/** Hardening: a dedicated ServiceAccount named after the workload, added after its document and named in the pod. */
function scaffoldFix(ctx: RuleContext, pod: PodSpec, setting: AutomountState['podSetting']): ManifestFix | undefined {
  const { name, listItem } = pod.object;
  const placeable = listItem ? !listItem.aliased : pod.object.map === ctx.doc.contents;
  // A new YAML document cannot be added to JSON.
  if (!name || isTemplated(name) || pod.aliased || !placeable || setting === 'unknown' || isJsonDocument(ctx)) {
    return undefined;
  }
  const editor = newEditor(ctx, pod);
  const existing = findPair(pod.map, 'serviceAccountName');
  if (existing?.value) editor.replaceScalar(existing.value, name);
  else editor.addPair(pod.map, 'serviceAccountName', name);
  const declared = ctx.lookup.serviceAccount(objectRef(pod.object, name)).declared;
  if (!declared) {
    const metadata: Record<string, string> =
      pod.object.namespace === undefined ? { name } : { name, namespace: pod.object.namespace };
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata, [AUTOMOUNT]: false };
    // Next to the workload: the following document, or the following item of its List.
    if (listItem) editor.insertAfterItem(listItem.items, listItem.index, [account]);
    else editor.insertDocumentAfter(ctx.doc.contents, account);
  }
  const loses =
    setting === true
      ? 'it loses the permissions bound to "default"'
      : 'it loses the permissions bound to "default", and its token unless the pod asks for it';
  const added = declared ? '' : 'the ServiceAccount is added after the workload; ';
  return fixOf(editor, `Run it as its own ServiceAccount "${name}"`, 'hardening', added + loses);
}
