// SAT003 (expirationSeconds bounds) and SAT004 (audience at the default path, missing or duplicate paths).
import { isMap, isScalar, type Scalar } from 'yaml';
import {
  MAX_TOKEN_EXPIRATION_SECONDS,
  MIN_TOKEN_EXPIRATION_SECONDS,
  SERVICE_ACCOUNT_MOUNT_PATH,
} from '../../kubernetes';
import { DAY_SECONDS } from '../../time';
import { fixOf, newEditor, sharedNote, type RuleContext } from '../context';
import {
  getMap,
  getNumber,
  getSeq,
  getString,
  nodeRange,
  resolvePair,
  seqMaps,
  startOf,
  valueNode,
  type AnyMap,
} from '../nodes';
import type { SourceEditor } from '../edits';
import { addTokenVolume, appendItems, reusableVolume, uniqueVolumeName } from '../fixes';
import type { PodSpec } from '../objects';
import { automountOf } from './automount';
import { isTemplated } from '../problems';

const CUSTOM_AUDIENCE_PATH = '/var/run/secrets/tokens';

interface ProjectedVolume {
  name?: string;
  sources: AnyMap[];
  aliased: boolean;
}

function projectedVolumes(ctx: RuleContext, pod: PodSpec): ProjectedVolume[] {
  const volumes = getSeq(ctx.doc, pod.map, 'volumes');
  return (volumes ? seqMaps(ctx.doc, volumes.node) : []).flatMap(({ node, aliased }) => {
    const projected = getMap(ctx.doc, node, 'projected');
    const sources = projected && getSeq(ctx.doc, projected.node, 'sources');
    if (!sources) return [];
    const maps = seqMaps(ctx.doc, sources.node);
    const anyAliased =
      pod.aliased || aliased || projected.aliased || sources.aliased || maps.some((item) => item.aliased);
    return [{ name: getString(ctx.doc, node, 'name'), sources: maps.map((item) => item.node), aliased: anyAliased }];
  });
}

/** Reports SAT003/SAT004; true when the pod projects a service account token. */
export function checkProjectedTokens(ctx: RuleContext, pod: PodSpec): boolean {
  let projectsToken = false;
  for (const volume of projectedVolumes(ctx, pod)) {
    checkDuplicatePaths(ctx, pod, volume);
    for (const source of volume.sources) {
      const token = getMap(ctx.doc, source, 'serviceAccountToken')?.node;
      if (!token) continue;
      projectsToken = true;
      checkExpiration(ctx, pod, token, volume.aliased);
      checkPath(ctx, pod, source, token, volume);
      checkAudience(ctx, pod, token, volume);
    }
  }
  return projectsToken;
}

function checkExpiration(ctx: RuleContext, pod: PodSpec, token: AnyMap, aliased: boolean): void {
  const pair = resolvePair(ctx.doc, token, 'expirationSeconds');
  const node = pair?.node.value;
  const seconds = getNumber(ctx.doc, token, 'expirationSeconds');
  if (seconds === undefined || !isScalar(node)) return;
  const shared = aliased || pair!.aliased;
  const set = (value: number, title: string) => {
    if (shared) return undefined;
    const editor = newEditor(ctx, pod);
    editor.replaceScalar(node, value);
    return fixOf(editor, title);
  };
  const report = (severity: 'error' | 'warning', message: string, value: number, title: string) =>
    ctx.report(pod.object, {
      rule: 'SAT003',
      severity,
      ...nodeRange(node),
      message: sharedNote(message, shared),
      fixes: () => [set(value, title)],
    });
  if (seconds < MIN_TOKEN_EXPIRATION_SECONDS) {
    report(
      'error',
      `expirationSeconds ${seconds} is below ${MIN_TOKEN_EXPIRATION_SECONDS}: the API server rejects the pod.`,
      MIN_TOKEN_EXPIRATION_SECONDS,
      `Raise expirationSeconds to ${MIN_TOKEN_EXPIRATION_SECONDS}`,
    );
  } else if (seconds > MAX_TOKEN_EXPIRATION_SECONDS) {
    report(
      'error',
      `expirationSeconds ${seconds} is above 2^32: the API server rejects the pod.`,
      ctx.fix.expirationSeconds,
      `Set expirationSeconds to ${ctx.fix.expirationSeconds}`,
    );
  } else if (seconds > DAY_SECONDS) {
    report(
      'warning',
      `expirationSeconds ${seconds} is more than 24 hours: a leaked token stays usable that long.`,
      ctx.fix.expirationSeconds,
      `Set expirationSeconds to ${ctx.fix.expirationSeconds}`,
    );
  }
}

function sourcePaths(ctx: RuleContext, source: AnyMap): Scalar[] {
  const paths: Scalar[] = [];
  for (const pair of source.items) {
    if (!isMap(pair.value)) continue;
    const direct = valueNode(ctx.doc, pair.value, 'path');
    if (isScalar(direct)) paths.push(direct);
    const items = getSeq(ctx.doc, pair.value, 'items');
    for (const { node } of items ? seqMaps(ctx.doc, items.node) : []) {
      const path = valueNode(ctx.doc, node, 'path');
      if (isScalar(path)) paths.push(path);
    }
  }
  return paths;
}

function checkDuplicatePaths(ctx: RuleContext, pod: PodSpec, volume: ProjectedVolume): void {
  const seen = new Map<string, Scalar>();
  for (const path of volume.sources.flatMap((source) => sourcePaths(ctx, source))) {
    const value = String(path.value);
    if (isTemplated(value)) continue;
    const first = seen.get(value);
    // In a template, a control action between the two (`{{- if }}` … `{{- end }}`) may keep only one of them.
    const exclusive = first && ctx.text.slice(startOf(first), startOf(path)).includes('{{');
    if (first && !exclusive) {
      const where = volume.name && !isTemplated(volume.name) ? ` in volume "${volume.name}"` : '';
      const message = `Path "${value}" is projected twice${where}: the API server rejects the pod.`;
      ctx.report(pod.object, { rule: 'SAT004', severity: 'error', ...nodeRange(path), message });
    }
    seen.set(value, path);
  }
}

function checkPath(ctx: RuleContext, pod: PodSpec, source: AnyMap, token: AnyMap, volume: ProjectedVolume): void {
  // A patch's token source merges with the base's, which may have the path.
  if (ctx.patch || resolvePair(ctx.doc, token, 'path')) return;
  const addPath = () => {
    const taken = volume.sources.flatMap((other) => sourcePaths(ctx, other)).some((path) => path.value === 'token');
    if (volume.aliased || taken) return undefined;
    const editor = newEditor(ctx, pod);
    editor.addPair(token, 'path', 'token');
    return fixOf(editor, 'Add path: token');
  };
  ctx.report(pod.object, {
    rule: 'SAT004',
    severity: 'error',
    ...nodeRange(resolvePair(ctx.doc, source, 'serviceAccountToken')!.node.key),
    message: sharedNote('serviceAccountToken has no path: the API server rejects the pod.', volume.aliased),
    fixes: () => [addPath()],
  });
}

function checkAudience(ctx: RuleContext, pod: PodSpec, token: AnyMap, volume: ProjectedVolume): void {
  const audiencePair = resolvePair(ctx.doc, token, 'audience')?.node;
  const audience = getString(ctx.doc, token, 'audience');
  if (!audiencePair?.value || !audience || !volume.name || isTemplated(audience)) return;
  const mounts = mountsAtDefaultPath(ctx, pod, volume.name);
  if (mounts.length === 0) return;
  const moveMounts = (editor: SourceEditor) => {
    for (const mount of mounts) editor.replaceScalar(valueNode(ctx.doc, mount.node, 'mountPath'), CUSTOM_AUDIENCE_PATH);
  };
  const moveOnly = () => {
    if (mounts.some((mount) => mount.aliased)) return undefined;
    const editor = newEditor(ctx, pod);
    moveMounts(editor);
    return fixOf(
      editor,
      `Mount it at ${CUSTOM_AUDIENCE_PATH} instead`,
      'hardening',
      `the "${audience}" token moves there, and the app must read it from the new path`,
    );
  };
  // With automount on, Kubernetes mounts the API server token at the freed path itself.
  const moveAndAddApiToken = () => {
    if (mounts.some((mount) => mount.aliased) || automountOf(ctx, pod).mounted !== false) return undefined;
    const editor = newEditor(ctx, pod);
    moveMounts(editor);
    const existing = reusableVolume(ctx, pod, undefined);
    const name = existing ?? uniqueVolumeName(ctx, pod);
    if (!existing) addTokenVolume(ctx, editor, pod, name, { ...ctx.fix, audience: undefined });
    for (const container of new Set(mounts.map((mount) => mount.container))) {
      appendItems(ctx, editor, container.map, 'volumeMounts', [
        { name, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true },
      ]);
    }
    return fixOf(
      editor,
      `Move it, and mount an API server token`,
      'hardening',
      `the "${audience}" token moves to ${CUSTOM_AUDIENCE_PATH} (the app must read it there), and a second volume "${name}" puts an API server token at ${SERVICE_ACCOUNT_MOUNT_PATH}`,
    );
  };
  ctx.report(pod.object, {
    rule: 'SAT004',
    severity: 'warning',
    ...nodeRange(audiencePair.value),
    message: sharedNote(
      `A token for audience "${audience}" is mounted at ${SERVICE_ACCOUNT_MOUNT_PATH}: clients there ` +
        'use it for the API server, which rejects other audiences. Mount it elsewhere and keep the default token for the API.',
      mounts.some((mount) => mount.aliased),
    ),
    fixes: () => [moveOnly(), moveAndAddApiToken()],
  });
}

/** Mounts of the named volume at the default token path, with their containers. */
function mountsAtDefaultPath(ctx: RuleContext, pod: PodSpec, volumeName: string) {
  return pod.containers.flatMap((container) => {
    const list = getSeq(ctx.doc, container.map, 'volumeMounts');
    return (list ? seqMaps(ctx.doc, list.node) : [])
      .filter(({ node }) => getString(ctx.doc, node, 'name') === volumeName)
      .filter(({ node }) => getString(ctx.doc, node, 'mountPath')?.replace(/\/+$/, '') === SERVICE_ACCOUNT_MOUNT_PATH)
      .map(({ node, aliased }) => {
        const sharedPath = resolvePair(ctx.doc, node, 'mountPath')!.aliased;
        return { node, container, aliased: aliased || sharedPath || container.aliased || list!.aliased };
      });
  });
}
