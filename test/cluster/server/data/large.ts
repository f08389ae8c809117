// The `large` data set for benchmarks: per 1.0 of scale, 2,000 namespaces, 10,000 ServiceAccounts, 10,000 token
// Secrets, 30,000 pods, 4,000 Roles and 20,000 RoleBindings (+ 20 ClusterRoleBindings). Deterministic names and uids; objects are built directly (no admission round trips)
// and bulk-loaded, and the legacy tokens are signed with the cluster's second (EC) key to start in seconds.
import { kubeApiAccessVolume, serviceAccountMountPath } from '../admission';
import type { Cluster } from '../cluster';
import {
  serviceAccountNameAnnotation,
  serviceAccountTokenType,
  serviceAccountUidAnnotation,
  type KubeObject,
} from '../objects';

const accountsPerNamespace = 5;
const podsPerNamespace = 15;
const baseTime = Date.parse('2025-01-01T00:00:00Z');

/** FNV-1a: a cheap, stable hash; the generator needs ~200,000 of them per scale unit. */
function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

const hashHex = (identity: string) =>
  [1, 2, 3, 4].map((seed) => fnv1a(identity, seed).toString(16).padStart(8, '0')).join('');

/** A stable RFC 4122-shaped uid derived from the object's identity. */
function uid(identity: string): string {
  const hex = hashHex(identity);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function suffix(identity: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let hash = fnv1a(identity, 0);
  let name = '';
  for (let index = 0; index < 5; index++, hash = Math.floor(hash / alphabet.length))
    name += alphabet[hash % alphabet.length];
  return name;
}

const timestamp = (offsetMinutes: number) =>
  new Date(baseTime + offsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function meta(resource: string, namespace: string, name: string, offset: number, extra: Record<string, unknown> = {}) {
  return {
    name,
    namespace,
    uid: uid(`${resource}/${namespace}/${name}`),
    creationTimestamp: timestamp(offset),
    ...extra,
  };
}

interface NamespaceObjects {
  namespace: KubeObject;
  configMap: KubeObject;
  accounts: KubeObject[];
  secrets: KubeObject[];
  pods: KubeObject[];
  roles: KubeObject[];
  roleBindings: KubeObject[];
}

function accountName(index: number): string {
  return index === 0 ? 'default' : `app-${index}`;
}

function buildPod(namespace: string, index: number, offset: number, tokenSecrets: string[]): KubeObject {
  const accountIndex = index % accountsPerNamespace;
  const account = accountName(accountIndex);
  const name = `${account}-${suffix(`rs/${namespace}/${account}`)}-${suffix(`pod/${namespace}/${index}`)}`;
  const automount = index % 7 !== 3;
  const volumeName = `kube-api-access-${suffix(`vol/${namespace}/${index}`)}`;
  const readsSecret = index % 3 === 1 ? tokenSecrets[accountIndex] : undefined;
  const mounts = [
    ...(automount ? [{ name: volumeName, readOnly: true, mountPath: serviceAccountMountPath }] : []),
    ...(readsSecret && index % 2 === 0
      ? [{ name: 'legacy-token', readOnly: true, mountPath: '/etc/legacy-token' }]
      : []),
  ];
  const env = readsSecret
    ? [{ name: 'KUBE_TOKEN', valueFrom: { secretKeyRef: { name: readsSecret, key: 'token' } } }]
    : undefined;
  const volumes = [
    ...(automount ? [kubeApiAccessVolume(volumeName)] : []),
    ...(readsSecret && index % 2 === 0
      ? [{ name: 'legacy-token', secret: { secretName: readsSecret, defaultMode: 420 } }]
      : []),
    ...(index % 10 === 5
      ? [
          {
            name: 'vault-token',
            projected: {
              defaultMode: 420,
              sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }],
            },
          },
        ]
      : []),
  ];
  return {
    metadata: meta('pods', namespace, name, offset, {
      labels: { app: account, 'pod-template-hash': suffix(`rs/${namespace}/${account}`) },
    }),
    spec: {
      volumes,
      containers: [
        {
          name: 'app',
          image: `registry.example.com/${account}:1.${index % 10}.0`,
          ...(env ? { env } : {}),
          volumeMounts: mounts,
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: account,
      serviceAccount: account,
      ...(automount ? {} : { automountServiceAccountToken: false }),
      nodeName: `node-${index % 50}`,
      schedulerName: 'default-scheduler',
    },
    status: {
      phase: 'Running',
      podIP: `10.${(offset >> 8) & 255}.${offset & 255}.${index + 2}`,
      containerStatuses: [{ name: 'app', ready: true, restartCount: index % 4 === 0 ? 1 : 0, started: true }],
      qosClass: 'BestEffort',
    },
  };
}

function buildNamespace(cluster: Cluster, index: number): NamespaceObjects {
  const namespace = `team-${String(index).padStart(4, '0')}`;
  const offset = index;
  const accounts = Array.from({ length: accountsPerNamespace }, (_, accountIndex) => {
    const name = accountName(accountIndex);
    const secretName = `${name}-token-${suffix(`secret/${namespace}/${name}`)}`;
    return {
      metadata: meta('serviceaccounts', namespace, name, offset),
      ...(accountIndex % 2 === 1 ? { secrets: [{ name: secretName }] } : {}),
    };
  });
  const secrets = accounts.map((account, accountIndex) => {
    const name = account.metadata.name;
    const labels: Record<string, string> = {};
    if (accountIndex % 3 === 0)
      labels['kubernetes.io/legacy-token-last-used'] = timestamp(offset + 40_000).slice(0, 10);
    if (accountIndex === 4 && index % 4 === 0)
      labels['kubernetes.io/legacy-token-invalid-since'] = timestamp(offset + 200_000).slice(0, 10);
    return {
      metadata: meta('secrets', namespace, `${name}-token-${suffix(`secret/${namespace}/${name}`)}`, offset, {
        labels,
        annotations: { [serviceAccountNameAnnotation]: name, [serviceAccountUidAnnotation]: account.metadata.uid },
      }),
      type: serviceAccountTokenType,
      data: {} as Record<string, string>,
    };
  });
  const pods = Array.from({ length: podsPerNamespace }, (_, podIndex) =>
    buildPod(
      namespace,
      podIndex,
      offset,
      secrets.map((secret) => secret.metadata.name),
    ),
  );
  return {
    namespace: {
      metadata: {
        name: namespace,
        uid: uid(`namespaces/${namespace}`),
        creationTimestamp: timestamp(offset),
        labels: { 'kubernetes.io/metadata.name': namespace },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
    configMap: {
      metadata: meta('configmaps', namespace, 'kube-root-ca.crt', offset),
      data: { 'ca.crt': cluster.caPem },
    },
    ...buildRbac(namespace, offset),
    accounts,
    secrets,
    pods,
  };
}

function fillTokens(cluster: Cluster, objects: NamespaceObjects): void {
  const namespace = objects.namespace.metadata.name ?? '';
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  objects.secrets.forEach((secret, index) => {
    const account = objects.accounts[index].metadata;
    const token = cluster.tokens.issueLegacyBulk({
      namespace,
      serviceAccount: { name: account.name ?? '', uid: account.uid ?? '' },
      secretName: secret.metadata.name ?? '',
    });
    secret.data = { 'ca.crt': base64(cluster.caPem), namespace: base64(namespace), token: base64(token) };
  });
}

export function loadLargeData(cluster: Cluster, scale: number): void {
  const namespaceCount = Math.max(1, Math.round(2000 * scale));
  for (let index = 0; index < namespaceCount; index++) {
    // Stored (serialized) namespace by namespace, so the object graphs die young and GC stays cheap.
    const objects = buildNamespace(cluster, index);
    fillTokens(cluster, objects);
    cluster.store.load('namespaces', [objects.namespace]);
    cluster.store.load('configmaps', [objects.configMap]);
    cluster.store.load('serviceaccounts', objects.accounts);
    cluster.store.load('secrets', objects.secrets);
    cluster.store.load('pods', objects.pods);
    cluster.store.load('roles', objects.roles);
    cluster.store.load('rolebindings', objects.roleBindings);
  }
  cluster.store.load('clusterrolebindings', clusterBindings(namespaceCount));
}

/**
 * RBAC per namespace: the viewer's grant, two Roles and nine more RoleBindings in every subject form (10 bindings per
 * namespace: ~20,000 at scale 1), one in ten binding a risky ClusterRole.
 */
function buildRbac(namespace: string, offset: number): { roles: KubeObject[]; roleBindings: KubeObject[] } {
  const rbac = 'rbac.authorization.k8s.io';
  const role = (name: string, rules: object[]) => ({ metadata: meta('roles', namespace, name, offset), rules });
  const binding = (name: string, roleRef: [string, string], subjects: object[]) => ({
    metadata: meta('rolebindings', namespace, name, offset),
    roleRef: { apiGroup: rbac, kind: roleRef[0], name: roleRef[1] },
    subjects,
  });
  const account = (index: number) => ({ kind: 'ServiceAccount', name: accountName(index) });
  const index = Number(namespace.slice(-4));
  return {
    roles: [
      role('app-reader', [
        { apiGroups: [''], resources: ['configmaps', 'pods', 'services'], verbs: ['get', 'list', 'watch'] },
      ]),
      role('app-deployer', [
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'create', 'update'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'], verbs: ['get', 'update'] },
      ]),
    ],
    roleBindings: [
      binding(
        'sa-demo:viewer',
        ['ClusterRole', 'sa-demo:namespace-reader'],
        [{ apiGroup: rbac, kind: 'User', name: 'demo-viewer' }],
      ),
      binding('readers', ['Role', 'app-reader'], [account(1), account(2)]),
      binding('deployer', ['Role', 'app-deployer'], [account(3)]),
      binding(
        'all-accounts-view',
        ['ClusterRole', 'view'],
        [{ apiGroup: rbac, kind: 'Group', name: `system:serviceaccounts:${namespace}` }],
      ),
      binding(
        'app-4-as-user',
        ['Role', 'app-reader'],
        [{ apiGroup: rbac, kind: 'User', name: `system:serviceaccount:${namespace}:app-4` }],
      ),
      binding('team-edit', ['ClusterRole', 'edit'], [{ apiGroup: rbac, kind: 'Group', name: `team-${index % 100}` }]),
      binding(
        'monitoring',
        ['ClusterRole', 'view'],
        [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
      ),
      binding('missing-role', ['Role', 'does-not-exist'], [account(4)]),
      binding(
        'neighbour',
        ['Role', 'app-reader'],
        [{ kind: 'ServiceAccount', name: 'app-1', namespace: `team-${String((index + 1) % 10000).padStart(4, '0')}` }],
      ),
      binding(
        index % 10 === 0 ? 'secrets-admin' : 'app-2-reader',
        index % 10 === 0 ? ['ClusterRole', 'admin'] : ['Role', 'app-reader'],
        [account(2)],
      ),
    ],
  };
}

function clusterBindings(namespaceCount: number): KubeObject[] {
  const rbac = 'rbac.authorization.k8s.io';
  return Array.from({ length: Math.max(1, Math.round(namespaceCount / 100)) }, (_, index) => ({
    metadata: meta('clusterrolebindings', '', `platform-${index}`, index),
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: index === 0 ? 'cluster-admin' : 'view' },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: `app-${1 + (index % 4)}`,
        namespace: `team-${String(index * 100).padStart(4, '0')}`,
      },
    ],
  }));
}
