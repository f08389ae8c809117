// What kube-apiserver's bootstrap policy creates at start (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go),
// reduced to the roles this project's users meet, plus the demo kubeconfig users' grants. The aggregated `view`,
// `edit` and `admin` roles start empty and are filled by the aggregation controller, as on a real cluster.
import type { KubeObject } from '../objects';
import { rbacGroup } from './resources';

const rule = (verbs: string[], apiGroups: string[], resources: string[], extra: Record<string, string[]> = {}) => ({
  apiGroups,
  resources,
  verbs,
  ...extra,
});
const urls = (verbs: string[], nonResourceURLs: string[]) => ({ nonResourceURLs, verbs });
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

export const clusterRole = (
  name: string,
  rules: object[],
  labels: Record<string, string> = {},
  extra: object = {},
): KubeObject =>
  ({ metadata: { name, labels: { ...bootstrapLabels, ...labels }, annotations }, rules, ...extra }) as KubeObject;

export const clusterRoleBinding = (name: string, role: string, subjects: object[]): KubeObject =>
  ({
    metadata: { name, labels: bootstrapLabels, annotations },
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: role },
    subjects,
  }) as KubeObject;

export const group = (name: string) => ({ apiGroup: rbacGroup, kind: 'Group', name });
export const user = (name: string) => ({ apiGroup: rbacGroup, kind: 'User', name });

const aggregated = (name: string, selectorsOf: string[], labels: Record<string, string> = {}) =>
  clusterRole(name, [], labels, {
    aggregationRule: {
      clusterRoleSelectors: selectorsOf.map((target) => ({
        matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${target}`]: 'true' },
      })),
    },
  });
const aggregateTo = (...targets: string[]) =>
  Object.fromEntries(targets.map((target) => [`rbac.authorization.k8s.io/aggregate-to-${target}`, 'true']));

export const bootstrapClusterRoles: KubeObject[] = [
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
  clusterRole('system:discovery', [
    urls(
      ['get'],
      [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
    ),
  ]),
  clusterRole('system:public-info-viewer', [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
  clusterRole('system:basic-user', [
    rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
  ]),
  clusterRole('system:service-account-issuer-discovery', [
    urls(
      ['get'],
      [
        '/.well-known/openid-configuration',
        '/.well-known/openid-configuration/',
        '/openid/v1/jwks',
        '/openid/v1/jwks/',
      ],
    ),
  ]),
  clusterRole('system:auth-delegator', [
    rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
    rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
  ]),
  aggregated('admin', ['admin']),
  aggregated('edit', ['edit'], aggregateTo('admin')),
  aggregated('view', ['view'], aggregateTo('edit')),
  clusterRole(
    'system:aggregate-to-admin',
    [
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      rule([...read, ...write], [rbacGroup], ['rolebindings', 'roles']),
    ],
    aggregateTo('admin'),
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(write, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      rule(['create'], [''], ['pods/eviction']),
      rule(
        write,
        [''],
        [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      ),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(
        write,
        ['apps'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
      ),
      rule(write, ['batch'], ['cronjobs', 'jobs']),
      rule(read, [''], ['secrets']),
    ],
    aggregateTo('edit'),
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      rule(
        read,
        [''],
        [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      ),
      rule(
        read,
        [''],
        [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      ),
      rule(read, [''], ['namespaces']),
      rule(
        read,
        ['apps'],
        [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      ),
      rule(read, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
    ],
    aggregateTo('view'),
  ),
  // The demo kubeconfig's second user: reads namespaces cluster-wide, the rest per namespace (see namespaceGrants).
  clusterRole('sa-demo:namespace-lister', [rule(read, [''], ['namespaces'])], {}),
  clusterRole('sa-demo:namespace-reader', [rule(read, [''], ['serviceaccounts', 'pods', 'configmaps'])], {}),
];

export const viewerUsername = 'demo-viewer';

export const bootstrapClusterRoleBindings: KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
  clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
  clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    group('system:authenticated'),
    group('system:unauthenticated'),
  ]),
  clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [
    group('system:serviceaccounts'),
  ]),
  clusterRoleBinding('sa-demo:namespace-lister', 'sa-demo:namespace-lister', [user(viewerUsername)]),
];

/** Namespaces the demo viewer may not read inside. */
export const restrictedNamespace = 'restricted';

/**
 * What this demo cluster's namespace provisioner adds to each new namespace (many clusters run one): a RoleBinding
 * that lets the viewer read ServiceAccounts, pods and ConfigMaps there — except in `restricted`.
 */
export function namespaceGrants(namespace: string): KubeObject[] {
  if (namespace === restrictedNamespace) return [];
  return [
    {
      metadata: { name: 'sa-demo:viewer', namespace },
      roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: 'sa-demo:namespace-reader' },
      subjects: [user(viewerUsername)],
    } as KubeObject,
  ];
}
