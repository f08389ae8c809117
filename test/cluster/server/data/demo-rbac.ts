// RBAC of the `demo` data set, as teams write it — including the mistakes the extension is there to find:
// - legacy-app/reporter reads Secrets through a RoleBinding to a ClusterRole (a token-escalation risk);
// - legacy-app/deployer, bound as a User subject, creates pods and deployments and mints tokens;
// - every ServiceAccount of modern-app views its namespace through the group system:serviceaccounts:modern-app;
// - legacy-app/ci-runner edits modern-app from another namespace;
// - custom-audience/vault-client delegates token reviews cluster-wide, and a wrong-namespace binding meant for it
//   names modern-app/vault-client, which does not exist;
// - restricted/payments is admin of its namespace; kube-system/coredns reads endpoints and services cluster-wide.
import type { Cluster } from '../cluster';

const rbac = 'rbac.authorization.k8s.io';
const sa = (name: string, namespace?: string) => ({
  kind: 'ServiceAccount',
  name,
  ...(namespace ? { namespace } : {}),
});
const userSubject = (name: string) => ({ apiGroup: rbac, kind: 'User', name });
const groupSubject = (name: string) => ({ apiGroup: rbac, kind: 'Group', name });
const ref = (kind: 'Role' | 'ClusterRole', name: string) => ({ apiGroup: rbac, kind, name });

export async function loadDemoRbac(cluster: Cluster): Promise<void> {
  await cluster.create('clusterroles', '', {
    metadata: { name: 'secret-reader' },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
  });
  await cluster.create('clusterroles', '', {
    metadata: { name: 'system:coredns' },
    rules: [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ],
  });
  await cluster.create('roles', 'legacy-app', {
    metadata: { name: 'deployer' },
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'create', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'update'] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    ],
  });
  await cluster.create('roles', 'custom-audience', {
    metadata: { name: 'vault-config' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['vault-agent-config'], verbs: ['get'] }],
  });

  const bindings: Array<[string, string, object]> = [
    [
      'rolebindings',
      'legacy-app',
      {
        metadata: { name: 'reporter-reads-secrets' },
        roleRef: ref('ClusterRole', 'secret-reader'),
        subjects: [sa('reporter')],
      },
    ],
    [
      'rolebindings',
      'legacy-app',
      {
        metadata: { name: 'deployer' },
        roleRef: ref('Role', 'deployer'),
        subjects: [userSubject('system:serviceaccount:legacy-app:deployer')],
      },
    ],
    [
      'rolebindings',
      'modern-app',
      {
        metadata: { name: 'all-accounts-view' },
        roleRef: ref('ClusterRole', 'view'),
        subjects: [groupSubject('system:serviceaccounts:modern-app')],
      },
    ],
    [
      'rolebindings',
      'modern-app',
      {
        metadata: { name: 'ci-runner-edit' },
        roleRef: ref('ClusterRole', 'edit'),
        subjects: [sa('ci-runner', 'legacy-app')],
      },
    ],
    [
      'rolebindings',
      'custom-audience',
      {
        metadata: { name: 'vault-config' },
        roleRef: ref('Role', 'vault-config'),
        subjects: [sa('vault-client', 'modern-app')],
      },
    ],
    [
      'rolebindings',
      'restricted',
      { metadata: { name: 'payments-admin' }, roleRef: ref('ClusterRole', 'admin'), subjects: [sa('payments')] },
    ],
    [
      'clusterrolebindings',
      '',
      {
        metadata: { name: 'vault-client-tokenreview' },
        roleRef: ref('ClusterRole', 'system:auth-delegator'),
        subjects: [sa('vault-client', 'custom-audience')],
      },
    ],
    [
      'clusterrolebindings',
      '',
      {
        metadata: { name: 'system:coredns' },
        roleRef: ref('ClusterRole', 'system:coredns'),
        subjects: [sa('coredns', 'kube-system')],
      },
    ],
  ];
  for (const [resource, namespace, body] of bindings) await cluster.create(resource, namespace, body);
}
