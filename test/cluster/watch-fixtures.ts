// Shared by the watch tests: manifests kubectl creates, and a counter of the watch requests the kube layer sends.
import https from 'node:https';

export function tokenSecretManifest(name: string, namespace = 'modern-app', serviceAccount = 'web'): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: { name, namespace, annotations: { 'kubernetes.io/service-account.name': serviceAccount } },
  });
}

export function podManifest(name: string, namespace = 'modern-app', serviceAccount = 'web'): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { serviceAccountName: serviceAccount, containers: [{ name: 'app', image: 'nginx:1.27' }] },
  });
}

/** Counts `?watch=1` requests (the kube layer calls https.request per request) until restored. */
export function countWatchRequests(): { readonly count: number; restore(): void } {
  const original = https.request;
  let count = 0;
  https.request = ((...args: Parameters<typeof https.request>) => {
    if (String(args[0]).includes('watch=1')) count++;
    return original(...args);
  }) as typeof https.request;
  return {
    get count() {
      return count;
    },
    restore: () => {
      https.request = original;
    },
  };
}
