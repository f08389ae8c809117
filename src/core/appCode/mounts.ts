// Where the workspace's manifests put a token for the code to read: volume mounts (a token file's directory) and
// env vars fed from a Secret. Rule SAT202 links its findings to them ("the token is mounted by deploy.yaml:21").
import { isScalar } from 'yaml';
import { getMap, getSeq, getString, nodeRange, parseYaml, seqMaps } from '../manifests/nodes';
import { objectsOf, podSpecOf } from '../manifests/objects';
import type { TokenReadFinding } from './tokenReads';

export interface TokenMount {
  kind: 'file' | 'env';
  /** The mount path (kind file) or the env var name (kind env). */
  value: string;
  fileName: string;
  start: number;
  end: number;
}

/** Mounts and Secret-fed env vars of every pod template in a manifest file. Never throws. */
export function tokenMounts(text: string, fileName: string): TokenMount[] {
  const mounts: TokenMount[] = [];
  try {
    for (const doc of parseYaml(text)) {
      for (const object of objectsOf(doc)) {
        for (const container of podSpecOf(doc, object)?.containers ?? []) {
          const volumeMounts = getSeq(doc, container.map, 'volumeMounts');
          for (const { node } of volumeMounts ? seqMaps(doc, volumeMounts.node) : []) {
            const path = getString(doc, node, 'mountPath');
            const pair = node.items.find((item) => isScalar(item.key) && item.key.value === 'mountPath');
            if (path && pair)
              mounts.push({ kind: 'file', value: path.replace(/\/+$/, ''), fileName, ...nodeRange(pair.value) });
          }
          const env = getSeq(doc, container.map, 'env');
          for (const { node } of env ? seqMaps(doc, env.node) : []) {
            const name = getString(doc, node, 'name');
            const valueFrom = getMap(doc, node, 'valueFrom');
            const secretKeyRef = valueFrom && getMap(doc, valueFrom.node, 'secretKeyRef');
            // A token Secret's key: the env var holds a token (KUBE_TOKEN-style), whatever its name.
            const fromSecret = secretKeyRef && getString(doc, secretKeyRef.node, 'key') === 'token';
            const pair = node.items.find((item) => isScalar(item.key) && item.key.value === 'name');
            if (name && fromSecret && pair)
              mounts.push({ kind: 'env', value: name, fileName, ...nodeRange(pair.value) });
          }
        }
      }
    }
  } catch {
    // A manifest we cannot read links nothing.
  }
  return mounts;
}

/** Env var names the manifests feed from a token Secret's `token` key (SAT202 treats reading them as token reads). */
export const tokenEnvNames = (mounts: readonly TokenMount[]): string[] => [
  ...new Set(mounts.filter((mount) => mount.kind === 'env').map((mount) => mount.value)),
];

/** The mount that provides what a finding reads: the deepest mount directory holding the file, or the env var. */
export function mountFor<M extends TokenMount>(finding: TokenReadFinding, mounts: readonly M[]): M | undefined {
  const { source } = finding;
  if (source.kind === 'env') return mounts.find((mount) => mount.kind === 'env' && mount.value === source.name);
  const path = source.path;
  if (!path) return undefined;
  return mounts
    .filter((mount) => mount.kind === 'file' && path.startsWith(`${mount.value}/`))
    .sort((a, b) => b.value.length - a.value.length)[0];
}
