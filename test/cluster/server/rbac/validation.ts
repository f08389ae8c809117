// Defaults and validation of RBAC objects on create, after pkg/apis/rbac/v1/defaults.go and
// pkg/apis/rbac/validation/validation.go (ValidatePolicyRule, ValidateRoleBinding(Subject)).
import type { KubeObject } from '../objects';
import type { ResourceDef } from '../resources';
import { invalid } from '../status';
import { rbacGroup } from './resources';

type Cause = { field: string; message: string };
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const quoteAll = (values: string[]) => values.map((value) => `"${value}"`).join(', ');
const goSlice = (values: string[]) => `[]string{${quoteAll(values)}}`;

function ruleCauses(rule: Record<string, unknown>, path: string, namespaced: boolean): Cause[] {
  const causes: Cause[] = [];
  const verbs = list(rule.verbs);
  const urls = list(rule.nonResourceURLs);
  if (verbs.length === 0)
    causes.push({ field: `${path}.verbs`, message: 'Required value: verbs must contain at least one value' });
  if (urls.length > 0) {
    if (namespaced)
      causes.push({
        field: `${path}.nonResourceURLs`,
        message: `Invalid value: ${goSlice(urls)}: namespaced rules cannot apply to non-resource URLs`,
      });
    if (list(rule.apiGroups).length || list(rule.resources).length)
      causes.push({
        field: `${path}.nonResourceURLs`,
        message: `Invalid value: ${goSlice(urls)}: rules cannot apply to both regular resources and non-resource URLs`,
      });
    return causes;
  }
  if (list(rule.apiGroups).length === 0)
    causes.push({
      field: `${path}.apiGroups`,
      message: 'Required value: resource rules must supply at least one api group',
    });
  if (list(rule.resources).length === 0)
    causes.push({
      field: `${path}.resources`,
      message: 'Required value: resource rules must supply at least one resource',
    });
  return causes;
}

function subjectCauses(subject: Record<string, unknown>, path: string, namespaced: boolean): Cause[] {
  const causes: Cause[] = [];
  if (!subject.name) causes.push({ field: `${path}.name`, message: 'Required value' });
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.apiGroup)
        causes.push({
          field: `${path}.apiGroup`,
          message: `Unsupported value: "${String(subject.apiGroup)}": supported values: ""`,
        });
      if (!namespaced && !subject.namespace) causes.push({ field: `${path}.namespace`, message: 'Required value' });
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== rbacGroup)
        causes.push({
          field: `${path}.apiGroup`,
          message: `Unsupported value: "${String(subject.apiGroup)}": supported values: "${rbacGroup}"`,
        });
      break;
    default:
      causes.push({
        field: `${path}.kind`,
        message: `Unsupported value: "${String(subject.kind ?? '')}": supported values: "ServiceAccount", "User", "Group"`,
      });
  }
  return causes;
}

/** Applies the API's defaults to the object, then throws 422 Invalid as kube-apiserver would. */
export function validateRbacObject(definition: ResourceDef, object: KubeObject): void {
  const name = object.metadata.name ?? '';
  const causes: Cause[] = [];
  if (definition.kind === 'Role' || definition.kind === 'ClusterRole') {
    const rules = Array.isArray(object.rules) ? (object.rules as Record<string, unknown>[]) : [];
    rules.forEach((rule, index) => causes.push(...ruleCauses(rule ?? {}, `rules[${index}]`, definition.namespaced)));
  } else {
    const roleRef = (object.roleRef ?? {}) as Record<string, unknown>;
    object.roleRef = roleRef;
    roleRef.apiGroup ||= rbacGroup; // SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding
    const subjects = Array.isArray(object.subjects) ? (object.subjects as Record<string, unknown>[]) : [];
    for (const subject of subjects) {
      // SetDefaults_Subject
      if (subject && subject.apiGroup === undefined)
        subject.apiGroup = subject.kind === 'ServiceAccount' ? '' : rbacGroup;
      if (subject?.kind === 'ServiceAccount' && subject.apiGroup === '') delete subject.apiGroup;
    }
    const kinds = definition.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (roleRef.apiGroup !== rbacGroup)
      causes.push({
        field: 'roleRef.apiGroup',
        message: `Unsupported value: "${String(roleRef.apiGroup)}": supported values: "${rbacGroup}"`,
      });
    if (!kinds.includes(String(roleRef.kind)))
      causes.push({
        field: 'roleRef.kind',
        message: `Unsupported value: "${String(roleRef.kind ?? '')}": supported values: ${quoteAll(kinds)}`,
      });
    if (!roleRef.name) causes.push({ field: 'roleRef.name', message: 'Required value' });
    subjects.forEach((subject, index) =>
      causes.push(...subjectCauses(subject ?? {}, `subjects[${index}]`, definition.namespaced)),
    );
  }
  if (causes.length) throw invalid(definition.kind, name, causes, rbacGroup);
}

/** ValidateRBACName: `path.IsValidPathSegmentName` (names like `system:discovery` are fine). */
export function validatePathSegmentName(kind: string, name: string): void {
  const problem =
    name === '.' || name === '..'
      ? `may not be '${name}'`
      : ['/', '%'].find((character) => name.includes(character))
        ? `may not contain '${['/', '%'].find((character) => name.includes(character))}'`
        : undefined;
  if (problem)
    throw invalid(kind, name, [{ field: 'metadata.name', message: `Invalid value: "${name}": ${problem}` }], rbacGroup);
}
