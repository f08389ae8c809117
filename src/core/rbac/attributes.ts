// The question as people type it — `list pods -n team-a`, `create serviceaccounts/token builder`,
// `get deployments.apps`, `get /healthz` — turned into request attributes, the way `kubectl auth can-i` reads them.
import type { RequestAttributes } from './types';

/** API groups of built-in resources, for a question asked without discovery (`kubectl auth can-i` asks discovery). */
export const BUILT_IN_RESOURCE_GROUPS: Readonly<Record<string, string>> = {
  pods: '',
  secrets: '',
  serviceaccounts: '',
  configmaps: '',
  services: '',
  endpoints: '',
  namespaces: '',
  nodes: '',
  persistentvolumeclaims: '',
  persistentvolumes: '',
  replicationcontrollers: '',
  events: '',
  podtemplates: '',
  limitranges: '',
  resourcequotas: '',
  users: '',
  groups: '',
  deployments: 'apps',
  replicasets: 'apps',
  statefulsets: 'apps',
  daemonsets: 'apps',
  controllerrevisions: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
  roles: 'rbac.authorization.k8s.io',
  clusterroles: 'rbac.authorization.k8s.io',
  rolebindings: 'rbac.authorization.k8s.io',
  clusterrolebindings: 'rbac.authorization.k8s.io',
  ingresses: 'networking.k8s.io',
  networkpolicies: 'networking.k8s.io',
  tokenreviews: 'authentication.k8s.io',
  selfsubjectreviews: 'authentication.k8s.io',
  subjectaccessreviews: 'authorization.k8s.io',
  selfsubjectaccessreviews: 'authorization.k8s.io',
  selfsubjectrulesreviews: 'authorization.k8s.io',
  localsubjectaccessreviews: 'authorization.k8s.io',
  customresourcedefinitions: 'apiextensions.k8s.io',
  horizontalpodautoscalers: 'autoscaling',
  poddisruptionbudgets: 'policy',
  leases: 'coordination.k8s.io',
  storageclasses: 'storage.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io',
  mutatingwebhookconfigurations: 'admissionregistration.k8s.io',
  validatingwebhookconfigurations: 'admissionregistration.k8s.io',
};

/** Singular names and short names kubectl accepts for the common ones. */
const ALIASES: Readonly<Record<string, string>> = {
  pod: 'pods',
  po: 'pods',
  secret: 'secrets',
  serviceaccount: 'serviceaccounts',
  sa: 'serviceaccounts',
  configmap: 'configmaps',
  cm: 'configmaps',
  service: 'services',
  svc: 'services',
  namespace: 'namespaces',
  ns: 'namespaces',
  node: 'nodes',
  no: 'nodes',
  deployment: 'deployments',
  deploy: 'deployments',
  replicaset: 'replicasets',
  rs: 'replicasets',
  statefulset: 'statefulsets',
  sts: 'statefulsets',
  daemonset: 'daemonsets',
  ds: 'daemonsets',
  job: 'jobs',
  cronjob: 'cronjobs',
  cj: 'cronjobs',
  role: 'roles',
  clusterrole: 'clusterroles',
  rolebinding: 'rolebindings',
  clusterrolebinding: 'clusterrolebindings',
  ingress: 'ingresses',
  ing: 'ingresses',
  pvc: 'persistentvolumeclaims',
  pv: 'persistentvolumes',
};

export interface ResourceResolver {
  /** The API group of a plural resource name, or undefined when unknown. */
  groupOf(resource: string): string | undefined;
}

export const builtInResources: ResourceResolver = {
  groupOf: (resource) => BUILT_IN_RESOURCE_GROUPS[resource],
};

export class QuestionError extends Error {}

/**
 * `VERB RESOURCE[.GROUP][/SUBRESOURCE] [NAME]` or `VERB /non/resource/url`, with the request's namespace
 * ('' for cluster scope). An unknown resource keeps the core group, as kubectl does after its warning.
 */
export function attributesOf(
  verb: string,
  target: string,
  name: string | undefined,
  namespace: string,
  resolver: ResourceResolver = builtInResources,
): RequestAttributes {
  if (!verb || /\s/.test(verb)) throw new QuestionError(`invalid verb "${verb}"`);
  if (target.startsWith('/')) {
    if (name) throw new QuestionError('a non-resource URL takes no name');
    return { verb, resourceRequest: false, path: target };
  }
  const match = /^([a-z0-9*][a-z0-9.*-]*?)(?:\/([a-z0-9*][a-z0-9-]*))?$/i.exec(target);
  if (!match) throw new QuestionError(`invalid resource "${target}": expected RESOURCE[.GROUP][/SUBRESOURCE]`);
  const [, typed, subresource = ''] = match;
  const plain = ALIASES[typed.toLowerCase()] ?? typed.toLowerCase();
  let resource = plain;
  let apiGroup = resolver.groupOf(plain);
  if (apiGroup === undefined) {
    const dot = plain.indexOf('.');
    if (dot > 0) {
      resource = ALIASES[plain.slice(0, dot)] ?? plain.slice(0, dot);
      apiGroup = plain.slice(dot + 1);
    } else apiGroup = '';
  }
  return { verb, resourceRequest: true, namespace, apiGroup, resource, subresource, name: name ?? '' };
}

/** `list pods -n team-a`, `get secrets my-secret --namespace x`, `get /healthz`: words to attributes. */
export function parseQuestion(
  input: string,
  defaultNamespace: string,
  resolver: ResourceResolver = builtInResources,
): RequestAttributes {
  const words = input.trim().split(/\s+/).filter(Boolean);
  let namespace: string | undefined;
  let allNamespaces = false;
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '-n' || word === '--namespace') namespace = words[++i];
    else if (word.startsWith('--namespace=')) namespace = word.slice('--namespace='.length);
    else if (word === '-A' || word === '--all-namespaces') allNamespaces = true;
    else if (word.startsWith('-')) throw new QuestionError(`unknown option "${word}"`);
    else positional.push(word);
  }
  if (namespace === undefined && words.includes('-n')) throw new QuestionError('-n needs a namespace');
  if (positional.length < 2 || positional.length > 3)
    throw new QuestionError('expected VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NAMESPACE], e.g. "list pods -n default"');
  const [verb, target, name] = positional;
  const attributes = attributesOf(verb, target, name, allNamespaces ? '' : (namespace ?? defaultNamespace), resolver);
  return attributes;
}

/** `list pods in namespace x`, `get /healthz`: for messages. */
export function describeAttributes(attributes: RequestAttributes): string {
  if (!attributes.resourceRequest) return `${attributes.verb} ${attributes.path ?? ''}`;
  const group = attributes.apiGroup ? `.${attributes.apiGroup}` : '';
  const sub = attributes.subresource ? `/${attributes.subresource}` : '';
  const name = attributes.name ? ` "${attributes.name}"` : '';
  const where = attributes.namespace ? ` in namespace ${attributes.namespace}` : ' cluster-wide';
  return `${attributes.verb} ${attributes.resource}${group}${sub}${name}${where}`;
}
