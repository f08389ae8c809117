// The `demo` data set: every way a token reaches a workload, created through the same paths as API requests
// (validation, admission, token controller), then aged and marked Running like a live cluster.
import { creationTimestamp } from '../admission';
import type { Cluster } from '../cluster';
import { loadDemoRbac } from './demo-rbac';
import { extendableExpirationSeconds, issuer } from '../tokens';
import {
  serviceAccountNameAnnotation,
  serviceAccountTokenType,
  type Container,
  type KubeObject,
  type Pod,
  type Secret,
} from '../objects';

const day = 24 * 3600 * 1000;

interface PodPlan {
  namespace: string;
  name: string;
  serviceAccount: string;
  containers: Container[];
  volumes?: { name: string; [key: string]: unknown }[];
  automount?: boolean;
  ageDays: number;
  owner?: string;
}

const container = (name: string, image: string, extra: Partial<Container> = {}): Container => ({
  name,
  image,
  ...extra,
});

async function namespace(cluster: Cluster, name: string, ageDays: number): Promise<void> {
  await cluster.create('namespaces', '', { metadata: { name } });
  age(cluster, 'namespaces', '', name, ageDays);
  age(cluster, 'serviceaccounts', name, 'default', ageDays);
  age(cluster, 'configmaps', name, 'kube-root-ca.crt', ageDays);
}

async function serviceAccount(
  cluster: Cluster,
  ns: string,
  name: string,
  extra: Record<string, unknown> = {},
  ageDays = 200,
) {
  await cluster.create('serviceaccounts', ns, { metadata: { name }, ...extra });
  age(cluster, 'serviceaccounts', ns, name, ageDays);
}

/** A token Secret as `kubectl create -f` makes it; the token controller fills it before this returns. */
async function tokenSecret(
  cluster: Cluster,
  ns: string,
  name: string,
  account: string,
  labels: Record<string, string> = {},
  ageDays = 200,
) {
  await cluster.create('secrets', ns, {
    metadata: { name, labels, annotations: { [serviceAccountNameAnnotation]: account } },
    type: serviceAccountTokenType,
  });
  await cluster.fillTokenSecret(ns, name);
  age(cluster, 'secrets', ns, name, ageDays);
}

async function pod(cluster: Cluster, plan: PodPlan, index: number): Promise<void> {
  const ownerReferences = plan.owner
    ? [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: plan.owner,
          uid: `6f1c2b3a-0000-4000-8000-${String(index).padStart(12, '0')}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]
    : undefined;
  await cluster.create('pods', plan.namespace, {
    metadata: {
      name: plan.name,
      labels: { app: plan.name.split('-')[0] },
      ...(ownerReferences ? { ownerReferences } : {}),
    },
    spec: {
      serviceAccountName: plan.serviceAccount,
      ...(plan.automount === undefined ? {} : { automountServiceAccountToken: plan.automount }),
      containers: plan.containers,
      ...(plan.volumes ? { volumes: plan.volumes } : {}),
    },
  });
  const running = cluster.store.read<Pod>('pods', plan.namespace, plan.name) as Pod;
  running.spec.nodeName = 'demo-node';
  running.status = {
    phase: 'Running',
    podIP: `10.244.0.${10 + index}`,
    startTime: creationTimestamp(new Date(Date.now() - plan.ageDays * day)),
    containerStatuses: plan.containers.map((c) => ({
      name: c.name,
      image: c.image,
      ready: true,
      restartCount: 0,
      started: true,
    })),
    qosClass: 'BestEffort',
  };
  cluster.store.put('pods', running);
  age(cluster, 'pods', plan.namespace, plan.name, plan.ageDays);
}

function age(cluster: Cluster, resource: string, ns: string, name: string, days: number): void {
  const object = cluster.store.read<KubeObject>(resource, ns, name);
  if (!object) return;
  object.metadata.creationTimestamp = creationTimestamp(new Date(Date.now() - days * day));
  cluster.store.put(resource, object);
}

const legacyToken = 'legacy-api-token-x7k2p';

const pods: PodPlan[] = [
  {
    namespace: 'legacy-app',
    name: 'legacy-api-7d9f8b6c5-x2k4p',
    owner: 'legacy-api-7d9f8b6c5',
    serviceAccount: 'legacy-api',
    ageDays: 90,
    containers: [
      container('api', 'registry.example.com/legacy-api:2.3.1', {
        env: [{ name: 'KUBE_TOKEN', valueFrom: { secretKeyRef: { name: legacyToken, key: 'token' } } }],
        volumeMounts: [{ name: 'api-token', mountPath: '/etc/legacy-token', readOnly: true }],
      }),
    ],
    volumes: [{ name: 'api-token', secret: { secretName: legacyToken, defaultMode: 420 } }],
  },
  {
    namespace: 'legacy-app',
    name: 'nightly-report-28911440-q7xkz',
    serviceAccount: 'batch-worker',
    ageDays: 1,
    containers: [container('report', 'busybox:1.36')],
  },
  {
    namespace: 'modern-app',
    name: 'web-5c8d7f9b4-h2x9t',
    owner: 'web-5c8d7f9b4',
    serviceAccount: 'web',
    ageDays: 12,
    containers: [container('web', 'nginx:1.27')],
  },
  {
    namespace: 'modern-app',
    name: 'web-5c8d7f9b4-k8m4w',
    owner: 'web-5c8d7f9b4',
    serviceAccount: 'web',
    ageDays: 12,
    containers: [container('web', 'nginx:1.27')],
  },
  {
    namespace: 'modern-app',
    name: 'metrics-exporter-0',
    serviceAccount: 'web',
    automount: false,
    ageDays: 30,
    containers: [container('exporter', 'prom/node-exporter:v1.8.2')],
  },
  {
    namespace: 'modern-app',
    name: 'worker-with-own-mount',
    serviceAccount: 'web',
    ageDays: 5,
    containers: [
      container('worker', 'busybox:1.36', {
        volumeMounts: [{ name: 'custom-sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
      }),
      container('sidecar', 'busybox:1.36'),
    ],
    volumes: [{ name: 'custom-sa', emptyDir: {} }],
  },
  {
    namespace: 'custom-audience',
    name: 'vault-agent-0',
    serviceAccount: 'vault-client',
    ageDays: 20,
    containers: [
      container('agent', 'hashicorp/vault:1.17', {
        volumeMounts: [{ name: 'vault-token', mountPath: '/var/run/secrets/vault', readOnly: true }],
      }),
    ],
    volumes: [
      {
        name: 'vault-token',
        projected: {
          defaultMode: 420,
          sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }],
        },
      },
    ],
  },
  {
    namespace: 'restricted',
    name: 'payments-0',
    serviceAccount: 'payments',
    ageDays: 40,
    containers: [container('payments', 'registry.example.com/payments:5.0.0')],
  },
  {
    namespace: 'kube-system',
    name: 'coredns-668d6bf9bc-4xk2n',
    owner: 'coredns-668d6bf9bc',
    serviceAccount: 'coredns',
    ageDays: 300,
    containers: [container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.3')],
  },
];

const clusterAgeDays = 700;

/** The node every demo pod runs on, as its kubelet registers it. */
async function demoNode(cluster: Cluster): Promise<void> {
  await cluster.create('nodes', '', {
    metadata: {
      name: 'demo-node',
      labels: {
        'kubernetes.io/hostname': 'demo-node',
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
      },
    },
  });
  const node = cluster.store.read('nodes', '', 'demo-node') as KubeObject;
  node.status = {
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    nodeInfo: { kubeletVersion: 'v1.32.4', operatingSystem: 'linux', architecture: 'amd64' },
  };
  cluster.store.put('nodes', node);
  age(cluster, 'nodes', '', 'demo-node', clusterAgeDays);
}

export async function loadDemoData(cluster: Cluster): Promise<void> {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    age(cluster, 'namespaces', '', name, clusterAgeDays);
    age(cluster, 'serviceaccounts', name, 'default', clusterAgeDays);
    age(cluster, 'configmaps', name, 'kube-root-ca.crt', clusterAgeDays);
  }
  for (const [name, ageDays] of [
    ['legacy-app', 400],
    ['modern-app', 60],
    ['custom-audience', 30],
    ['restricted', 100],
  ] as const) {
    await namespace(cluster, name, ageDays);
  }
  await serviceAccount(cluster, 'kube-system', 'coredns', {}, 300);
  await demoNode(cluster);
  await loadDemoRbac(cluster);

  await cluster.create('secrets', 'legacy-app', {
    metadata: { name: 'registry-credentials' },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': '{"auths":{"registry.example.com":{"auth":"ZGVtbzpkZW1v"}}}' },
  });
  await serviceAccount(
    cluster,
    'legacy-app',
    'legacy-api',
    { secrets: [{ name: legacyToken }], imagePullSecrets: [{ name: 'registry-credentials' }] },
    400,
  );
  await tokenSecret(
    cluster,
    'legacy-app',
    legacyToken,
    'legacy-api',
    { 'kubernetes.io/legacy-token-last-used': creationTimestamp().slice(0, 10) },
    400,
  );
  await serviceAccount(cluster, 'legacy-app', 'reporter', { secrets: [{ name: 'reporter-token-9fz2m' }] }, 380);
  await serviceAccount(cluster, 'legacy-app', 'ci-runner', {}, 500);
  await tokenSecret(
    cluster,
    'legacy-app',
    'ci-runner-token-b8d4k',
    'ci-runner',
    { 'kubernetes.io/legacy-token-last-used': '2024-03-01' },
    500,
  );
  await serviceAccount(cluster, 'legacy-app', 'deployer', {}, 600);
  await tokenSecret(
    cluster,
    'legacy-app',
    'deployer-token-m5v7r',
    'deployer',
    { 'kubernetes.io/legacy-token-last-used': '2023-11-20', 'kubernetes.io/legacy-token-invalid-since': '2025-01-15' },
    600,
  );
  await serviceAccount(cluster, 'legacy-app', 'batch-worker', { automountServiceAccountToken: false }, 200);

  await serviceAccount(cluster, 'modern-app', 'web', {}, 60);
  await tokenSecret(cluster, 'modern-app', 'web-explicit-token', 'web', {}, 10);
  await serviceAccount(cluster, 'custom-audience', 'vault-client', {}, 30);
  await serviceAccount(cluster, 'restricted', 'payments', {}, 100);
  await tokenSecret(cluster, 'restricted', 'payments-token-q8w2e', 'payments', {}, 100);

  let index = 0;
  for (const plan of pods) await pod(cluster, plan, index++);
}

/** The tokens the demo workspace (demo/, `npm start`) shows, and the key that verifies them. */
export interface DemoWorkspaceTokens {
  /** data.token of the legacy-app/legacy-api-token-x7k2p Secret, as the token controller filled it. */
  legacyToken: string;
  /** What the kubelet mounts in modern-app/web-5c8d7f9b4-h2x9t: pod-bound, 3607 s extended to a year. */
  boundToken: string;
  /** `kubectl create token deployer -n legacy-app --duration 1h`, run two hours ago: expired an hour ago. */
  expiredToken: string;
  /** This cluster's signing key, public half (PEM). */
  publicKeyPem: string;
}

/** Mints the demo workspace's tokens with this cluster's key and the uids of its own objects, so the workspace and
 * the cluster tell one story: the tokens verify against the cluster and name its namespaces, accounts and pods. */
export async function demoWorkspaceTokens(cluster: Cluster): Promise<DemoWorkspaceTokens> {
  const account = (namespace: string, name: string) => {
    const stored = cluster.store.get('serviceaccounts', namespace, name);
    if (!stored) throw new Error(`the demo data has no ServiceAccount ${namespace}/${name}`);
    return { name, uid: stored.uid };
  };
  const secret = cluster.store.read<Secret>('secrets', 'legacy-app', legacyToken);
  const legacy = secret?.data?.token;
  if (!legacy) throw new Error(`the demo Secret legacy-app/${legacyToken} has no token yet`);
  const webPod = cluster.store.get('pods', 'modern-app', 'web-5c8d7f9b4-h2x9t');
  if (!webPod) throw new Error('the demo data has no pod modern-app/web-5c8d7f9b4-h2x9t');
  const bound = await cluster.tokens.issueBound({
    namespace: 'modern-app',
    serviceAccount: account('modern-app', 'web'),
    audiences: [issuer],
    expirationSeconds: extendableExpirationSeconds,
    bound: { kind: 'Pod', ref: { name: webPod.name, uid: webPod.uid } },
  });
  const expired = await cluster.tokens.issueBound(
    {
      namespace: 'legacy-app',
      serviceAccount: account('legacy-app', 'deployer'),
      audiences: [issuer],
      expirationSeconds: 3600,
    },
    new Date(Date.now() - 2 * 3600 * 1000),
  );
  return {
    legacyToken: Buffer.from(legacy, 'base64').toString('utf8'),
    boundToken: bound.token,
    expiredToken: expired.token,
    publicKeyPem: cluster.tokens.publicKeyPem(),
  };
}
