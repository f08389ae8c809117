// A small namespace inventory shaped like what the kube layer returns for the demo data.
import type { Inventory, ServiceAccountInfo } from '../../../../src/core/cluster/model';

export const NOW = new Date('2025-06-01T12:00:00Z');

const legacyApp: ServiceAccountInfo = {
  namespace: 'legacy-app',
  name: 'billing',
  uid: 'uid-billing',
  automountServiceAccountToken: null,
  tokenSecrets: [
    {
      namespace: 'legacy-app',
      name: 'billing-token-x7k2p',
      serviceAccount: 'billing',
      populated: true,
      createdAt: '2025-05-30T12:00:00Z',
      lastUsed: '2025-05-31',
      invalidSince: null,
    },
    {
      namespace: 'legacy-app',
      name: 'billing-old',
      serviceAccount: 'billing',
      populated: true,
      createdAt: '2023-01-01T00:00:00Z',
      lastUsed: '2024-01-10',
      invalidSince: '2025-01-10',
    },
    {
      namespace: 'legacy-app',
      name: 'billing-pending',
      serviceAccount: 'billing',
      populated: false,
      createdAt: '2025-06-01T11:59:30Z',
      lastUsed: null,
      invalidSince: null,
    },
  ],
  secretsList: ['billing-token-x7k2p', 'billing-token-gone'],
  missingSecrets: ['billing-token-gone'],
  imagePullSecrets: ['registry-creds'],
  pods: [
    {
      name: 'billing-7d9f',
      automount: true,
      tokenSources: [
        {
          kind: 'env',
          secretName: 'billing-token-x7k2p',
          key: 'token',
          containers: [{ name: 'app', env: 'API_TOKEN' }],
        },
        {
          kind: 'secret-volume',
          volume: 'api-token',
          secretName: 'billing-token-x7k2p',
          containers: [{ name: 'app', mountPath: '/etc/token' }],
        },
        {
          kind: 'projected',
          volume: 'kube-api-access-abcde',
          path: 'token',
          audience: null,
          expirationSeconds: 3607,
          containers: [{ name: 'app', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
        },
      ],
    },
  ],
};

const modern: ServiceAccountInfo = {
  namespace: 'legacy-app',
  name: 'api',
  uid: 'uid-api',
  automountServiceAccountToken: false,
  tokenSecrets: [],
  secretsList: [],
  missingSecrets: [],
  imagePullSecrets: [],
  pods: [
    {
      name: 'api-0',
      automount: false,
      tokenSources: [
        {
          kind: 'projected',
          volume: 'vault-token',
          path: 'vault',
          audience: 'vault',
          expirationSeconds: 600,
          containers: [{ name: 'api', mountPath: '/vault' }],
        },
      ],
    },
    {
      name: 'other-reader',
      automount: true,
      tokenSources: [
        { kind: 'env', secretName: 'billing-token-x7k2p', key: null, containers: [{ name: 'x', env: 'T' }] },
      ],
    },
  ],
};

export const inventory: Inventory = {
  context: 'sa-demo',
  serviceAccounts: [legacyApp, modern],
  staticPods: [],
  errors: [
    {
      resource: 'secrets',
      namespace: 'legacy-app',
      reason: 'forbidden: can list serviceaccounts but not secrets in namespace legacy-app',
    },
  ],
};

export const billing = legacyApp;
export const api = modern;
