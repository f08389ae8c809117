// Writes the kubeconfig a user or test points kubectl/the extension at: the cluster CA embedded, two token users.
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export const adminContext = 'sa-demo';
export const viewerContext = 'sa-demo-restricted';
export const developerContext = 'sa-demo-developer';
export const clusterName = 'sa-demo';

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  adminToken: string;
  viewerToken: string;
  developerToken: string;
}

export function kubeconfigYaml(options: KubeconfigOptions): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.caPem).toString('base64'),
        },
      },
    ],
    users: [
      { name: 'demo-admin', user: { token: options.adminToken } },
      { name: 'demo-viewer', user: { token: options.viewerToken } },
      { name: 'demo-developer', user: { token: options.developerToken } },
    ],
    contexts: [
      { name: adminContext, context: { cluster: clusterName, user: 'demo-admin', namespace: 'default' } },
      { name: viewerContext, context: { cluster: clusterName, user: 'demo-viewer', namespace: 'default' } },
      { name: developerContext, context: { cluster: clusterName, user: 'demo-developer', namespace: 'default' } },
    ],
    'current-context': adminContext,
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  // The file holds bearer tokens: owner-only, like kubectl writes its own.
  await writeFile(path, kubeconfigYaml(options), { mode: 0o600 });
}
