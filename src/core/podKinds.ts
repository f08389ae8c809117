// Kinds with a pod template: where each keeps its pod spec and how a cluster serves it. The one table of them: the
// manifest linter (core/manifests/objects.ts), the doctor (core/troubleshoot/doctor.ts, src/kube/doctor.ts), its code
// lens and the README's table of custom resources follow it. No YAML here (src/kube imports it).

/**
 * Where a kind keeps its pod spec: path from the object, the API group it must come from (core kinds: any), and the
 * REST resource it is served as (the doctor fetches it from a cluster).
 */
export interface PodShape {
  path: readonly string[];
  group?: RegExp;
  workflow?: boolean;
  api: PodKindApi;
}

export interface PodKindApi {
  /** '' for the core group. */
  group: string;
  version: string;
  resource: string;
  clusterScoped?: boolean;
  /** kubectl's short names (the CRDs' shortNames for custom kinds). */
  shortNames?: readonly string[];
}

const TEMPLATE_SPEC = ['spec', 'template', 'spec'];
const ARGO = /^argoproj\.io\//;
const KNATIVE = /^serving\.knative\.dev\//;
const core = (resource: string, shortNames?: string[]): PodKindApi => ({
  group: '',
  version: 'v1',
  resource,
  shortNames,
});
const apps = (resource: string, shortNames: string[]): PodKindApi => ({
  group: 'apps',
  version: 'v1',
  resource,
  shortNames,
});
const batch = (resource: string, shortNames?: string[]): PodKindApi => ({
  group: 'batch',
  version: 'v1',
  resource,
  shortNames,
});
const argo = (resource: string, shortNames: string[], clusterScoped?: boolean): PodKindApi => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  resource,
  shortNames,
  clusterScoped,
});
const knative = (resource: string, shortNames: string[]): PodKindApi => ({
  group: 'serving.knative.dev',
  version: 'v1',
  resource,
  shortNames,
});

/** Kinds with a pod spec, by kind. */
export const POD_SHAPES: Readonly<Record<string, PodShape>> = {
  Pod: { path: ['spec'], api: core('pods', ['po']) },
  Deployment: { path: TEMPLATE_SPEC, api: apps('deployments', ['deploy']) },
  StatefulSet: { path: TEMPLATE_SPEC, api: apps('statefulsets', ['sts']) },
  DaemonSet: { path: TEMPLATE_SPEC, api: apps('daemonsets', ['ds']) },
  ReplicaSet: { path: TEMPLATE_SPEC, api: apps('replicasets', ['rs']) },
  ReplicationController: { path: TEMPLATE_SPEC, api: core('replicationcontrollers', ['rc']) },
  Job: { path: TEMPLATE_SPEC, api: batch('jobs') },
  CronJob: { path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], api: batch('cronjobs', ['cj']) },
  PodTemplate: { path: ['template', 'spec'], api: core('podtemplates') },
  Rollout: { path: TEMPLATE_SPEC, group: ARGO, api: argo('rollouts', ['ro']) },
  DeploymentConfig: {
    path: TEMPLATE_SPEC,
    group: /^(apps\.openshift\.io\/|v1$)/,
    api: { group: 'apps.openshift.io', version: 'v1', resource: 'deploymentconfigs', shortNames: ['dc'] },
  },
  Service: { path: TEMPLATE_SPEC, group: KNATIVE, api: knative('services', ['ksvc', 'kservice']) },
  Configuration: { path: TEMPLATE_SPEC, group: KNATIVE, api: knative('configurations', ['config', 'cfg']) },
  ScaledJob: {
    path: ['spec', 'jobTargetRef', 'template', 'spec'],
    group: /^keda\.sh\//,
    api: { group: 'keda.sh', version: 'v1alpha1', resource: 'scaledjobs', shortNames: ['sj'] },
  },
  Workflow: { path: ['spec'], group: ARGO, workflow: true, api: argo('workflows', ['wf']) },
  WorkflowTemplate: { path: ['spec'], group: ARGO, workflow: true, api: argo('workflowtemplates', ['wftmpl']) },
  ClusterWorkflowTemplate: {
    path: ['spec'],
    group: ARGO,
    workflow: true,
    api: argo('clusterworkflowtemplates', ['clusterwftmpl', 'cwft'], true),
  },
  CronWorkflow: {
    path: ['spec', 'workflowSpec'],
    group: ARGO,
    workflow: true,
    api: argo('cronworkflows', ['cwf', 'cronwf']),
  },
};

/** The pod shape of an object of that kind and apiVersion (a custom kind only from its own API group). */
export function podShapeOf(kind: string, apiVersion: string | undefined): PodShape | undefined {
  const shape = Object.hasOwn(POD_SHAPES, kind) ? POD_SHAPES[kind] : undefined;
  return shape && (!shape.group || shape.group.test(apiVersion ?? '')) ? shape : undefined;
}

/** How a cluster serves a kind with a pod template, or a ServiceAccount (the doctor's targets). */
export function kindApi(kind: string): PodKindApi | undefined {
  if (kind === 'ServiceAccount') return SERVICE_ACCOUNT_API;
  return Object.hasOwn(POD_SHAPES, kind) ? POD_SHAPES[kind].api : undefined;
}

const SERVICE_ACCOUNT_API = core('serviceaccounts', ['sa']);

/** Kinds the doctor takes: a pod, a workload with a pod template (custom ones too), or a ServiceAccount. */
export const DOCTOR_KINDS = [...Object.keys(POD_SHAPES).filter((kind) => kind !== 'PodTemplate'), 'ServiceAccount'];

const DOCTOR_KIND_APIS: readonly [string, PodKindApi][] = DOCTOR_KINDS.map((kind) => [kind, kindApi(kind)!]);

/** An object the doctor takes as that kind: a ServiceAccount, or a pod template kind from its own API group. */
export const isDoctorTarget = (kind: string, apiVersion: string | undefined): boolean =>
  kind === 'ServiceAccount' || (kind !== 'PodTemplate' && podShapeOf(kind, apiVersion) !== undefined);

/** kubectl's short names of the doctor's kinds (po, deploy, …, ro, dc, wf, ksvc, sj, sa). */
export const DOCTOR_SHORT_NAMES = DOCTOR_KIND_APIS.flatMap(([, api]) => api.shortNames ?? []);

/** Custom kinds whose bare name is also a core kind without pods: `service` is the core Service, ksvc Knative's. */
const BARE_NAME_IS_CORE = new Set(['Service']);

/**
 * `pod`, `deploy`, `sa`, `deployments.apps`, `ro`, `rollouts.argoproj.io`, `ksvc` … as kubectl spells them, to the
 * kind, in any case. A bare `service` is the core Service (no pods): a Knative Service is `ksvc` or
 * `services.serving.knative.dev`.
 */
export function doctorKind(typed: string): string | undefined {
  const word = typed.toLowerCase();
  for (const [kind, api] of DOCTOR_KIND_APIS) {
    const names = [kind.toLowerCase(), api.resource];
    const qualified = api.group && names.some((name) => word === `${name}.${api.group}`);
    const bare = !(api.group && BARE_NAME_IS_CORE.has(kind)) && names.includes(word);
    if (qualified || bare || api.shortNames?.includes(word)) return kind;
  }
  return undefined;
}

/** How to name a kind so that doctorKind reads it back as that kind (`services.serving.knative.dev`, `Deployment`). */
export function doctorKindArgument(kind: string): string {
  const api = kindApi(kind);
  return api?.group && BARE_NAME_IS_CORE.has(kind) ? `${api.resource}.${api.group}` : kind;
}
