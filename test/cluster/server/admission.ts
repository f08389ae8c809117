// Create-time defaulting, validation and the ServiceAccount admission plugin (kube-api-access-* injection).
import { randomInt } from 'node:crypto';
import type { Container, KubeObject, Pod, ServiceAccount } from './objects';
import { invalid } from './status';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
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
}

/** Pod defaults plus the ServiceAccount admission plugin. `serviceAccount` is the pod's (already looked up) SA. */
export function admitPod(pod: Pod, serviceAccount: ServiceAccount): void {
  validatePod(pod);
  const spec = pod.spec;
  spec.serviceAccountName = serviceAccount.metadata.name;
  spec.serviceAccount = serviceAccount.metadata.name;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  const automount = spec.automountServiceAccountToken ?? serviceAccount.automountServiceAccountToken ?? true;
  if (automount) injectServiceAccountVolume(spec);
  pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
}

function injectServiceAccountVolume(spec: Pod['spec']): void {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) => !mountsDefaultPath(c));
  if (containers.length === 0) return;
  const volumeName = `kube-api-access-${randomSuffix()}`;
  spec.volumes = [...(spec.volumes ?? []), kubeApiAccessVolume(volumeName)];
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
