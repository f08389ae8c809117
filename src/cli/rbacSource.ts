// Where `sa-token rbac`, `can-i` and `who-can` get RBAC objects: a cluster (kubeconfig/context) or manifests (--from).
import { parseYamlValues } from '../core/manifests/nodes';
import { RbacIndex, rbacInputFrom, type RbacObjects, type ServiceAccountRef } from '../core/rbac/index';
import type { ClusterConnection, ClusterError, RbacListError } from '../kube/index';
import { loadKube } from '../kubeLoader';
import { connectFromCli } from './connect';
import { EXIT_USAGE, UsageError } from './io';
import { loadCommands } from './commands';

export interface RbacCliOptions {
  kubeconfig?: string;
  context?: string;
  from?: string[];
  maxManifestSize?: number;
  json?: boolean;
  timeout: string;
}

export interface LoadedRbac {
  index: RbacIndex;
  objects: RbacObjects;
  serviceAccounts: ServiceAccountRef[];
  errors: Array<{ source: string; forbidden: boolean; message: string }>;
}

/** DNS-1123 label: what a namespace or ServiceAccount name can be (anything else never matches, and is refused). */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseServiceAccount(text: string): ServiceAccountRef {
  const [namespace, name, extra] = text.split('/');
  if (extra !== undefined || !namespace || !name || !NAME.test(namespace) || !NAME.test(name))
    throw new UsageError(`expected NAMESPACE/SERVICEACCOUNT, not ${JSON.stringify(text)}`);
  return { namespace, name };
}

export function timeoutMs(options: RbacCliOptions): number {
  const seconds = Number(options.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds, not "${options.timeout}"`);
  return seconds * 1000;
}

/** Manifests as the API server would hold them, aggregated ClusterRoles filled; unparsable documents are reported. */
export async function loadFromManifests(paths: string[], maxManifestSizeKb?: number): Promise<LoadedRbac> {
  const { files, unreadable } = await loadCommands().readManifests(paths, { maxManifestSizeKb });
  const values: unknown[] = [];
  const errors: LoadedRbac['errors'] = unreadable.map(({ path, reason }) => ({
    source: path,
    forbidden: false,
    message: `cannot read: ${reason}`,
  }));
  for (const file of files) {
    const read = parseYamlValues(file.text);
    values.push(...read.values);
    for (const reason of read.skipped)
      errors.push({ source: file.path, forbidden: false, message: `skipped a document: ${reason}` });
  }
  const { objects, serviceAccounts } = rbacInputFrom(values);
  return { index: new RbacIndex(objects, { aggregate: true }), objects, serviceAccounts, errors };
}

export function clusterFailure(error: ClusterError): UsageError {
  const message =
    error.kind === 'config' || error.kind === 'not-found' ? error.message : `no usable cluster: ${error.message}`;
  return new UsageError(message, EXIT_USAGE);
}

/** Runs `work` with a connection, turning cluster failures into one usage line (exit 2). */
export async function withConnection<T>(
  options: RbacCliOptions,
  work: (connection: ClusterConnection) => Promise<T>,
): Promise<T> {
  const kube = loadKube();
  try {
    const connection = await connectFromCli(kube, { ...options, timeoutMs: timeoutMs(options) });
    try {
      return await work(connection);
    } finally {
      connection.close();
    }
  } catch (error) {
    if (kube.isClusterError(error)) throw clusterFailure(error);
    throw error;
  }
}

export function fromSnapshot(snapshot: {
  objects: RbacObjects;
  serviceAccounts: ServiceAccountRef[];
  errors: RbacListError[];
}): LoadedRbac {
  return {
    index: new RbacIndex(snapshot.objects),
    objects: snapshot.objects,
    serviceAccounts: snapshot.serviceAccounts,
    errors: snapshot.errors.map(({ resource, forbidden, reason }) => ({
      source: resource,
      forbidden,
      message: reason,
    })),
  };
}

/** The RBAC lists without which no local answer is possible. */
export const essentialLists = ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'];
