// SAT001 (reads of legacy token Secrets, rewritten to a projected volume) and SAT009 (any other secretKeyRef).
import { isScalar } from 'yaml';
import { fixOf, newEditor, objectRef, sharedNote, TEMPLATE_NO_FIX, type RuleContext } from '../context';
import type { SourceEditor } from '../edits';
import {
  addTokenVolume,
  appendItems,
  names,
  projectedSource,
  reusableVolume,
  TOKEN_FILES,
  unique,
  uniqueVolumeName,
  type TokenFile,
} from '../fixes';
import { getSeq, getString, nodeRange, pairRange, resolvePair, seqMaps, valueNode, type AnyMap } from '../nodes';
import type { Container, PodSpec } from '../objects';
import { RawScalar, type Plain } from '../render';
import { secretRefs, type EnvFromSecretRef, type EnvSecretRef, type SecretRef } from '../secretRefs';
import type { ManifestFix } from '../types';
import { isTemplated } from '../problems';

// The name the token controller gave auto-generated Secrets before 1.24: <serviceaccount>-token-<5 random chars>.
const LEGACY_TOKEN_SECRET_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?-token-[a-z0-9]{5}$/;
const ENV_FROM_NAMES: Record<TokenFile, string> = {
  token: 'TOKEN_PATH',
  'ca.crt': 'CA_CRT_PATH',
  namespace: 'NAMESPACE_PATH',
};

const quoted = (name: string | undefined) => (name === undefined ? undefined : `"${name}"`);

const tokenFile = (key: string | undefined): TokenFile | undefined =>
  (TOKEN_FILES as readonly string[]).includes(key ?? '') ? (key as TokenFile) : undefined;

/** Reports SAT001/SAT009; true when the pod reads a service account token. */
export function checkSecretReads(ctx: RuleContext, pod: PodSpec): boolean {
  // A templated Secret name is unknown: nothing to conclude, nothing to show.
  const refs = secretRefs(ctx.doc, pod).filter((ref) => !isTemplated(ref.secretName));
  const tokenReads = refs.filter((ref) => isTokenRead(ctx, pod, ref));
  // A Set: aliased containers and env lists multiply the refs, and a linear lookup per ref made that quadratic.
  const isTokenReadRef = new Set(tokenReads);
  const podFix = once(() => buildTokenFix(ctx, pod, tokenReads));
  for (const ref of refs) {
    const range = pairRange(ref.pair);
    if (isTokenReadRef.has(ref)) {
      const fixes = () => [podFix()?.covered.has(ref) ? podFix()?.fix : undefined];
      const declared = ctx.lookup.tokenSecret(objectRef(pod.object, ref.secretName))?.declared === true;
      const message = sharedNote(legacyMessage(ctx, ref, declared), !ctx.template && sharedForFix(ctx, pod, ref));
      const severity = declared ? 'warning' : 'error';
      ctx.report(pod.object, { rule: 'SAT001', severity, ...range, message, fixes });
    } else if (ref.type === 'env') {
      const key = ref.key && !isTemplated(ref.key) ? ` (key ${ref.key})` : '';
      const message = `Environment variable ${known(ref.envName)}reads Secret "${ref.secretName}"${key}: environment variables leak into logs and child processes; prefer mounting the Secret as a file.`;
      ctx.report(pod.object, { rule: 'SAT009', severity: 'info', ...range, message });
    }
  }
  return tokenReads.length > 0;
}

function once<T>(compute: () => T): () => T {
  let result: { value: T } | undefined;
  return () => (result ??= { value: compute() }).value;
}

function isTokenRead(ctx: RuleContext, pod: PodSpec, ref: SecretRef): boolean {
  if (ctx.lookup.isTokenSecret(objectRef(pod.object, ref.secretName))) return true;
  if (!LEGACY_TOKEN_SECRET_NAME.test(ref.secretName)) return false;
  return ref.type !== 'env' || tokenFile(ref.key) !== undefined;
}

/** The read, or a list its rewrite must extend, is shared text: it gets no fix. */
function sharedForFix(ctx: RuleContext, pod: PodSpec, ref: SecretRef): boolean {
  if (ref.aliased || ref.type === 'volume') return ref.aliased;
  const shared = (map: AnyMap, key: string) => getSeq(ctx.doc, map, key)?.aliased === true;
  if (shared(ref.container.map, 'env') || shared(ref.container.map, 'volumeMounts')) return true;
  return shared(pod.map, 'volumes') && reusableVolume(ctx, pod, ctx.fix.audience) === undefined;
}

/** A name from the manifest followed by a space, or nothing when it is absent or templated. */
const known = (name: string | undefined) => (name && !isTemplated(name) ? `${name} ` : '');

function legacyMessage(ctx: RuleContext, ref: SecretRef, declared: boolean): string {
  const what =
    ref.type === 'env'
      ? `Environment variable ${known(ref.envName)}reads key "${ref.key ?? ''}" of`
      : ref.type === 'envFrom'
        ? 'envFrom imports'
        : `Volume ${known(quoted(getString(ctx.doc, ref.volume, 'name')))}mounts`;
  const migrate =
    'Use a projected serviceAccountToken volume instead; the application must then read the token from a file and ' +
    're-read it, because projected tokens rotate.';
  // The first sentence is what the editor shows (with the rule's documentation a click away).
  const text = declared
    ? `${what} the token Secret "${ref.secretName}" these manifests create: a credential that never expires. It ` +
      'keeps working after upgrades; migrate when you can. ' +
      migrate
    : `${what} the legacy token Secret "${ref.secretName}": the workload breaks after an upgrade. Kubernetes no ` +
      'longer creates such Secrets since 1.24, and deletes unused ones since 1.30. ' +
      migrate;
  return ctx.template ? `${text} ${TEMPLATE_NO_FIX}` : text;
}

const FIX_TITLE = 'Use a projected token volume instead';
const FIX_DETAIL = 'the app must read the token file and re-read it, as it rotates';

interface BuiltFix {
  fix: ManifestFix;
  covered: Set<SecretRef>;
}

/** One fix per pod for all its token reads, so the editor's quick fix and fix-all agree and never collide. */
function buildTokenFix(ctx: RuleContext, pod: PodSpec, reads: SecretRef[]): BuiltFix | undefined {
  const editor = newEditor(ctx, pod);
  const covered = new Set<SecretRef>();
  // A converted volume that fix-all's next round would find reusable: env reads use it now, so this one fix (the
  // quick fix) does in one step what fix-all does in two.
  let converted: string | undefined;
  for (const ref of reads) {
    if (ref.type !== 'volume' || ref.aliased) continue;
    const files = convertSecretVolume(ctx, editor, ref.secret, ref);
    if (files.token === 'token' && files['ca.crt'] && files.namespace)
      converted ??= getString(ctx.doc, ref.volume, 'name');
    covered.add(ref);
  }
  const envReads = reads.filter(
    (ref): ref is EnvSecretRef | EnvFromSecretRef =>
      ref.type !== 'volume' &&
      !sharedForFix(ctx, pod, ref) &&
      (ref.type === 'envFrom' || tokenFile(ref.key) !== undefined),
  );
  if (envReads.length > 0) {
    const existing = reusableVolume(ctx, pod, ctx.fix.audience) ?? converted;
    const volumeName = existing ?? uniqueVolumeName(ctx, pod);
    let used = false;
    for (const container of new Set(envReads.map((ref) => ref.container))) {
      const mine = envReads.filter((ref) => ref.container === container);
      const done = rewriteContainer(ctx, editor, container, mine, volumeName);
      done.forEach((ref) => covered.add(ref));
      used ||= done.length > 0;
    }
    if (used && !existing) addTokenVolume(ctx, editor, pod, volumeName, ctx.fix);
  }
  return covered.size > 0 ? { fix: fixOf(editor, FIX_TITLE, 'migration', FIX_DETAIL), covered } : undefined;
}

function convertSecretVolume(
  ctx: RuleContext,
  editor: SourceEditor,
  secret: AnyMap,
  ref: SecretRef & { type: 'volume' },
): Partial<Record<TokenFile, string>> {
  const items = getSeq(ctx.doc, secret, 'items');
  const files: Partial<Record<TokenFile, string>> = {};
  if (items) {
    for (const { node } of seqMaps(ctx.doc, items.node)) {
      const file = tokenFile(getString(ctx.doc, node, 'key'));
      if (file) files[file] = getString(ctx.doc, node, 'path') ?? file;
    }
  } else {
    for (const file of TOKEN_FILES) files[file] = file;
  }
  // Copied as written: Kubernetes reads 0440 as octal, a YAML 1.2 round trip would not.
  const mode = valueNode(ctx.doc, secret, 'defaultMode');
  const modeRange = isScalar(mode) ? nodeRange(mode) : undefined;
  const defaultMode = modeRange && new RawScalar(ctx.text.slice(modeRange.start, modeRange.end));
  const source = projectedSource(ctx.fix, files, defaultMode);
  editor.replacePair(ref.pair, ref.volume.flow, 'projected', source);
  return files;
}

/** Rewrites one container's token reads and mounts the volume; returns the reads it could rewrite. */
function rewriteContainer(
  ctx: RuleContext,
  editor: SourceEditor,
  container: Container,
  reads: (EnvSecretRef | EnvFromSecretRef)[],
  volumeName: string,
): SecretRef[] {
  const mount = mountPathFor(ctx, container, volumeName);
  if (!mount) return [];
  const taken = names(ctx, container.map, 'env');
  const newEnv: Plain[] = [];
  const done: SecretRef[] = [];
  for (const ref of reads) {
    if (ref.type === 'env') {
      // `value` next to `valueFrom` is invalid already; a second `value` would not parse.
      if (resolvePair(ctx.doc, ref.envItem, 'value')) continue;
      const file = tokenFile(ref.key) as TokenFile;
      const name = resolvePair(ctx.doc, ref.envItem, 'name');
      if (name?.aliased) continue;
      const nameNode = name?.node.value;
      // The variable now holds a path, and its name says so (unless it already did).
      const envName = ref.envName?.endsWith('_PATH')
        ? ref.envName
        : unique(`${ref.envName ?? 'TOKEN'}_PATH`, taken, '_');
      if (nameNode) editor.replaceScalar(nameNode, envName);
      editor.replacePair(ref.valueFromPair, ref.envItem.flow, 'value', `${mount.path}/${file}`);
    } else {
      if (!removeEnvFrom(editor, container, ref)) continue;
      for (const file of TOKEN_FILES) {
        newEnv.push({ name: unique(ref.prefix + ENV_FROM_NAMES[file], taken, '_'), value: `${mount.path}/${file}` });
      }
    }
    done.push(ref);
  }
  if (done.length === 0) return done;
  if (newEnv.length > 0) appendItems(ctx, editor, container.map, 'env', newEnv);
  if (!mount.existing)
    appendItems(ctx, editor, container.map, 'volumeMounts', [
      { name: volumeName, mountPath: mount.path, readOnly: true },
    ]);
  return done;
}

function removeEnvFrom(editor: SourceEditor, container: Container, ref: EnvFromSecretRef): boolean {
  if (ref.envFrom.items.length > 1) return editor.removeElement(ref.envFrom, ref.index);
  const index = container.map.items.findIndex((pair) => pair.value === ref.envFrom);
  return index >= 0 && editor.removeElement(container.map, index);
}

/** Where the container sees the token volume: its existing mount, else the configured path if free. */
function mountPathFor(
  ctx: RuleContext,
  container: Container,
  volumeName: string,
): { path: string; existing: boolean } | undefined {
  const seq = getSeq(ctx.doc, container.map, 'volumeMounts');
  const mounts = (seq ? seqMaps(ctx.doc, seq.node) : []).map(({ node }) => ({
    name: getString(ctx.doc, node, 'name'),
    path: getString(ctx.doc, node, 'mountPath')?.replace(/\/+$/, ''),
  }));
  const existing = mounts.find((mount) => mount.name === volumeName && mount.path);
  if (existing) return { path: existing.path!, existing: true };
  if (mounts.some((mount) => mount.path === ctx.fix.mountPath)) return undefined;
  return { path: ctx.fix.mountPath, existing: false };
}
