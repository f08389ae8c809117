// rbac.authorization.k8s.io/v1: Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, with the Table columns
// kube-apiserver prints for them (pkg/printers/internalversion/printers.go: roles and cluster roles NAME/CREATED AT,
// bindings NAME/ROLE/AGE and, wide, USERS/GROUPS/SERVICEACCOUNTS).
import type { KubeObject } from '../objects';
import { age, ageColumn, column, nameColumn, type ResourceDef } from '../resources';

export const rbacGroup = 'rbac.authorization.k8s.io';

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}
const subjectsOf = (object: KubeObject) => (Array.isArray(object.subjects) ? (object.subjects as Subject[]) : []);
const roleRefOf = (object: KubeObject) => (object.roleRef ?? {}) as { kind?: string; name?: string };

const createdAt = column(
  'Created At',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
  'date',
);

const roleColumns = {
  columns: [nameColumn, createdAt],
  cells: (object: KubeObject) => [object.metadata.name, object.metadata.creationTimestamp],
};

/** `SubjectsStrings` in pkg/apis/rbac/v1/evaluation_helpers.go: users, groups, namespace/serviceaccounts. */
function subjectCells(object: KubeObject): string[] {
  const subjects = subjectsOf(object);
  const list = (kind: string, format: (subject: Subject) => string) =>
    subjects
      .filter((subject) => subject.kind === kind)
      .map(format)
      .join(', ');
  return [
    list('User', (subject) => subject.name ?? ''),
    list('Group', (subject) => subject.name ?? ''),
    list('ServiceAccount', (subject) => `${subject.namespace ?? ''}/${subject.name ?? ''}`),
  ];
}

const bindingColumns = {
  columns: [
    nameColumn,
    column('Role', 'Role is the role referenced by this binding.'),
    ageColumn,
    column('Users', 'Users in the roleBinding', 'string', 1),
    column('Groups', 'Groups in the roleBinding', 'string', 1),
    column('ServiceAccounts', 'ServiceAccounts in the roleBinding', 'string', 1),
  ],
  cells: (object: KubeObject, now: number) => [
    object.metadata.name,
    `${roleRefOf(object).kind ?? ''}/${roleRefOf(object).name ?? ''}`,
    age(object, now),
    ...subjectCells(object),
  ],
};

const common = { group: rbacGroup, shortNames: [], deleteReturnsObject: false, fields: {} };

export const rbacResources: ResourceDef[] = [
  {
    ...common,
    name: 'roles',
    singularName: 'role',
    kind: 'Role',
    listKind: 'RoleList',
    namespaced: true,
    ...roleColumns,
  },
  {
    ...common,
    name: 'clusterroles',
    singularName: 'clusterrole',
    kind: 'ClusterRole',
    listKind: 'ClusterRoleList',
    namespaced: false,
    ...roleColumns,
  },
  {
    ...common,
    name: 'rolebindings',
    singularName: 'rolebinding',
    kind: 'RoleBinding',
    listKind: 'RoleBindingList',
    namespaced: true,
    ...bindingColumns,
  },
  {
    ...common,
    name: 'clusterrolebindings',
    singularName: 'clusterrolebinding',
    kind: 'ClusterRoleBinding',
    listKind: 'ClusterRoleBindingList',
    namespaced: false,
    ...bindingColumns,
  },
];

export const rbacResourcesByName = new Map(rbacResources.map((definition) => [definition.name, definition]));
