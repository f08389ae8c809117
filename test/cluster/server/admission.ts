// Create-time defaulting, validation and the ServiceAccount admission plugin (kube-api-access-* injection).
import { randomInt } from 'node:crypto';
import type { Container, KubeObject, Pod, ServiceAccount } from './objects';
import { ApiError, failure, invalid } from './status';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
/** api.MirrorPodAnnotationKey: the kubelet's copy of a static pod. */
export const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
const apiAccessVolumePrefix = 'kube-api-access-';
/** util/rand's alphabet for generated name suffixes (no vowels, no confusable characters). */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  return Array.from({ length }, () => suffixAlphabet[randomInt(suffixAlphabet.length)]).join('');
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Name validation as ValidateObjectMeta does it (namespaces and pods' volumes need labels, the rest subdomains). */
export function validateName(kind: string, name: string, asLabel: boolean): void {
  const valid = asLabel
    ? dns1123Label.test(name) && name.length <= 63
    : dns1123Subdomain.test(name) && name.length <= 253;
  if (valid) return;
  const rule = asLabel
    ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  throw invalid(kind, name, [{ field: 'metadata.name', message: `Invalid value: "${name}": ${rule}` }]);
}

export function kubeApiAccessVolume(name: string) {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  };
}

function mountsDefaultPath(container: Container): boolean {
  return (container.volumeMounts ?? []).some((mount) => mount.mountPath === serviceAccountMountPath);
}

interface TokenProjection {
  audience?: string;
  expirationSeconds?: number;
  path?: string;
}
interface ProjectedVolume {
  name: string;
  projected?: { defaultMode?: number; sources?: { serviceAccountToken?: TokenProjection }[] };
  secret?: { defaultMode?: number };
  configMap?: { defaultMode?: number };
}

/**
 * Volume defaults (pkg/apis/core/v1/defaults.go: SetDefaults_ProjectedVolumeSource, _SecretVolumeSource,
 * _ConfigMapVolumeSource give defaultMode 0644 = 420; SetDefaults_ServiceAccountTokenProjection 3600 s).
 */
function defaultVolumes(spec: Pod['spec']): void {
  for (const volume of (spec.volumes ?? []) as ProjectedVolume[]) {
    if (volume.secret) volume.secret.defaultMode ??= 420;
    if (volume.configMap) volume.configMap.defaultMode ??= 420;
    if (!volume.projected) continue;
    volume.projected.defaultMode ??= 420;
    for (const source of volume.projected.sources ?? []) {
      if (source.serviceAccountToken) source.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
}

function validatePod(pod: Pod): void {
  const containers = pod.spec?.containers;
  const name = pod.metadata.name ?? '';
  if (!Array.isArray(containers) || containers.length === 0) {
    throw invalid('Pod', name, [{ field: 'spec.containers', message: 'Required value' }]);
  }
  containers.forEach((container, index) => {
    if (!container.image)
      throw invalid('Pod', name, [{ field: `spec.containers[${index}].image`, message: 'Required value' }]);
  });
  const causes: { field: string; message: string }[] = [];
  ((pod.spec.volumes ?? []) as ProjectedVolume[]).forEach((volume, v) => {
    (volume.projected?.sources ?? []).forEach((source, s) => {
      const token = source.serviceAccountToken;
      if (!token) return;
      // pkg/apis/core/validation/validation.go validateProjectionSources
      const field = `spec.volumes[${v}].projected.sources[${s}].serviceAccountToken`;
      const seconds = token.expirationSeconds ?? 3600;
      if (seconds < 600)
        causes.push({
          field: `${field}.expirationSeconds`,
          message: `Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
        });
      if (seconds > 2 ** 32)
        causes.push({
          field: `${field}.expirationSeconds`,
          message: `Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds`,
        });
      if (!token.path) causes.push({ field: `spec.volumes[${v}].projected.path`, message: 'Required value' });
    });
  });
  if (causes.length) throw invalid('Pod', name, causes);
}

export function isMirrorPod(pod: Pod): boolean {
  return typeof pod.metadata.annotations?.[mirrorPodAnnotation] === 'string';
}

const forbiddenPod = (name: string, why: string) =>
  new ApiError(failure(403, 'Forbidden', `pods "${name}" is forbidden: ${why}`, { name, kind: 'pods' }));

/**
 * The ServiceAccount admission plugin never modifies a mirror pod and forbids it a service account, Secrets and
 * token projections (plugin/pkg/admission/serviceaccount/admission.go Admit → Validate).
 */
export function admitMirrorPod(pod: Pod): void {
  validatePod(pod);
  defaultVolumes(pod.spec);
  const name = pod.metadata.name ?? '';
  const spec = pod.spec;
  if (spec.serviceAccountName || spec.serviceAccount)
    throw forbiddenPod(name, 'a mirror pod may not reference service accounts');
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const volumes = (spec.volumes ?? []) as (ProjectedVolume & { projected?: { sources?: { secret?: unknown }[] } })[];
  const readsSecret =
    ((spec.imagePullSecrets as unknown[] | undefined) ?? []).length > 0 ||
    volumes.some((volume) => volume.secret || (volume.projected?.sources ?? []).some((source) => 'secret' in source)) ||
    containers.some(
      (container) =>
        ((container.env as { valueFrom?: { secretKeyRef?: unknown } }[] | undefined) ?? []).some(
          (env) => env.valueFrom?.secretKeyRef,
        ) || ((container.envFrom as { secretRef?: unknown }[] | undefined) ?? []).some((from) => from.secretRef),
    );
  if (readsSecret) throw forbiddenPod(name, 'a mirror pod may not reference secrets');
  if (volumes.some((volume) => (volume.projected?.sources ?? []).some((source) => source.serviceAccountToken)))
    throw forbiddenPod(name, 'a mirror pod may not use ServiceAccountToken volume projections');
  applyPodDefaults(spec);
  pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
}

/** Pod defaults plus the ServiceAccount admission plugin. `serviceAccount` is the pod's (already looked up) SA. */
export function admitPod(pod: Pod, serviceAccount: ServiceAccount): void {
  validatePod(pod);
  defaultVolumes(pod.spec);
  const spec = pod.spec;
  spec.serviceAccountName = serviceAccount.metadata.name;
  spec.serviceAccount = serviceAccount.metadata.name;
  applyPodDefaults(spec);
  const automount = spec.automountServiceAccountToken ?? serviceAccount.automountServiceAccountToken ?? true;
  if (automount) injectServiceAccountVolume(spec);
  // The pod's own imagePullSecrets win; otherwise the ServiceAccount's are copied in.
  if (!((spec.imagePullSecrets as unknown[] | undefined) ?? []).length && serviceAccount.imagePullSecrets?.length)
    spec.imagePullSecrets = serviceAccount.imagePullSecrets.map(({ name }) => ({ name }));
  pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
}

function applyPodDefaults(spec: Pod['spec']): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
}

/** admission.go mountServiceAccountToken: an existing `kube-api-access-*` volume is reused, not added again. */
function injectServiceAccountVolume(spec: Pod['spec']): void {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) => !mountsDefaultPath(c));
  if (containers.length === 0) return;
  const existing = (spec.volumes ?? []).find((volume) => volume.name.startsWith(apiAccessVolumePrefix));
  const volumeName = existing?.name ?? `${apiAccessVolumePrefix}${randomSuffix()}`;
  if (!existing) spec.volumes = [...(spec.volumes ?? []), kubeApiAccessVolume(volumeName)];
  for (const container of containers) {
    container.volumeMounts = [
      ...(container.volumeMounts ?? []),
      { name: volumeName, readOnly: true, mountPath: serviceAccountMountPath },
    ];
  }
}

export function creationTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Metadata in the order the API server writes it. */
export function orderedMetadata(
  object: KubeObject,
  fields: { name: string; namespace?: string; uid: string; created: string },
) {
  const {
    name: _name,
    generateName,
    namespace: _namespace,
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _ts,
    ...rest
  } = object.metadata;
  return {
    name: fields.name,
    ...(generateName ? { generateName } : {}),
    ...(fields.namespace ? { namespace: fields.namespace } : {}),
    uid: fields.uid,
    resourceVersion: '',
    creationTimestamp: fields.created,
    ...rest,
  };
}
