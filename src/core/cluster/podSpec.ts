// The one reader of a pod spec's token-relevant parts: which service account, automount, every container (of each
// kind) with its mounts and Secret reads, every volume with the projected tokens and Secrets it carries. The cluster
// model (lean.ts: the tree, `sa-token inventory`) and the doctor both build on it. Pure; the input is whatever a
// server or a manifest holds, so every field is optional and junk reads as absent.
import { DEFAULT_SERVICE_ACCOUNT } from '../kubernetes';
import { CONTAINER_KEYS } from '../manifests/objects';

export type ContainerKind = 'container' | 'init container' | 'ephemeral container';

export interface PodSpecContainer {
  /** '' when the container has no name. */
  name: string;
  kind: ContainerKind;
  /** Mount paths without a trailing slash. */
  mounts: { volume: string; path: string }[];
  /** `env[].valueFrom.secretKeyRef`: the variable, the Secret, the key (null when not given). */
  env: { name: string; secret: string; key: string | null }[];
  /** `envFrom[].secretRef`: every key of the Secret, as variables `prefix*`. */
  envFrom: { secret: string; prefix: string }[];
}

/** A projected service account token, where it lands (volume path + source path). */
export interface ProjectedToken {
  volume: string;
  path: string;
  audience: string | null;
  expirationSeconds: number | null;
}

export interface PodSpecVolume {
  name: string;
  /** In source order: `projected.sources[].serviceAccountToken` and `.secret`, then a `secret` volume. */
  sources: ({ kind: 'token'; token: ProjectedToken } | { kind: 'secret'; secret: string })[];
}

export interface PodSpecView {
  /** `serviceAccountName` (or the deprecated `serviceAccount`); admission's default when neither is set. */
  serviceAccountName: string;
  /** The pod's own `automountServiceAccountToken`, undefined when it does not say. */
  automount: boolean | undefined;
  /** Containers, then init containers, then ephemeral containers. */
  containers: PodSpecContainer[];
  volumes: PodSpecVolume[];
}

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => value !== null && typeof value === 'object' && !Array.isArray(value);
const rec = (value: unknown): Raw => (isRecord(value) ? value : {});
const arr = (value: unknown): Raw[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const KIND_OF: Record<(typeof CONTAINER_KEYS)[number], ContainerKind> = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

export function readPodSpec(spec: unknown): PodSpecView {
  const raw = rec(spec);
  const containers = CONTAINER_KEYS.flatMap((key) =>
    arr(raw[key]).map((container): PodSpecContainer => ({
      name: str(container.name) ?? '',
      kind: KIND_OF[key],
      mounts: arr(container.volumeMounts).map((mount) => ({
        volume: str(mount.name) ?? '',
        path: (str(mount.mountPath) ?? '').replace(/\/+$/, ''),
      })),
      env: arr(container.env).flatMap((variable) => {
        const ref = rec(rec(variable.valueFrom).secretKeyRef);
        const secret = str(ref.name);
        return secret ? [{ name: str(variable.name) ?? '', secret, key: str(ref.key) ?? null }] : [];
      }),
      envFrom: arr(container.envFrom).flatMap((source) => {
        const secret = str(rec(source.secretRef).name);
        return secret ? [{ secret, prefix: str(source.prefix) ?? '' }] : [];
      }),
    })),
  );
  const volumes = arr(raw.volumes).map((volume): PodSpecVolume => {
    const name = str(volume.name) ?? '';
    const sources: PodSpecVolume['sources'] = [];
    for (const source of arr(rec(volume.projected).sources)) {
      if (isRecord(source.serviceAccountToken)) {
        const token = source.serviceAccountToken;
        sources.push({
          kind: 'token',
          token: {
            volume: name,
            path: str(token.path) ?? '',
            audience: str(token.audience) ?? null,
            expirationSeconds: typeof token.expirationSeconds === 'number' ? token.expirationSeconds : null,
          },
        });
      }
      const projectedSecret = str(rec(source.secret).name);
      if (projectedSecret) sources.push({ kind: 'secret', secret: projectedSecret });
    }
    const secretName = str(rec(volume.secret).secretName);
    if (secretName) sources.push({ kind: 'secret', secret: secretName });
    return { name, sources };
  });
  return {
    // Admission fills an empty name with the default (plugin/pkg/admission/serviceaccount/admission.go).
    serviceAccountName: str(raw.serviceAccountName) || str(raw.serviceAccount) || DEFAULT_SERVICE_ACCOUNT,
    automount: typeof raw.automountServiceAccountToken === 'boolean' ? raw.automountServiceAccountToken : undefined,
    containers,
    volumes,
  };
}

/** Every projected service account token of the pod. */
export function projectedTokens(view: PodSpecView): ProjectedToken[] {
  return view.volumes.flatMap((volume) =>
    volume.sources.flatMap((source) => (source.kind === 'token' ? [source.token] : [])),
  );
}

/** Where each Secret is read: env variables and envFrom per container, then the containers mounting it. */
export interface SecretRead {
  secret: string;
  container: PodSpecContainer;
  via: { env: string; key: string | null } | { envFrom: string } | { volume: string; path: string };
}

/** Every Secret read of the pod, per container: env, envFrom, then mounted Secret volumes. */
export function secretReads(view: PodSpecView): SecretRead[] {
  const secretsOf = new Map(
    view.volumes.map((volume) => [
      volume.name,
      volume.sources.flatMap((source) => (source.kind === 'secret' ? [source.secret] : [])),
    ]),
  );
  const reads: SecretRead[] = [];
  for (const container of view.containers) {
    for (const env of container.env)
      reads.push({ secret: env.secret, container, via: { env: env.name, key: env.key } });
    for (const from of container.envFrom)
      reads.push({ secret: from.secret, container, via: { envFrom: `${from.prefix}*` } });
    for (const mount of container.mounts)
      for (const secret of secretsOf.get(mount.volume) ?? [])
        reads.push({ secret, container, via: { volume: mount.volume, path: mount.path } });
  }
  return reads;
}
