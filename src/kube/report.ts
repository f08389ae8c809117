// One cluster's picture for `sa-token report` and the Upgrade Readiness Report: every list fetched once and shared —
// the inventory's lean model, the doctor's reduced pods, ServiceAccounts and token Secrets (kept from the same pages),
// the four RBAC lists, TokenRequest discovery and the server version. Refusals become errors, not failures.
import type { ClusterPicture } from '../core/report/model';
import { leanMetadata, leanSecret, tokenRequestServed } from './doctor';
import { isClusterError } from './errors';
import type { KubeHttp } from './http';
import { collectInventoryKeeping } from './inventory';
import { fetchRbacObjects, type RbacListError } from './rbac';

const RBAC_LIST_ORDER = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'];

type Raw = Record<string, unknown>;
const record = (value: unknown): Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
const records = (value: unknown): Raw[] => (Array.isArray(value) ? value.map(record) : []);

/** What the doctor's pod view reads of a container: name, mounts, Secret-fed variables. */
function leanContainer(container: Raw): Raw {
  return {
    name: container.name,
    volumeMounts: records(container.volumeMounts).map(({ name, mountPath }) => ({ name, mountPath })),
    env: records(container.env)
      .filter((variable) => record(variable.valueFrom).secretKeyRef)
      .map(({ name, valueFrom }) => ({ name, valueFrom: { secretKeyRef: record(valueFrom).secretKeyRef } })),
    envFrom: records(container.envFrom)
      .filter((source) => source.secretRef)
      .map(({ prefix, secretRef }) => ({ prefix, secretRef })),
  };
}

/**
 * A pod as the doctor (core/troubleshoot/doctor.ts podView) and the report read it: service account, automount,
 * containers' mounts and Secret reads, token and Secret volumes, owner; nothing else (status, images, commands).
 */
export function doctorPod(item: unknown): unknown {
  const pod = record(item);
  const metadata = record(pod.metadata);
  const spec = record(pod.spec);
  const containers = (key: string) => records(spec[key]).map(leanContainer);
  return {
    metadata: {
      ...record(leanMetadata(metadata)),
      annotations: undefined,
      ownerReferences: records(metadata.ownerReferences).map(({ kind, name, controller }) => ({
        kind,
        name,
        controller,
      })),
    },
    spec: {
      serviceAccountName: spec.serviceAccountName,
      serviceAccount: spec.serviceAccount,
      automountServiceAccountToken: spec.automountServiceAccountToken,
      containers: containers('containers'),
      initContainers: containers('initContainers'),
      ephemeralContainers: containers('ephemeralContainers'),
      volumes: records(spec.volumes).map(({ name, secret, projected }) => ({
        name,
        secret: secret ? { secretName: record(secret).secretName } : undefined,
        projected: projected
          ? {
              sources: records(record(projected).sources).map(({ serviceAccountToken, secret: source }) => ({
                serviceAccountToken,
                secret: source ? { name: record(source).name } : undefined,
              })),
            }
          : undefined,
      })),
    },
  };
}

/** A ServiceAccount as the doctor reads it: metadata, automount, `.secrets`. */
export function doctorServiceAccount(item: unknown): unknown {
  const account = record(item);
  return {
    metadata: leanMetadata(account.metadata),
    automountServiceAccountToken: account.automountServiceAccountToken,
    secrets: records(account.secrets).map(({ name }) => ({ name })),
  };
}

async function serverVersion(http: KubeHttp, signal?: AbortSignal): Promise<string | null> {
  try {
    const version = await http.json<{ gitVersion?: unknown }>({
      path: '/version',
      purpose: { verb: 'get', resource: 'version' },
      signal,
    });
    return typeof version?.gitVersion === 'string' ? version.gitVersion : null;
  } catch (error) {
    if (isClusterError(error) && error.kind === 'cancelled') throw error;
    return null;
  }
}

export async function fetchClusterPicture(
  http: KubeHttp,
  context: string,
  server: string,
  signal?: AbortSignal,
): Promise<ClusterPicture> {
  const rbacErrors: RbacListError[] = [];
  const [{ inventory, kept }, rbac, tokenRequest, version] = await Promise.all([
    collectInventoryKeeping(
      http,
      context,
      { signal },
      { pods: doctorPod, serviceaccounts: doctorServiceAccount, secrets: leanSecret },
    ),
    fetchRbacObjects(http, signal, rbacErrors),
    tokenRequestServed(http, signal),
    serverVersion(http, signal),
  ]);
  return {
    context,
    server,
    version,
    inventory,
    pods: kept.pods,
    serviceAccounts: kept.serviceaccounts,
    tokenSecrets: kept.secrets,
    rbac: rbacErrors.length === 4 ? null : rbac,
    // The four lists run concurrently and fail in any order: report them in the order they are listed.
    rbacErrors: rbacErrors
      .sort((a, b) => RBAC_LIST_ORDER.indexOf(a.resource) - RBAC_LIST_ORDER.indexOf(b.resource))
      .map((error) => error.reason),
    tokenRequest,
  };
}
