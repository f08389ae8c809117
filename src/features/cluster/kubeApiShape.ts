// Placeholder shape until src/kube/index.ts exports its types.
import type { Inventory } from '../../kube/model';

export interface ContextSummary {
  name: string;
  cluster: string;
  user: string;
  current: boolean;
}

export interface Cancellable {
  signal?: AbortSignal;
}

export interface ClusterConnection {
  context: string;
  server: string;
  listNamespaces(options: Cancellable): Promise<string[]>;
  inventory(options: { namespace?: string } & Cancellable): Promise<Inventory>;
  createTokenSecret(namespace: string, serviceAccount: string, options: { timeoutMs?: number } & Cancellable): Promise<{ secretName: string; token: string }>;
  requestToken(
    namespace: string,
    serviceAccount: string,
    options: { expirationSeconds: number; audiences: string[]; boundObject?: { kind: 'Pod' | 'Secret'; name: string } } & Cancellable,
  ): Promise<string>;
  readSecretToken(namespace: string, name: string, options: Cancellable): Promise<string>;
  deleteSecret(namespace: string, name: string, options: Cancellable): Promise<void>;
  tokenReview(token: string, options: { audiences?: string[] } & Cancellable): Promise<{ authenticated: boolean; user: string | null; audiences: string[]; error: string | null }>;
  fetchIssuerKeys(options: Cancellable): Promise<{ jwks: unknown; issuer: string | null } | { forbidden: true } | { unavailable: string }>;
  getObjectYaml(kind: string, namespace: string, name: string, options: Cancellable): Promise<string>;
}

export interface KubeModule {
  connect(options: { kubeconfigPath?: string; context?: string; timeoutMs: number }): Promise<ClusterConnection>;
  listContexts(kubeconfigPath?: string): ContextSummary[];
}
