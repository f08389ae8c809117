// The fields of the kinds this server decodes strictly, as kube-apiserver v1.32 publishes them
// (api/openapi-spec/swagger.json and api/openapi-spec/v3/*.json of kubernetes/kubernetes at v1.32: property names,
// types, `required`, `x-kubernetes-group-version-kind`; descriptions left out). Two readers:
// - the create handlers' field validation (`?fieldValidation=Strict|Warn|Ignore`, apiserver handlers/create.go with
//   sigs.k8s.io/json's strict decoding): unknown fields, by path;
// - `/openapi/v2` (./openapi.ts), which kubectl reads to validate client-side the kinds it cannot hand to the server's
//   field validation (those without a PATCH operation: TokenReview).
// Kept: every definition a TokenReview, ServiceAccount or Secret reaches, and the Pod's path to every token source
// (containers, env, envFrom, volumes, projected tokens). Types below that (probes, security contexts, affinity,
// status, the other volume sources) are `open`: accepted unchecked, a difference the server README lists.

export type Field =
  | 'string'
  | 'integer'
  | 'boolean'
  /** A free-form JSON object (FieldsV1). */
  | 'object'
  /** A real API type this server does not describe: any value is accepted. */
  | 'open'
  | { ref: string }
  | { array: Field }
  | { map: Field };

export interface Definition {
  properties: Record<string, Field>;
  required?: string[];
  gvk?: { group: string; version: string; kind: string };
  /** A definition that is a primitive (meta/v1 Time: a date-time string). */
  primitive?: { type: 'string'; format: string };
}

const core = 'io.k8s.api.core.v1.';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const authentication = 'io.k8s.api.authentication.v1.';

const ref = (name: string): Field => ({ ref: name });
const arrayOf = (field: Field): Field => ({ array: field });
const mapOf = (field: Field): Field => ({ map: field });
const strings = (...names: string[]) => Object.fromEntries(names.map((name) => [name, 'string' as const]));
const typeMeta = strings('apiVersion', 'kind');
const objectMeta = ref(`${meta}ObjectMeta`);
const open = (...names: string[]) => Object.fromEntries(names.map((name) => [name, 'open' as const]));

export const definitions: Record<string, Definition> = {
  [`${meta}ObjectMeta`]: {
    properties: {
      annotations: mapOf('string'),
      creationTimestamp: ref(`${meta}Time`),
      deletionGracePeriodSeconds: 'integer',
      deletionTimestamp: ref(`${meta}Time`),
      finalizers: arrayOf('string'),
      generateName: 'string',
      generation: 'integer',
      labels: mapOf('string'),
      managedFields: arrayOf(ref(`${meta}ManagedFieldsEntry`)),
      name: 'string',
      namespace: 'string',
      ownerReferences: arrayOf(ref(`${meta}OwnerReference`)),
      resourceVersion: 'string',
      selfLink: 'string',
      uid: 'string',
    },
  },
  [`${meta}ManagedFieldsEntry`]: {
    properties: {
      ...strings('apiVersion', 'fieldsType', 'manager', 'operation', 'subresource'),
      fieldsV1: ref(`${meta}FieldsV1`),
      time: ref(`${meta}Time`),
    },
  },
  [`${meta}FieldsV1`]: { properties: {} },
  [`${meta}OwnerReference`]: {
    properties: {
      ...strings('apiVersion', 'kind', 'name', 'uid'),
      blockOwnerDeletion: 'boolean',
      controller: 'boolean',
    },
    required: ['apiVersion', 'kind', 'name', 'uid'],
  },
  [`${meta}Time`]: { properties: {}, primitive: { type: 'string', format: 'date-time' } },

  [`${authentication}TokenReview`]: {
    properties: {
      ...typeMeta,
      metadata: objectMeta,
      spec: ref(`${authentication}TokenReviewSpec`),
      status: ref(`${authentication}TokenReviewStatus`),
    },
    required: ['spec'],
    gvk: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview' },
  },
  [`${authentication}TokenReviewSpec`]: {
    properties: { audiences: arrayOf('string'), token: 'string' },
    required: ['token'],
  },
  [`${authentication}TokenReviewStatus`]: {
    properties: {
      audiences: arrayOf('string'),
      authenticated: 'boolean',
      error: 'string',
      user: ref(`${authentication}UserInfo`),
    },
  },
  [`${authentication}UserInfo`]: {
    properties: { extra: mapOf(arrayOf('string')), groups: arrayOf('string'), ...strings('uid', 'username') },
  },

  [`${core}ServiceAccount`]: {
    properties: {
      ...typeMeta,
      automountServiceAccountToken: 'boolean',
      imagePullSecrets: arrayOf(ref(`${core}LocalObjectReference`)),
      metadata: objectMeta,
      secrets: arrayOf(ref(`${core}ObjectReference`)),
    },
    gvk: { group: '', version: 'v1', kind: 'ServiceAccount' },
  },
  [`${core}ObjectReference`]: {
    properties: strings('apiVersion', 'fieldPath', 'kind', 'name', 'namespace', 'resourceVersion', 'uid'),
  },
  [`${core}LocalObjectReference`]: { properties: strings('name') },
  [`${core}Secret`]: {
    properties: {
      ...typeMeta,
      data: mapOf('string'),
      immutable: 'boolean',
      metadata: objectMeta,
      stringData: mapOf('string'),
      type: 'string',
    },
    gvk: { group: '', version: 'v1', kind: 'Secret' },
  },

  [`${core}Pod`]: {
    properties: { ...typeMeta, metadata: objectMeta, spec: ref(`${core}PodSpec`), status: 'open' },
    gvk: { group: '', version: 'v1', kind: 'Pod' },
  },
  [`${core}PodSpec`]: {
    properties: {
      ...strings(
        'dnsPolicy',
        'hostname',
        'nodeName',
        'preemptionPolicy',
        'priorityClassName',
        'restartPolicy',
        'runtimeClassName',
        'schedulerName',
        'serviceAccount',
        'serviceAccountName',
        'subdomain',
      ),
      ...open('affinity', 'dnsConfig', 'os', 'overhead', 'resources', 'securityContext'),
      activeDeadlineSeconds: 'integer',
      automountServiceAccountToken: 'boolean',
      containers: arrayOf(ref(`${core}Container`)),
      enableServiceLinks: 'boolean',
      ephemeralContainers: arrayOf('open'),
      hostAliases: arrayOf('open'),
      hostIPC: 'boolean',
      hostNetwork: 'boolean',
      hostPID: 'boolean',
      hostUsers: 'boolean',
      imagePullSecrets: arrayOf(ref(`${core}LocalObjectReference`)),
      initContainers: arrayOf(ref(`${core}Container`)),
      nodeSelector: mapOf('string'),
      priority: 'integer',
      readinessGates: arrayOf('open'),
      resourceClaims: arrayOf('open'),
      schedulingGates: arrayOf('open'),
      setHostnameAsFQDN: 'boolean',
      shareProcessNamespace: 'boolean',
      terminationGracePeriodSeconds: 'integer',
      tolerations: arrayOf('open'),
      topologySpreadConstraints: arrayOf('open'),
      volumes: arrayOf(ref(`${core}Volume`)),
    },
    required: ['containers'],
  },
  [`${core}Container`]: {
    properties: {
      ...strings('image', 'imagePullPolicy', 'name', 'restartPolicy', 'terminationMessagePath'),
      ...strings('terminationMessagePolicy', 'workingDir'),
      ...open('lifecycle', 'livenessProbe', 'readinessProbe', 'resources', 'securityContext', 'startupProbe'),
      args: arrayOf('string'),
      command: arrayOf('string'),
      env: arrayOf(ref(`${core}EnvVar`)),
      envFrom: arrayOf(ref(`${core}EnvFromSource`)),
      ports: arrayOf('open'),
      resizePolicy: arrayOf('open'),
      stdin: 'boolean',
      stdinOnce: 'boolean',
      tty: 'boolean',
      volumeDevices: arrayOf('open'),
      volumeMounts: arrayOf(ref(`${core}VolumeMount`)),
    },
    required: ['name'],
  },
  [`${core}EnvVar`]: {
    properties: { ...strings('name', 'value'), valueFrom: ref(`${core}EnvVarSource`) },
    required: ['name'],
  },
  [`${core}EnvVarSource`]: {
    properties: {
      ...open('configMapKeyRef', 'fieldRef', 'resourceFieldRef'),
      secretKeyRef: ref(`${core}SecretKeySelector`),
    },
  },
  [`${core}SecretKeySelector`]: { properties: { ...strings('key', 'name'), optional: 'boolean' }, required: ['key'] },
  [`${core}EnvFromSource`]: {
    properties: { configMapRef: 'open', prefix: 'string', secretRef: ref(`${core}SecretEnvSource`) },
  },
  [`${core}SecretEnvSource`]: { properties: { name: 'string', optional: 'boolean' } },
  [`${core}VolumeMount`]: {
    properties: {
      ...strings('mountPath', 'mountPropagation', 'name', 'recursiveReadOnly', 'subPath', 'subPathExpr'),
      readOnly: 'boolean',
    },
    required: ['name', 'mountPath'],
  },
  [`${core}Volume`]: {
    properties: {
      ...open('awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi'),
      ...open('downwardAPI', 'emptyDir', 'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo'),
      ...open('glusterfs', 'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim', 'photonPersistentDisk'),
      ...open('portworxVolume', 'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume'),
      name: 'string',
      projected: ref(`${core}ProjectedVolumeSource`),
      secret: ref(`${core}SecretVolumeSource`),
    },
    required: ['name'],
  },
  [`${core}SecretVolumeSource`]: {
    properties: {
      defaultMode: 'integer',
      items: arrayOf(ref(`${core}KeyToPath`)),
      optional: 'boolean',
      secretName: 'string',
    },
  },
  [`${core}KeyToPath`]: { properties: { ...strings('key', 'path'), mode: 'integer' }, required: ['key', 'path'] },
  [`${core}ProjectedVolumeSource`]: {
    properties: { defaultMode: 'integer', sources: arrayOf(ref(`${core}VolumeProjection`)) },
  },
  [`${core}VolumeProjection`]: {
    properties: {
      ...open('clusterTrustBundle', 'configMap', 'downwardAPI'),
      secret: ref(`${core}SecretProjection`),
      serviceAccountToken: ref(`${core}ServiceAccountTokenProjection`),
    },
  },
  [`${core}SecretProjection`]: {
    properties: { items: arrayOf(ref(`${core}KeyToPath`)), name: 'string', optional: 'boolean' },
  },
  [`${core}ServiceAccountTokenProjection`]: {
    properties: { ...strings('audience', 'path'), expirationSeconds: 'integer' },
    required: ['path'],
  },
};

const byKind = new Map(
  Object.entries(definitions)
    .filter(([, definition]) => definition.gvk)
    .map(([name, definition]) => {
      const { group, version, kind } = definition.gvk!;
      return [`${group}/${version}/${kind}`, name];
    }),
);

/** The definition name of a kind, if this server describes it. */
export function definitionOf(group: string, version: string, kind: string): string | undefined {
  return byKind.get(`${group}/${version}/${kind}`);
}

/**
 * The unknown fields of a decoded JSON object, as sigs.k8s.io/json's strict decoding names them
 * (`spec.containers[0].imagee`), in document order. Map values and `open` types are not looked into.
 */
export function unknownFields(definitionName: string, value: unknown): string[] {
  const found: string[] = [];
  const visit = (field: Field, value: unknown, path: string) => {
    if (value === null || typeof value !== 'object') return;
    if (typeof field === 'object' && 'ref' in field) visitObject(definitions[field.ref], value, path);
    else if (typeof field === 'object' && 'array' in field && Array.isArray(value))
      value.forEach((item, index) => visit(field.array, item, `${path}[${index}]`));
    else if (typeof field === 'object' && 'map' in field && !Array.isArray(value))
      for (const [key, item] of Object.entries(value)) visit(field.map, item, `${path}[${key}]`);
  };
  const visitObject = (definition: Definition, value: object, path: string) => {
    if (definition.primitive || Array.isArray(value) || definition === definitions[`${meta}FieldsV1`]) return;
    for (const [key, item] of Object.entries(value)) {
      const fieldPath = path ? `${path}.${key}` : key;
      const field = definition.properties[key];
      if (field === undefined) found.push(fieldPath);
      else visit(field, item, fieldPath);
    }
  };
  visitObject(definitions[definitionName], value as object, '');
  return found;
}
