// Loading the user's kubeconfig with client-node: several KUBECONFIG files merged the way kubectl merges them,
// an explicit path from the setting or --kubeconfig, and a context choice that never touches the user's files.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
// The config module alone: the package root also loads the generated API clients, cp, exec, watch… (≈40% more to parse).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Cluster, User } from '@kubernetes/client-node/dist/config_types.js';
import { ClusterError } from './errors';
import { fileErrorReason } from '../core/fileErrors';

export interface KubeconfigChoice {
  /** One path, or several joined with the platform's path delimiter (like KUBECONFIG). */
  kubeconfigPath?: string;
  context?: string;
}

export interface ContextSummary {
  name: string;
  cluster: string;
  user: string;
  current: boolean;
  /** The context's namespace, when it names one (kubectl's default for namespaced requests; else "default"). */
  namespace?: string;
}

export interface LoadedKubeconfig {
  kubeConfig: KubeConfig;
  context: string;
  cluster: Cluster;
  user: User;
  /** Things the user should know, e.g. that their kubeconfig turns TLS verification off. */
  warnings: string[];
}

/** The kubeconfig files to read, in kubectl's order; empty when there is none. */
export function kubeconfigFiles(kubeconfigPath?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (kubeconfigPath) return splitPaths(kubeconfigPath);
  // kubectl skips KUBECONFIG entries that do not exist.
  if (env.KUBECONFIG) return splitPaths(env.KUBECONFIG).filter((file) => existsSync(file));
  const defaultFile = join(env.HOME || homedir(), '.kube', 'config');
  return existsSync(defaultFile) ? [defaultFile] : [];
}

function splitPaths(value: string): string[] {
  return value.split(delimiter).filter((file) => file.length > 0);
}

/** Reads and merges the files; the first file that defines a name (or current-context) wins, as in kubectl. */
export function readKubeconfig(files: string[]): KubeConfig {
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  for (const file of files) {
    const single = readOneFile(file);
    if (!merged.getCurrentContext() && single.getCurrentContext()) merged.setCurrentContext(single.getCurrentContext());
    for (const cluster of single.getClusters()) if (!merged.getCluster(cluster.name)) merged.addCluster(cluster);
    for (const user of single.getUsers()) if (!merged.getUser(user.name)) merged.addUser(user);
    for (const context of single.getContexts()) if (!merged.getContextObject(context.name)) merged.addContext(context);
  }
  return merged;
}

function readOneFile(file: string): KubeConfig {
  if (!existsSync(file)) throw new ClusterError('config', `kubeconfig ${file} does not exist`);
  const single = new KubeConfig();
  try {
    // Invalid entries are skipped rather than making every other context unusable.
    single.loadFromFile(file, { onInvalidEntry: 'filter' });
  } catch (error) {
    throw new ClusterError('config', `kubeconfig ${file} cannot be read: ${describeLoadError(error)}`);
  }
  return single;
}

/** js-yaml errors quote the offending lines, which may hold a token: keep only the reason and position. */
function describeLoadError(error: unknown): string {
  const yamlError = error as { reason?: unknown; mark?: { line?: number } };
  if (typeof yamlError.reason === 'string') {
    const line = typeof yamlError.mark?.line === 'number' ? ` at line ${yamlError.mark.line + 1}` : '';
    return `invalid YAML (${yamlError.reason}${line})`;
  }
  if (typeof (error as { code?: unknown }).code === 'string') return fileErrorReason(error);
  return 'not a kubeconfig file';
}

export function listContexts(kubeconfigPath?: string): ContextSummary[] {
  const files = kubeconfigFiles(kubeconfigPath);
  if (files.length === 0) return [];
  const kubeConfig = readKubeconfig(files);
  const current = kubeConfig.getCurrentContext();
  return kubeConfig.getContexts().map((context) => ({
    name: context.name,
    cluster: context.cluster,
    user: context.user,
    current: context.name === current,
    ...(context.namespace ? { namespace: context.namespace } : {}),
  }));
}

export function loadKubeconfig(choice: KubeconfigChoice, env: NodeJS.ProcessEnv = process.env): LoadedKubeconfig {
  const files = kubeconfigFiles(choice.kubeconfigPath, env);
  if (files.length === 0) {
    throw new ClusterError(
      'config',
      'no kubeconfig found: set KUBECONFIG, name a kubeconfig file explicitly, or create ~/.kube/config',
    );
  }
  const kubeConfig = readKubeconfig(files);
  const context = choice.context || kubeConfig.getCurrentContext();
  if (!context)
    throw new ClusterError(
      'config',
      `the kubeconfig has no current-context; choose one of: ${contextNames(kubeConfig)}`,
    );
  const contextObject = kubeConfig.getContextObject(context);
  if (!contextObject)
    throw new ClusterError(
      'config',
      `context "${context}" is not in the kubeconfig; choose one of: ${contextNames(kubeConfig)}`,
    );
  // Only the in-memory copy changes; the user's files are never written.
  kubeConfig.setCurrentContext(context);
  const cluster = kubeConfig.getCluster(contextObject.cluster);
  if (!cluster)
    throw new ClusterError(
      'config',
      `context "${context}" names cluster "${contextObject.cluster}", which the kubeconfig does not define`,
    );
  checkServerUrl(cluster);
  const user = kubeConfig.getUser(contextObject.user) ?? { name: contextObject.user };
  return { kubeConfig, context, cluster, user, warnings: securityWarnings(cluster) };
}

function checkServerUrl(cluster: Cluster): void {
  let protocol: string;
  try {
    protocol = new URL(cluster.server).protocol;
  } catch {
    throw new ClusterError('config', `cluster "${cluster.name}" has an invalid server URL`);
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    throw new ClusterError('config', `cluster "${cluster.name}" has a server URL that is not https://`);
  // client-node refuses plain HTTP unless the kubeconfig opts out of TLS; say so before any request.
  if (protocol === 'http:' && !cluster.skipTLSVerify) {
    throw new ClusterError(
      'config',
      `cluster "${cluster.name}" is served over plain http:// without insecure-skip-tls-verify; use its https:// address`,
    );
  }
}

function contextNames(kubeConfig: KubeConfig): string {
  const names = kubeConfig.getContexts().map((context) => context.name);
  return names.length ? names.join(', ') : '(none)';
}

function securityWarnings(cluster: Cluster): string[] {
  const warnings: string[] = [];
  if (cluster.skipTLSVerify) {
    warnings.push(
      `the kubeconfig turns TLS verification off for cluster "${cluster.name}" (insecure-skip-tls-verify): the server's identity is not checked`,
    );
  }
  if (cluster.server.startsWith('http:')) {
    warnings.push(`cluster "${cluster.name}" is reached over plain HTTP: credentials and tokens travel unencrypted`);
  }
  return warnings;
}
