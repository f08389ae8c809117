// The cluster model shared by the tree view, the commands and `sa-token inventory --json`; src/kube fills it.
// Pure types: importing this file never loads @kubernetes/client-node.

export interface TokenSecretInfo {
  namespace: string;
  name: string;
  /** The service account named by the `kubernetes.io/service-account.name` annotation. */
  serviceAccount: string;
  /** `data.token` is present (the token controller has filled it). Secret data itself is never kept. */
  populated: boolean;
  createdAt: string | null;
  /** Label `kubernetes.io/legacy-token-last-used`. */
  lastUsed: string | null;
  /** Label `kubernetes.io/legacy-token-invalid-since`: invalidated, a cleanup candidate. */
  invalidSince: string | null;
}

export type ContainerUse = { name: string; mountPath: string } | { name: string; env: string };

export type PodTokenSource =
  | {
      kind: 'projected';
      volume: string;
      path: string;
      audience: string | null;
      expirationSeconds: number | null;
      containers: ContainerUse[];
    }
  | { kind: 'secret-volume'; volume: string; secretName: string; containers: ContainerUse[] }
  | { kind: 'env'; secretName: string; key: string | null; containers: ContainerUse[] };

export interface PodInfo {
  name: string;
  /** Effective automount: the pod's setting wins over the service account's; default true. */
  automount: boolean;
  tokenSources: PodTokenSource[];
}

export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  automountServiceAccountToken: boolean | null;
  tokenSecrets: TokenSecretInfo[];
  /** Names in the ServiceAccount's `.secrets` list. */
  secretsList: string[];
  /** Names in `.secrets` that do not exist. */
  missingSecrets: string[];
  imagePullSecrets: string[];
  pods: PodInfo[];
}

export interface InventoryError {
  resource: string;
  namespace: string | null;
  /** e.g. "forbidden: can list serviceaccounts but not secrets in namespace team-b" */
  reason: string;
}

/** A mirror (static) pod: run by a kubelet from a file, without a service account or a token. */
export interface StaticPodInfo {
  namespace: string;
  name: string;
}

export interface Inventory {
  context: string;
  /**
   * When the API server began tracking legacy token use (the tracking ConfigMap's `since`); null when it could not
   * be read (a restricted user) or does not exist.
   */
  legacyTokenTrackingSince?: string | null;
  serviceAccounts: ServiceAccountInfo[];
  staticPods: StaticPodInfo[];
  errors: InventoryError[];
}
