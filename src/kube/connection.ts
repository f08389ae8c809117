// A connection to one context of the user's kubeconfig: every cluster operation the tree, the commands,
// the hover and the CLI need. Each method takes an optional AbortSignal; every request has the timeout.
import { readFileSync } from 'node:fs';
import {
  listContexts as listKubeconfigContexts,
  loadKubeconfig,
  type ContextSummary,
  type LoadedKubeconfig,
} from './config';
import { KubeHttp } from './http';
import {
  collectInventory,
  listLean,
  listNamespaceNames,
  namespaceFallbackNote,
  type InventoryOptions,
  type NamespaceChoice,
} from './inventory';
import { isClusterError } from './errors';
import { fetchIssuerKeys, type IssuerKeys } from './issuer';
import type { LeanServiceAccount } from '../core/cluster/lean';
import type { Inventory } from '../core/cluster/model';
import { getObjectYaml, type ObjectKind } from './objectYaml';
import {
  createTokenSecret,
  deleteSecret,
  readSecretToken,
  removeServiceAccountSecretRef,
  requestToken,
  tokenReview,
  tokenSecretLastUsed,
  type CreatedTokenSecret,
  type TokenRequestOptions,
  type TokenReviewResult,
} from './tokens';
import { doctorSnapshot, type DoctorSnapshot } from './doctor';
import type { ClusterPicture } from '../core/report/model';
import { fetchClusterPicture } from './report';
import { selfReviewWithToken, type TokenSelfReview } from './selfReview';
import type { RequestAttributes, UserInfo } from '../core/rbac/index';
import {
  fetchRbacSnapshot,
  listApiResources,
  subjectAccessReview,
  type AccessReviewResult,
  type ApiResource,
  type RbacSnapshot,
} from './rbac';
import { startWatch, type WatchedResource, type WatchOptions } from './watch';

export interface ClusterAccess {
  name: string;
  server: string;
  /** Base64 PEM, as kubeconfig's certificate-authority-data. */
  certificateAuthorityData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
}

export interface Cancellable {
  signal?: AbortSignal;
}

/** The token controller fills a new Secret within a second or two; give it this long by default. */
const DEFAULT_FILL_TIMEOUT_MS = 30_000;

export interface ConnectOptions {
  /** An explicit kubeconfig (the extension's setting, the CLI's --kubeconfig); otherwise KUBECONFIG or ~/.kube/config. */
  kubeconfigPath?: string;
  /** Defaults to the kubeconfig's current-context. */
  context?: string;
  /** Per request. */
  timeoutMs: number;
}

export class ClusterConnection {
  private readonly http: KubeHttp;

  constructor(
    private readonly loaded: LoadedKubeconfig,
    timeoutMs: number,
  ) {
    this.http = new KubeHttp(loaded, timeoutMs);
  }

  get context(): string {
    return this.loaded.context;
  }

  get server(): string {
    return this.loaded.cluster.server;
  }

  /** What another kubeconfig needs to reach this cluster: name, server and CA (inline; a CA file is read here). */
  clusterAccess(): ClusterAccess {
    const { name, server, caData, caFile, skipTLSVerify, tlsServerName } = this.loaded.cluster;
    const certificateAuthorityData = caData ?? (caFile ? readFileSync(caFile).toString('base64') : undefined);
    return { name, server, certificateAuthorityData, insecureSkipTlsVerify: skipTLSVerify === true, tlsServerName };
  }

  /** The context's default namespace, if the kubeconfig names one. */
  get defaultNamespace(): string | null {
    return this.loaded.kubeConfig.getContextObject(this.loaded.context)?.namespace ?? null;
  }

  /** E.g. the kubeconfig disables TLS verification: show these to the user, once. */
  get warnings(): readonly string[] {
    return this.loaded.warnings;
  }

  inventory(options: InventoryOptions = {}): Promise<Inventory> {
    return collectInventory(this.http, this.context, {
      ...options,
      fallbackNamespaces: options.fallbackNamespaces ?? this.kubeconfigNamespaces(),
    });
  }

  listNamespaces({ signal }: Cancellable = {}): Promise<string[]> {
    return listNamespaceNames(this.http, signal);
  }

  /**
   * The namespaces to show: the cluster's list, or — for the usual restricted user, who may not list namespaces
   * (403) — the namespaces the kubeconfig names for this cluster, with a note saying so.
   */
  async namespaceChoice({ signal }: Cancellable = {}): Promise<NamespaceChoice> {
    try {
      return { names: await this.listNamespaces({ signal }) };
    } catch (error) {
      const fallback = this.kubeconfigNamespaces();
      if (!isClusterError(error) || error.kind !== 'forbidden' || fallback.length === 0) throw error;
      return { names: fallback, note: namespaceFallbackNote(fallback) };
    }
  }

  /**
   * Namespaces named by the kubeconfig's contexts on this cluster (server), the current context's first: where
   * a user who may not list namespaces is likely to work.
   */
  kubeconfigNamespaces(): string[] {
    const { kubeConfig } = this.loaded;
    const server = this.loaded.cluster.server;
    const names = new Set<string>();
    const current = kubeConfig.getContextObject(this.loaded.context)?.namespace;
    if (current) names.add(current);
    for (const context of kubeConfig.getContexts()) {
      if (context.namespace && kubeConfig.getCluster(context.cluster)?.server === server) names.add(context.namespace);
    }
    return [...names];
  }

  listServiceAccounts(namespace: string, { signal }: Cancellable = {}): Promise<LeanServiceAccount[]> {
    return listLean(this.http, 'serviceaccounts', namespace, signal);
  }

  /** Creates `<sa>-token-xxxxx` (or `secretName`) and waits (default 30 s) until the token controller fills it. */
  createTokenSecret(
    namespace: string,
    serviceAccount: string,
    options: { timeoutMs?: number; secretName?: string } & Cancellable = {},
  ): Promise<CreatedTokenSecret> {
    return createTokenSecret(this.http, namespace, serviceAccount, {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? DEFAULT_FILL_TIMEOUT_MS,
      secretName: options.secretName,
    });
  }

  requestToken(namespace: string, serviceAccount: string, options: TokenRequestOptions): Promise<string> {
    return requestToken(this.http, namespace, serviceAccount, options);
  }

  /** The decoded token of a token Secret; ClusterError 'not-found' while the Secret is still empty. */
  readSecretToken(namespace: string, name: string, { signal }: Cancellable = {}): Promise<string> {
    return readSecretToken(this.http, namespace, name, signal);
  }

  /** The Secret's `kubernetes.io/legacy-token-last-used` label (null when absent); its data is not fetched. */
  tokenSecretLastUsed(namespace: string, name: string, { signal }: Cancellable = {}): Promise<string | null> {
    return tokenSecretLastUsed(this.http, namespace, name, signal);
  }

  deleteSecret(namespace: string, name: string, { signal }: Cancellable = {}): Promise<void> {
    return deleteSecret(this.http, namespace, name, signal);
  }

  /** Takes `secretName` out of the ServiceAccount's `.secrets` (false: it was no longer listed). */
  removeServiceAccountSecretRef(
    namespace: string,
    serviceAccount: string,
    secretName: string,
    { signal }: Cancellable = {},
  ): Promise<boolean> {
    return removeServiceAccountSecretRef(this.http, namespace, serviceAccount, secretName, signal);
  }

  tokenReview(
    token: string,
    { audiences, signal }: { audiences?: string[] } & Cancellable = {},
  ): Promise<TokenReviewResult> {
    return tokenReview(this.http, token, audiences, signal);
  }

  /**
   * SelfSubjectReview and SelfSubjectRulesReview in `namespace`, authenticated as `token` alone (the kubeconfig's
   * user credentials are not sent). A token the cluster rejects gives `authenticated: false`.
   */
  selfReviewAs(token: string, namespace: string, { signal }: Cancellable = {}): Promise<TokenSelfReview> {
    return selfReviewWithToken(this.loaded, this.http.timeoutMs, token, namespace, signal);
  }

  /** What the troubleshooting checklist needs about one pod, workload or ServiceAccount (Secret values dropped). */
  doctorSnapshot(
    target: { kind: string; namespace: string; name: string },
    reads: { serviceAccount: (object: unknown) => string; secrets: (object: unknown) => string[] },
    { signal }: Cancellable = {},
  ): Promise<DoctorSnapshot> {
    return doctorSnapshot(this.http, target, reads, signal);
  }

  /** Everything the upgrade-readiness report judges, each list fetched once (Secret values never kept). */
  reportPicture({ signal }: Cancellable = {}): Promise<ClusterPicture> {
    return fetchClusterPicture(this.http, this.context, this.server, signal);
  }

  fetchIssuerKeys({ signal }: Cancellable = {}): Promise<IssuerKeys> {
    return fetchIssuerKeys(this.http, signal);
  }

  getObjectYaml(
    kind: ObjectKind,
    namespace: string | null,
    name: string,
    { signal }: Cancellable = {},
  ): Promise<string> {
    return getObjectYaml(this.http, kind, namespace, name, signal);
  }

  /**
   * Watches serviceaccounts, token Secrets or pods (lean records, Secret data never kept). Resolves once watching
   * (rejects with a ClusterError when it cannot start, e.g. forbidden); then runs until `signal` aborts or it stops
   * for good, reconnecting on drops with bounded backoff; `onClose` says which.
   */
  watch<R extends WatchedResource>(resource: R, options: WatchOptions<R>): Promise<void> {
    return startWatch(this.http, resource, options);
  }

  /** Roles, ClusterRoles, both kinds of bindings and the ServiceAccounts; a forbidden list is reported, not thrown. */
  rbacSnapshot({ signal }: Cancellable = {}): Promise<RbacSnapshot> {
    return fetchRbacSnapshot(this.http, signal);
  }

  /** The API server's own decision for the user (ClusterError 'forbidden' when we may not create reviews). */
  subjectAccessReview(
    user: UserInfo,
    attributes: RequestAttributes,
    { signal }: Cancellable = {},
  ): Promise<AccessReviewResult> {
    return subjectAccessReview(this.http, user, attributes, signal);
  }

  apiResources({ signal }: Cancellable = {}): Promise<ApiResource[]> {
    return listApiResources(this.http, signal);
  }

  /** Closes kept-alive sockets (the CLI exits sooner; the extension calls it on context switch). */
  close(): void {
    this.http.close();
  }
}

/** Reads the kubeconfig and prepares credentials; makes no request yet. Throws ClusterError kind 'config'. */
export async function connect(options: ConnectOptions): Promise<ClusterConnection> {
  const loaded = loadKubeconfig({ kubeconfigPath: options.kubeconfigPath, context: options.context });
  return new ClusterConnection(loaded, options.timeoutMs);
}

/** Contexts of the kubeconfig ([] when there is none; ClusterError 'config' when it cannot be read). */
export function listContexts(kubeconfigPath?: string): ContextSummary[] {
  return listKubeconfigContexts(kubeconfigPath);
}
