// The resources the server serves: discovery facts, field selectors, delete semantics and Table columns,
// each as the real API server defines them for core/v1.
import type { KubeObject, Pod, Secret, ServiceAccount } from './objects';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface ResourceDef {
  name: string;
  /** API group; absent for core/v1. Every group here is served at version v1. */
  group?: string;
  singularName: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories?: string[];
  /** Whether DELETE answers with the object (true) or a Success Status (false), as the real registries do. */
  deleteReturnsObject: boolean;
  /** Field selector labels besides metadata.name/metadata.namespace, with how to read them. */
  fields: Record<string, (object: KubeObject) => string>;
  columns: TableColumn[];
  cells: (object: KubeObject, now: number) => unknown[];
}

const column = (
  name: string,
  description: string,
  type: TableColumn['type'] = 'string',
  priority = 0,
): TableColumn => ({
  name,
  type,
  format: name === 'Name' ? 'name' : '',
  description,
  priority,
});

const nameColumn = column('Name', 'Name must be unique within a namespace.');
const ageColumn = column(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);

/** `k8s.io/apimachinery/pkg/util/duration.HumanDuration`, the Age column's format. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

const age = (object: KubeObject, now: number): string => {
  const created = Date.parse(object.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? '<unknown>' : humanDuration(now - created);
};

const countKeys = (value: unknown): number => (value && typeof value === 'object' ? Object.keys(value).length : 0);

function podStatus(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  return pod.status?.reason ?? pod.status?.phase ?? 'Pending';
}

function podReady(pod: Pod): string {
  const ready = (pod.status?.containerStatuses ?? []).filter((status) => status.ready).length;
  return `${ready}/${pod.spec.containers?.length ?? 0}`;
}

const podRestarts = (pod: Pod): string =>
  String((pod.status?.containerStatuses ?? []).reduce((sum, status) => sum + (status.restartCount ?? 0), 0));

function nodeReady(node: KubeObject): string {
  const conditions = (node.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions;
  const ready = conditions?.find((condition) => condition.type === 'Ready');
  return ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
}

/** kubectl's printer: `node-role.kubernetes.io/<role>` labels, `<none>` without any. */
function nodeRoles(node: KubeObject): string {
  const prefix = 'node-role.kubernetes.io/';
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length))
    .sort();
  return roles.length ? roles.join(',') : '<none>';
}

const stringField = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

export const resources: ResourceDef[] = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    shortNames: ['ns'],
    deleteReturnsObject: true,
    fields: { 'status.phase': (object) => stringField((object.status as { phase?: string } | undefined)?.phase) },
    columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
    cells: (object, now) => [
      object.metadata.name,
      (object.status as { phase?: string } | undefined)?.phase ?? 'Active',
      age(object, now),
    ],
  },
  {
    name: 'serviceaccounts',
    singularName: 'serviceaccount',
    kind: 'ServiceAccount',
    listKind: 'ServiceAccountList',
    namespaced: true,
    shortNames: ['sa'],
    deleteReturnsObject: false,
    fields: {},
    columns: [
      nameColumn,
      column(
        'Secrets',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
        'integer',
      ),
      ageColumn,
    ],
    cells: (object, now) => [object.metadata.name, (object as ServiceAccount).secrets?.length ?? 0, age(object, now)],
  },
  {
    name: 'secrets',
    singularName: 'secret',
    kind: 'Secret',
    listKind: 'SecretList',
    namespaced: true,
    shortNames: [],
    deleteReturnsObject: false,
    fields: { type: (object) => stringField((object as Secret).type) },
    columns: [
      nameColumn,
      column('Type', 'The type of the secret'),
      column('Data', 'The number of entries in the secret', 'integer'),
      ageColumn,
    ],
    cells: (object, now) => [
      object.metadata.name,
      (object as Secret).type ?? 'Opaque',
      countKeys((object as Secret).data),
      age(object, now),
    ],
  },
  {
    name: 'pods',
    singularName: 'pod',
    kind: 'Pod',
    listKind: 'PodList',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    deleteReturnsObject: true,
    // pkg/registry/core/pod/strategy.go PodToSelectableFields (with metadata.name/namespace).
    fields: {
      'spec.serviceAccountName': (object) => stringField((object as Pod).spec?.serviceAccountName),
      'spec.nodeName': (object) => stringField((object as Pod).spec?.nodeName),
      'spec.restartPolicy': (object) => stringField((object as Pod).spec?.restartPolicy),
      'spec.schedulerName': (object) => stringField((object as Pod).spec?.schedulerName),
      'spec.hostNetwork': (object) => String((object as Pod).spec?.hostNetwork === true),
      'status.phase': (object) => stringField((object as Pod).status?.phase),
      'status.podIP': (object) => stringField((object as Pod).status?.podIP),
      'status.nominatedNodeName': (object) => stringField((object as Pod).status?.nominatedNodeName),
    },
    columns: [
      nameColumn,
      column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'The aggregate status of the containers in this pod.'),
      column(
        'Restarts',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      ageColumn,
      column('IP', 'The IP address assigned to the pod', 'string', 1),
      column('Node', 'The name of the node the pod is assigned to', 'string', 1),
      column('Nominated Node', 'The name of the node where the pod is nominated to run', 'string', 1),
      column('Readiness Gates', 'The readiness gates of the pod', 'string', 1),
    ],
    cells: (object, now) => {
      const pod = object as Pod;
      return [
        pod.metadata.name,
        podReady(pod),
        podStatus(pod),
        podRestarts(pod),
        age(pod, now),
        pod.status?.podIP ?? '<none>',
        pod.spec.nodeName ?? '<none>',
        '<none>',
        '<none>',
      ];
    },
  },
  {
    // Nodes (cluster-scoped): the bound token claims and TokenReview extras name them (KEP-4193).
    name: 'nodes',
    singularName: 'node',
    kind: 'Node',
    listKind: 'NodeList',
    namespaced: false,
    shortNames: ['no'],
    deleteReturnsObject: false,
    fields: {
      'spec.unschedulable': (object) => String((object.spec as { unschedulable?: boolean })?.unschedulable ?? false),
    },
    columns: [
      nameColumn,
      column('Status', 'The status of the node'),
      column('Roles', 'The roles of the node'),
      ageColumn,
      column('Version', 'Kubelet Version reported by the node.'),
    ],
    cells: (object, now) => [
      object.metadata.name,
      nodeReady(object),
      nodeRoles(object),
      age(object, now),
      (object.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion ?? '',
    ],
  },
  {
    name: 'configmaps',
    singularName: 'configmap',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    namespaced: true,
    shortNames: ['cm'],
    deleteReturnsObject: false,
    fields: {},
    columns: [nameColumn, column('Data', 'The number of entries in the configmap', 'integer'), ageColumn],
    cells: (object, now) => [
      object.metadata.name,
      countKeys(object.data) + countKeys(object.binaryData),
      age(object, now),
    ],
  },
];

export const resourcesByName = new Map(resources.map((definition) => [definition.name, definition]));

/** `v1` or `<group>/v1`: the apiVersion of the resource's objects. */
export const apiVersionOf = (definition: ResourceDef): string => (definition.group ? `${definition.group}/v1` : 'v1');

export { age, ageColumn, column, nameColumn };
