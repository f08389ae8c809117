// Plain Kubernetes JSON objects as the API server returns them (trimmed to realistic fields).
export const TOKEN_TYPE = 'kubernetes.io/service-account-token';

export function serviceAccount(namespace: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      creationTimestamp: '2024-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl' }],
    },
    ...extra,
  };
}

export function tokenSecret(
  namespace: string,
  name: string,
  account: string,
  options: { populated?: boolean; labels?: Record<string, string> } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: TOKEN_TYPE,
    metadata: {
      name,
      namespace,
      creationTimestamp: '2024-02-01T00:00:00Z',
      annotations: {
        'kubernetes.io/service-account.name': account,
        'kubernetes.io/service-account.uid': `uid-${namespace}-${account}`,
      },
      labels: options.labels ?? {},
    },
    data:
      options.populated === false
        ? undefined
        : { token: 'ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZXlKemRXSWlPaUo0SW4wLnNpZw==', 'ca.crt': 'Y2E=', namespace: 'bnM=' },
  };
}

export const kubeApiAccessVolume = {
  name: 'kube-api-access-x7k2p',
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

export function pod(namespace: string, name: string, spec: Record<string, unknown>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `pod-${name}` },
    spec,
    status: { phase: 'Running' },
  };
}
