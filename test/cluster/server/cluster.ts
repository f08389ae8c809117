// The cluster's state and its write paths: create/delete with validation, admission and the controllers that
// react (namespace bootstrap, the legacy token controller, token cleanup when a ServiceAccount goes).
import { randomUUID } from 'node:crypto';
import {
  admitMirrorPod,
  admitPod,
  creationTimestamp,
  isMirrorPod,
  orderedMetadata,
  randomSuffix,
  validateName,
} from './admission';
import type { FaultMode } from './faults';
import {
  isObject,
  serviceAccountNameAnnotation,
  serviceAccountTokenType,
  serviceAccountUidAnnotation,
  type KubeObject,
  type Pod,
  type Secret,
  type ServiceAccount,
} from './objects';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, namespaceGrants } from './rbac/bootstrap';
import { runAggregationController, StoreRbacLister } from './rbac/policy';
import { rbacResources, rbacResourcesByName } from './rbac/resources';
import { validatePathSegmentName, validateRbacObject } from './rbac/validation';
import { resources, resourcesByName, type ResourceDef } from './resources';
import { badRequest, alreadyExists, invalid, notFound, ApiError, failure } from './status';
import { ObjectStore, type StoredObject } from './store';
import { TokenAuthority } from './tokens';

export interface ClusterOptions {
  caPem: string;
  /** Delay before the token controller fills a new token Secret, like kube-controller-manager's reaction time. */
  tokenControllerDelayMs?: number;
}

export class Cluster {
  readonly store = new ObjectStore([...resources, ...rbacResources]);
  /** What the RBAC authorizer reads. */
  readonly rbac = new StoreRbacLister(this.store);
  readonly tokens = new TokenAuthority();
  readonly caPem: string;
  fault: FaultMode | null = null;
  /** Resource requests being served (API Priority and Fairness seats, for `too-many-requests`). */
  inFlight = 0;
  /** 429 answers sent under the throttling faults. */
  throttled = 0;
  /** etcd's compacted revision: list continuations from before it get 410 Expired. */
  compactedRevision = 0;
  /** The next this-many list continuations find their revision compacted (tests of a pager restart). */
  compactBeforeContinues = 0;
  private readonly tokenControllerDelayMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly disposers = new Set<() => void>();

  constructor(options: ClusterOptions) {
    this.caPem = options.caPem;
    this.tokenControllerDelayMs = options.tokenControllerDelayMs ?? 200;
    // kube-apiserver's RBAC bootstrap policy, reconciled at start; then the aggregation controller's first sync.
    const created = creationTimestamp();
    const stamped = (object: KubeObject): KubeObject => ({
      ...object,
      metadata: { ...object.metadata, uid: randomUUID(), creationTimestamp: created },
    });
    this.store.load('clusterroles', bootstrapClusterRoles.map(stamped));
    this.store.load('clusterrolebindings', bootstrapClusterRoleBindings.map(stamped));
    runAggregationController(this.store);
  }

  definition(resource: string): ResourceDef {
    const definition = resourcesByName.get(resource) ?? rbacResourcesByName.get(resource);
    if (!definition)
      throw new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
    return definition;
  }

  /** Creates an object as POST does: validation, defaults, admission, then the controllers' reactions. */
  async create(resource: string, namespace: string, body: unknown): Promise<StoredObject> {
    const definition = this.definition(resource);
    const object = this.newObject(definition, namespace, body);
    if (definition.namespaced && !this.store.get('namespaces', '', namespace)) throw notFound('namespaces', namespace);
    if (this.store.get(resource, namespace, object.metadata.name ?? ''))
      throw alreadyExists(resource, object.metadata.name ?? '');
    this.admit(definition, object);
    const stored = this.store.put(resource, object);
    this.afterCreate(definition, object);
    return stored;
  }

  delete(resource: string, namespace: string, name: string): StoredObject {
    const definition = this.definition(resource);
    const existing = this.store.get(resource, definition.namespaced ? namespace : '', name);
    if (!existing) throw notFound(resource, name);
    if (resource === 'namespaces') return this.deleteNamespace(name);
    const removed = this.store.remove(resource, namespace, name);
    if (resource === 'clusterroles') runAggregationController(this.store);
    if (resource === 'serviceaccounts')
      this.later(() => this.deleteTokensOf(namespace, name), this.tokenControllerDelayMs);
    return removed ?? existing;
  }

  /**
   * Compaction as etcd does it while other writes go on (leases, events: resources this server does not keep):
   * the revision moves on and the history before it is gone.
   */
  compact(): void {
    this.compactedRevision = this.store.advance();
  }

  /** Runs fn after ms unless the cluster is disposed first. */
  later(fn: () => unknown, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void Promise.resolve(fn()).catch(() => undefined);
    }, ms);
    this.timers.add(timer);
  }

  /** Registers work to cancel when the cluster stops (held responses, pending timers). */
  onDispose(fn: () => void): () => void {
    this.disposers.add(fn);
    return () => this.disposers.delete(fn);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const fn of this.disposers) fn();
    this.disposers.clear();
  }

  /** The token controller's work for one Secret: fill token, ca.crt, namespace and the uid annotation. */
  async fillTokenSecret(namespace: string, name: string): Promise<void> {
    if (this.fault === 'token-controller-stuck') return;
    const secret = this.store.read<Secret>('secrets', namespace, name);
    if (!secret || secret.type !== serviceAccountTokenType || secret.data?.token) return;
    const annotations = secret.metadata.annotations ?? {};
    const account = this.store.get('serviceaccounts', namespace, annotations[serviceAccountNameAnnotation] ?? '');
    const expectedUid = annotations[serviceAccountUidAnnotation];
    if (!account || (expectedUid && expectedUid !== account.uid)) {
      // The real controller deletes token Secrets whose ServiceAccount does not exist (or is another incarnation).
      this.store.remove('secrets', namespace, name);
      return;
    }
    const token = await this.tokens.issueLegacy({
      namespace,
      serviceAccount: { name: account.name, uid: account.uid },
      secretName: name,
    });
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    secret.data = { ...secret.data, 'ca.crt': base64(this.caPem), namespace: base64(namespace), token: base64(token) };
    secret.metadata.annotations = { ...annotations, [serviceAccountUidAnnotation]: account.uid };
    this.store.put('secrets', secret);
  }

  /** What the namespace controllers add to every namespace: the `default` SA and the root CA ConfigMap. */
  bootstrapNamespace(namespace: string): void {
    const created = creationTimestamp();
    const meta = (name: string) => ({ name, namespace, uid: randomUUID(), creationTimestamp: created });
    if (!this.store.get('serviceaccounts', namespace, 'default'))
      this.store.put('serviceaccounts', { metadata: meta('default') });
    for (const binding of namespaceGrants(namespace))
      if (!this.store.get('rolebindings', namespace, binding.metadata.name ?? ''))
        this.store.put('rolebindings', {
          ...binding,
          metadata: { ...meta(binding.metadata.name ?? ''), ...binding.metadata },
        });
    if (!this.store.get('configmaps', namespace, 'kube-root-ca.crt')) {
      this.store.put('configmaps', {
        metadata: { ...meta('kube-root-ca.crt'), annotations: { 'kubernetes.io/description': rootCaDescription } },
        data: { 'ca.crt': this.caPem },
      });
    }
  }

  private newObject(definition: ResourceDef, namespace: string, body: unknown): KubeObject {
    if (!isObject(body) || !isObject(body.metadata ?? {}))
      throw badRequest('the body of the request was in an unknown format');
    const apiVersion = definition.group ? `${definition.group}/v1` : 'v1';
    if (body.kind !== undefined && body.kind !== definition.kind) {
      throw badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
      );
    }
    const object = body as KubeObject;
    object.metadata ??= {};
    const meta = object.metadata;
    if (definition.namespaced && meta.namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const name = meta.name || (meta.generateName ? `${meta.generateName}${randomSuffix()}` : '');
    if (!name)
      throw invalid(definition.kind, '', [
        { field: 'metadata.name', message: 'Required value: name or generateName is required' },
      ]);
    if (definition.group === 'rbac.authorization.k8s.io') validatePathSegmentName(definition.kind, name);
    else validateName(definition.kind, name, definition.name === 'namespaces');
    const fields = {
      name,
      namespace: definition.namespaced ? namespace : undefined,
      uid: randomUUID(),
      created: creationTimestamp(),
    };
    const { kind: _kind, apiVersion: _apiVersion, metadata: _metadata, ...content } = object;
    return { metadata: orderedMetadata(object, fields), ...content };
  }

  private admit(definition: ResourceDef, object: KubeObject): void {
    const name = object.metadata.name ?? '';
    if (definition.name === 'namespaces') {
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': name };
      object.spec = { finalizers: ['kubernetes'] };
      object.status = { phase: 'Active' };
    } else if (definition.group === 'rbac.authorization.k8s.io') {
      validateRbacObject(definition, object);
    } else if (definition.name === 'secrets') {
      admitSecret(object as Secret);
    } else if (definition.name === 'pods' && isMirrorPod(object as Pod)) {
      (object as Pod).spec ??= {};
      admitMirrorPod(object as Pod);
    } else if (definition.name === 'pods') {
      const pod = object as Pod;
      pod.spec ??= {};
      const accountName = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
      const namespace = object.metadata.namespace ?? '';
      const account = this.store.read<ServiceAccount>('serviceaccounts', namespace, accountName);
      if (!account) {
        throw new ApiError(
          failure(
            403,
            'Forbidden',
            `pods "${name}" is forbidden: error looking up service account ${namespace}/${accountName}: serviceaccount "${accountName}" not found`,
            { name, kind: 'pods' },
          ),
        );
      }
      admitPod(pod, account);
    }
  }

  private afterCreate(definition: ResourceDef, object: KubeObject): void {
    const { name = '', namespace = '' } = object.metadata;
    if (definition.name === 'namespaces') this.bootstrapNamespace(name);
    if (definition.name === 'clusterroles') runAggregationController(this.store);
    if (definition.name === 'secrets' && (object as Secret).type === serviceAccountTokenType) {
      this.later(() => this.fillTokenSecret(namespace, name), this.tokenControllerDelayMs);
    }
  }

  private deleteNamespace(name: string): StoredObject {
    for (const definition of [...resources, ...rbacResources].filter((candidate) => candidate.namespaced)) {
      for (const item of this.store.page(definition.name, { namespace: name }).items)
        this.store.remove(definition.name, name, item.name);
    }
    const namespace = this.store.read('namespaces', '', name) as KubeObject;
    namespace.metadata.deletionTimestamp = creationTimestamp();
    namespace.status = { phase: 'Terminating' };
    this.store.put('namespaces', namespace);
    return this.store.remove('namespaces', '', name) as StoredObject;
  }

  private deleteTokensOf(namespace: string, accountName: string): void {
    const secrets = this.store.page('secrets', {
      namespace,
      matches: (item) => item.fieldValues.type === serviceAccountTokenType,
    }).items;
    for (const item of secrets) {
      const secret = JSON.parse(item.json) as Secret;
      if (secret.metadata.annotations?.[serviceAccountNameAnnotation] === accountName)
        this.store.remove('secrets', namespace, item.name);
    }
  }
}

const rootCaDescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

function admitSecret(secret: Secret): void {
  secret.type ||= 'Opaque';
  if (secret.stringData) {
    const encoded = Object.entries(secret.stringData).map(([key, value]) => [
      key,
      Buffer.from(String(value)).toString('base64'),
    ]);
    secret.data = { ...secret.data, ...Object.fromEntries(encoded) };
    delete secret.stringData;
  }
  if (secret.type === serviceAccountTokenType && !secret.metadata.annotations?.[serviceAccountNameAnnotation]) {
    throw invalid('Secret', secret.metadata.name ?? '', [
      { field: `metadata.annotations[${serviceAccountNameAnnotation}]`, message: 'Required value' },
    ]);
  }
}
