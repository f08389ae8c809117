// Reduces raw Kubernetes JSON objects to the few fields the model needs, one list page at a time.
// Pure: no client-node, no I/O. Token Secrets are listed as metadata only (no data on the wire); a full object from a
// server without metadata lists is reduced to "is data.token there" and nothing else of its data is kept.
import type { ContainerUse, PodTokenSource, TokenSecretInfo } from './model';
import { readPodSpec, type ContainerKind, type PodSpecView } from './podSpec';
import {
  MIRROR_POD_ANNOTATION,
  INVALID_SINCE_LABEL,
  LAST_USED_LABEL,
  SA_NAME_ANNOTATION,
  SA_UID_ANNOTATION,
  TOKEN_SECRET_TYPE,
} from '../kubernetes';

export interface LeanServiceAccount {
  namespace: string;
  name: string;
  uid: string;
  automountServiceAccountToken: boolean | null;
  secrets: string[];
  imagePullSecrets: string[];
}

export interface LeanPod {
  namespace: string;
  name: string;
  /**
   * A mirror of a static pod: the ServiceAccount admission plugin skips it and forbids token volumes, so it has no
   * service account and no token (plugin/pkg/admission/serviceaccount/admission.go).
   */
  mirror: boolean;
  serviceAccount: string;
  /** The pod's own `automountServiceAccountToken`, null when it does not say. */
  automount: boolean | null;
  /** Every projected token and every Secret read; reads of Secrets that are not token Secrets are dropped later. */
  sources: PodTokenSource[];
}

// Loose shapes of the API objects: every field optional because the input is whatever the server sent.
interface RawMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
}
interface RawNamed {
  name?: string;
}
interface RawServiceAccount {
  metadata?: RawMeta;
  automountServiceAccountToken?: boolean;
  secrets?: RawNamed[];
  imagePullSecrets?: RawNamed[];
}
interface RawSecret {
  kind?: string;
  metadata?: RawMeta;
  type?: string;
  data?: Record<string, unknown>;
}
interface RawPod {
  metadata?: RawMeta;
  spec?: unknown;
}

function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value.filter((item) => item !== null && typeof item === 'object') : [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function names(refs: RawNamed[] | undefined): string[] {
  return list(refs).flatMap((ref) => (typeof ref.name === 'string' ? [ref.name] : []));
}

function identity(item: unknown): { meta: RawMeta; namespace: string; name: string } | null {
  if (!item || typeof item !== 'object') return null;
  const meta = (item as { metadata?: RawMeta }).metadata;
  if (!meta || typeof meta.name !== 'string') return null;
  return { meta, namespace: text(meta.namespace) ?? '', name: meta.name };
}

export function leanServiceAccount(item: unknown): LeanServiceAccount | null {
  const id = identity(item);
  if (!id) return null;
  const account = item as RawServiceAccount;
  return {
    namespace: id.namespace,
    name: id.name,
    uid: text(id.meta.uid) ?? '',
    automountServiceAccountToken: flag(account.automountServiceAccountToken),
    secrets: names(account.secrets),
    imagePullSecrets: names(account.imagePullSecrets),
  };
}

/**
 * A token Secret from a list or watch, full or metadata only (PartialObjectMetadata, which has no `type` and no
 * `data`). Null for anything that is not a token Secret, so a server that ignores the type field selector cannot
 * fool us: a full object must have the type, a metadata-only one the ServiceAccount annotation that validation
 * requires of every token Secret.
 */
export function leanTokenSecret(item: unknown): TokenSecretInfo | null {
  const id = identity(item);
  if (!id) return null;
  const secret = item as RawSecret;
  const metadataOnly = secret.kind === 'PartialObjectMetadata';
  const serviceAccount = text(id.meta.annotations?.[SA_NAME_ANNOTATION]);
  if (metadataOnly ? !serviceAccount : secret.type !== TOKEN_SECRET_TYPE) return null;
  const labels = id.meta.labels ?? {};
  return {
    namespace: id.namespace,
    name: id.name,
    serviceAccount: serviceAccount ?? '',
    populated: metadataOnly
      ? tokenWritten(id.meta)
      : typeof secret.data?.token === 'string' && secret.data.token.length > 0,
    createdAt: text(id.meta.creationTimestamp),
    lastUsed: text(labels[LAST_USED_LABEL]),
    invalidSince: text(labels[INVALID_SINCE_LABEL]),
  };
}

/**
 * Whether a metadata-only token Secret holds a token: some writer's managedFields own `data.token` (the token
 * controller's update, or a creator that supplied one). Without managedFields (stripped by a proxy), the uid
 * annotation the controller writes in the same update (generateTokenIfNeeded) — wrong only for a Secret created
 * with that annotation that the controller never filled.
 */
function tokenWritten(meta: RawMeta): boolean {
  if (Array.isArray(meta.managedFields) && meta.managedFields.length > 0)
    return meta.managedFields.some((entry) => {
      const data = (entry as { fieldsV1?: { 'f:data'?: unknown } } | null)?.fieldsV1?.['f:data'];
      return typeof data === 'object' && data !== null && 'f:token' in data;
    });
  return typeof meta.annotations?.[SA_UID_ANNOTATION] === 'string';
}

export function leanPod(item: unknown): LeanPod | null {
  const id = identity(item);
  if (!id) return null;
  const spec = readPodSpec((item as RawPod).spec);
  // Init containers first: the order the kubelet starts them in.
  const view = { ...spec, containers: [...spec.containers].sort((a, b) => START_RANK[a.kind] - START_RANK[b.kind]) };
  return {
    namespace: id.namespace,
    name: id.name,
    mirror: typeof id.meta.annotations?.[MIRROR_POD_ANNOTATION] === 'string',
    serviceAccount: view.serviceAccountName,
    automount: view.automount ?? null,
    sources: [...volumeSources(view), ...envSources(view)],
  };
}

const START_RANK: Record<ContainerKind, number> = { 'init container': 0, container: 1, 'ephemeral container': 2 };

/** Each projected token and each Secret a volume carries, with the containers that mount the volume. */
function volumeSources(view: PodSpecView): PodTokenSource[] {
  return view.volumes.flatMap((volume) => {
    const containers = (): ContainerUse[] =>
      view.containers.flatMap((container) =>
        container.mounts
          .filter((mount) => mount.volume === volume.name)
          .map((mount) => ({ name: container.name, mountPath: mount.path })),
      );
    return volume.sources.map((source): PodTokenSource =>
      source.kind === 'token'
        ? { kind: 'projected', ...source.token, containers: containers() }
        : { kind: 'secret-volume', volume: volume.name, secretName: source.secret, containers: containers() },
    );
  });
}

/** One source per (Secret, key) however many containers and variables read it. */
function envSources(view: PodSpecView): PodTokenSource[] {
  const byRead = new Map<string, Extract<PodTokenSource, { kind: 'env' }>>();
  const use = (secretName: string, key: string | null, container: ContainerUse) => {
    const readKey = JSON.stringify([secretName, key]);
    const source = byRead.get(readKey) ?? { kind: 'env', secretName, key, containers: [] };
    source.containers.push(container);
    byRead.set(readKey, source);
  };
  for (const container of view.containers) {
    for (const variable of container.env)
      use(variable.secret, variable.key, { name: container.name, env: variable.name });
    // envFrom imports every key; "PREFIX_*" says which variables it creates.
    for (const from of container.envFrom) use(from.secret, null, { name: container.name, env: `${from.prefix}*` });
  }
  return [...byRead.values()];
}
