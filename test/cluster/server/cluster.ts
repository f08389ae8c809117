// The cluster's state and its write paths: create/delete with validation, admission and the controllers that
// react (namespace bootstrap, the legacy token controller, token cleanup when a ServiceAccount goes).
import { randomUUID } from 'node:crypto';
import { applyPatch, type Operation } from 'fast-json-patch';
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
import { apiVersionOf, resources, resourcesByName, type ResourceDef } from './resources';
import { badRequest, alreadyExists, conflict, invalid, notFound, ApiError, failure } from './status';
import { ObjectStore, type StoredObject } from './store';
import { TokenAuthority } from './tokens';
import { invalidSinceLabel, lastUsedLabel, utcDate } from './token-review';

export interface ClusterOptions {
  caPem: string;
  /** Delay before the token controller fills a new token Secret, like kube-controller-manager's reaction time. */
  tokenControllerDelayMs?: number;
  /**
   * kube-controller-manager `--legacy-service-account-token-clean-up-period` in seconds (default one year): how
   * long an auto-generated token Secret stays unused before the cleaner invalidates it, and invalid before it is
   * deleted.
   */
  legacyTokenCleanUpPeriodSeconds?: number;
  /** How often the cleaner runs (its controller syncs once a day; tests call runLegacyTokenCleaner()). */
  legacyTokenCleanerIntervalMs?: number;
}

/** legacytokentracking: the ConfigMap kube-apiserver writes when it starts tracking legacy token use. */
export const legacyTokenTrackingConfigMap = 'kube-apiserver-legacy-service-account-token-tracking';
const dayMs = 24 * 3600 * 1000;

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
  /** Period of the BOOKMARK events of watches that allow them (the watch cache's is a minute). */
  watchBookmarkIntervalMs = 60_000;
  /** The cluster's clock runs this far ahead of the machine's (tests of dates a year away). */
  clockOffsetMs = 0;
  readonly legacyTokenCleanUpPeriodMs: number;
  private readonly tokenControllerDelayMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly disposers = new Set<() => void>();

  constructor(options: ClusterOptions) {
    this.caPem = options.caPem;
    this.tokenControllerDelayMs = options.tokenControllerDelayMs ?? 200;
    this.legacyTokenCleanUpPeriodMs = (options.legacyTokenCleanUpPeriodSeconds ?? 365 * 24 * 3600) * 1000;
    if (options.legacyTokenCleanerIntervalMs)
      this.every(() => this.runLegacyTokenCleaner(), options.legacyTokenCleanerIntervalMs);
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
  async create(
    resource: string,
    namespace: string,
    body: unknown,
    manager = 'before-first-apply',
  ): Promise<StoredObject> {
    const definition = this.definition(resource);
    const object = this.newObject(definition, namespace, body);
    if (definition.namespaced && !this.store.get('namespaces', '', namespace)) throw notFound('namespaces', namespace);
    if (this.store.get(resource, namespace, object.metadata.name ?? ''))
      throw alreadyExists(resource, object.metadata.name ?? '');
    this.admit(definition, object);
    // managedFields are kept for Secrets only here: readers of token Secret metadata learn from them who wrote data.
    if (resource === 'secrets')
      object.metadata.managedFields = [managedFieldsEntry(manager, 'Create', fieldsOf(object), this.now())];
    const stored = this.store.put(resource, object);
    this.afterCreate(definition, object);
    return stored;
  }

  /**
   * PATCH with a JSON patch (RFC 6902) as kube-apiserver's jsonPatcher applies one
   * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go applyJSPatch): to the stored object as JSON, all
   * operations or none; a malformed patch is a 400, an operation that fails (a `test` that does not hold, a path
   * that is not there) a 422 whose message is NewGenericServerResponse's. Name, namespace and uid cannot change.
   */
  patch(resource: string, namespace: string, name: string, patch: unknown): StoredObject {
    const definition = this.definition(resource);
    const current = this.store.read(resource, definition.namespaced ? namespace : '', name);
    if (!current) throw notFound(resource, name);
    if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    const document = { kind: definition.kind, apiVersion: apiVersionOf(definition), ...current };
    let patched: KubeObject;
    try {
      patched = applyPatch(document, patch as Operation[], true, false).newDocument;
    } catch {
      // NewGenericServerResponse(422, …, isUnexpectedResponse=false): its fixed message, no causes.
      throw new ApiError(failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {}));
    }
    const meta = patched.metadata ?? {};
    for (const field of ['name', 'namespace', 'uid'] as const)
      if (meta[field] !== current.metadata[field])
        throw invalid(definition.kind, name, [
          { field: `metadata.${field}`, message: 'Invalid value: field is immutable' },
        ]);
    const { kind: _kind, apiVersion: _apiVersion, ...object } = patched;
    return this.store.put(resource, object as KubeObject);
  }

  /**
   * DELETE. Pods are deleted gracefully as pkg/registry/core/pod/strategy.go CheckGracefulDelete says: a pod bound
   * to a node that has not finished gets `deletionTimestamp` = now + grace period (the request's
   * `gracePeriodSeconds`, else the pod's `terminationGracePeriodSeconds`) and stays until its kubelet is done —
   * here, until that time; an unscheduled or finished pod, or grace 0, goes at once.
   */
  delete(resource: string, namespace: string, name: string, options: DeleteOptions = {}): StoredObject {
    const definition = this.definition(resource);
    const existing = this.store.get(resource, definition.namespaced ? namespace : '', name);
    if (!existing) throw notFound(resource, name);
    if (options.uid !== undefined && options.uid !== existing.uid) {
      throw conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${options.uid}, UID in object meta: ${existing.uid}`,
      );
    }
    if (resource === 'namespaces') return this.deleteNamespace(name);
    if (resource === 'pods') {
      const graceful = this.deletePodGracefully(namespace, name, options.gracePeriodSeconds);
      if (graceful) return graceful;
    }
    const removed = this.store.remove(resource, namespace, name);
    if (resource === 'clusterroles') runAggregationController(this.store);
    if (resource === 'serviceaccounts') {
      // The controller acts on its informer's view, which lags the API by its reaction time: the token Secrets it
      // will delete are the ones it sees now, each by name and uid.
      const tokens = this.tokenSecretsOf(namespace, name, existing.uid);
      this.later(() => {
        for (const token of tokens) this.deleteToken(namespace, token.name, token.uid);
      }, this.tokenControllerDelayMs);
    }
    if (resource === 'secrets') {
      const secret = JSON.parse(existing.json) as Secret;
      if (secret.type === serviceAccountTokenType)
        this.later(() => this.removeSecretReference(namespace, secret), this.tokenControllerDelayMs);
    }
    return removed ?? existing;
  }

  /** The cluster's clock (the machine's plus clockOffsetMs). */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  private deletePodGracefully(namespace: string, name: string, requested?: number): StoredObject | undefined {
    const pod = this.store.read<Pod>('pods', namespace, name) as Pod;
    const finished = ['Succeeded', 'Failed'].includes(pod.status?.phase ?? '');
    const spec = pod.spec as Pod['spec'] & { terminationGracePeriodSeconds?: number };
    const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
    if (!spec.nodeName || finished || grace <= 0) return undefined;
    if (pod.metadata.deletionTimestamp) return this.store.get('pods', namespace, name);
    const deadline = new Date(this.now().getTime() + grace * 1000);
    pod.metadata.deletionTimestamp = creationTimestamp(deadline);
    pod.metadata.deletionGracePeriodSeconds = grace;
    const stored = this.store.put('pods', pod);
    // The kubelet stops the containers and removes the pod when the grace period is over.
    this.later(() => {
      if (this.store.get('pods', namespace, name)?.uid === stored.uid) this.store.remove('pods', namespace, name);
    }, grace * 1000);
    return stored;
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

  /**
   * The token controller's work for one Secret (tokens_controller.go generateTokenIfNeeded): fill `token` when
   * missing, and set `ca.crt` when it differs from the cluster's root CA and `namespace` when empty, even in a
   * Secret that already has its token; then the name and uid annotations. A Secret whose ServiceAccount is gone
   * (or another incarnation) is deleted, with its uid as precondition.
   */
  async fillTokenSecret(namespace: string, name: string, queuedUid?: string): Promise<void> {
    if (this.fault === 'token-controller-stuck') return;
    const secret = this.store.read<Secret>('secrets', namespace, name);
    // syncSecret's queue key carries the uid: another Secret of that name is another work item.
    if (!secret || secret.type !== serviceAccountTokenType) return;
    if (queuedUid !== undefined && secret.metadata.uid !== queuedUid) return;
    const annotations = secret.metadata.annotations ?? {};
    const account = this.store.get('serviceaccounts', namespace, annotations[serviceAccountNameAnnotation] ?? '');
    const expectedUid = annotations[serviceAccountUidAnnotation];
    if (!account || (expectedUid && expectedUid !== account.uid)) {
      this.deleteToken(namespace, name, secret.metadata.uid ?? '');
      return;
    }
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    const data = secret.data ?? {};
    const needsCa = data['ca.crt'] !== base64(this.caPem);
    const needsNamespace = !data.namespace;
    const needsToken = !data.token;
    if (!needsCa && !needsNamespace && !needsToken) return;
    const token = needsToken
      ? await this.tokens.issueLegacy({
          namespace,
          serviceAccount: { name: account.name, uid: account.uid },
          secretName: name,
        })
      : undefined;
    // The Secret may have changed while the token was signed: the controller's update would conflict.
    if (this.store.get('secrets', namespace, name)?.json !== JSON.stringify(secret)) return;
    secret.data = {
      ...data,
      ...(needsCa ? { 'ca.crt': base64(this.caPem) } : {}),
      ...(needsNamespace ? { namespace: base64(namespace) } : {}),
      ...(token ? { token: base64(token) } : {}),
    };
    secret.metadata.annotations = {
      ...annotations,
      [serviceAccountNameAnnotation]: account.name,
      [serviceAccountUidAnnotation]: account.uid,
    };
    const written = [needsCa && 'ca.crt', needsNamespace && 'namespace', token && 'token'].filter(Boolean) as string[];
    const controllerFields = {
      'f:data': Object.fromEntries(written.map((key) => [`f:${key}`, {}])),
      'f:metadata': { 'f:annotations': { [`f:${serviceAccountUidAnnotation}`]: {} } },
    };
    secret.metadata.managedFields = [
      ...((secret.metadata.managedFields as unknown[] | undefined) ?? []),
      managedFieldsEntry('kube-controller-manager', 'Update', controllerFields, this.now()),
    ];
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
      const uid = object.metadata.uid;
      this.later(() => this.fillTokenSecret(namespace, name, uid), this.tokenControllerDelayMs);
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

  /**
   * tokens_controller.go listTokenSecrets: the token Secrets of a ServiceAccount (serviceaccount.IsServiceAccountToken:
   * the name annotation, and the uid annotation when there is one).
   */
  private tokenSecretsOf(namespace: string, accountName: string, accountUid: string): StoredObject[] {
    return this.store
      .page('secrets', { namespace, matches: (item) => item.fieldValues.type === serviceAccountTokenType })
      .items.filter((item) => {
        const annotations = (JSON.parse(item.json) as Secret).metadata.annotations ?? {};
        const uid = annotations[serviceAccountUidAnnotation];
        return annotations[serviceAccountNameAnnotation] === accountName && (!uid || uid === accountUid);
      });
  }

  /**
   * tokens_controller.go deleteToken: DELETE with `preconditions.uid`, so a Secret recreated under the same name
   * since the controller saw it is left alone; NotFound and Conflict need no retry.
   */
  private deleteToken(namespace: string, name: string, uid: string): void {
    try {
      this.delete('secrets', namespace, name, { uid });
    } catch (error) {
      if (!(error instanceof ApiError) || ![404, 409].includes(error.status.code)) throw error;
    }
  }

  /**
   * tokens_controller.go removeSecretReference: a deleted token Secret leaves its ServiceAccount's `.secrets`
   * (only when the ServiceAccount is the one the Secret's uid annotation names, if it names one).
   */
  private removeSecretReference(namespace: string, secret: Secret): void {
    const annotations = secret.metadata.annotations ?? {};
    const account = this.store.read<ServiceAccount>(
      'serviceaccounts',
      namespace,
      annotations[serviceAccountNameAnnotation] ?? '',
    );
    if (!account) return;
    const uid = annotations[serviceAccountUidAnnotation];
    if (uid && uid !== account.metadata.uid) return;
    const name = secret.metadata.name ?? '';
    if (!(account.secrets ?? []).some((ref) => ref.name === name)) return;
    account.secrets = (account.secrets ?? []).filter((ref) => ref.name !== name);
    this.store.put('serviceaccounts', account);
  }

  /** kube-apiserver's legacytokentracking controller: the ConfigMap dating the start of legacy token tracking. */
  ensureLegacyTokenTracking(since = utcDate(this.now())): void {
    if (this.store.get('configmaps', 'kube-system', legacyTokenTrackingConfigMap)) return;
    this.store.put('configmaps', {
      metadata: {
        name: legacyTokenTrackingConfigMap,
        namespace: 'kube-system',
        uid: randomUUID(),
        creationTimestamp: creationTimestamp(this.now()),
      },
      data: { since },
    });
  }

  /**
   * One pass of pkg/controller/serviceaccount/legacy_serviceaccount_token_cleaner.go evaluateSATokens: nothing until
   * tracking has run a whole period (the day after `since` + period); then every token Secret created and unused
   * (last-used label) for a period, listed in its ServiceAccount's `.secrets` (auto-generated) and not read by any
   * pod (VisitPodSecretNames) gets `invalid-since: <today>`; one already invalid since a period ago is deleted.
   */
  runLegacyTokenCleaner(): void {
    const since = this.store.read('configmaps', 'kube-system', legacyTokenTrackingConfigMap)?.data as
      Record<string, string> | undefined;
    const sinceMs = Date.parse(`${since?.since ?? ''}T00:00:00Z`);
    if (Number.isNaN(sinceMs)) return;
    const now = this.now();
    const period = this.legacyTokenCleanUpPeriodMs;
    if (now.getTime() < sinceMs + dayMs + period) return;
    const preserveCreatedOnOrAfter = now.getTime() - period;
    const preserveUsedOnOrAfter = utcDate(new Date(preserveCreatedOnOrAfter));
    const mountedByNamespace = new Map<string, Set<string>>();
    const tokenSecrets = this.store.page('secrets', {
      matches: (item) => item.fieldValues.type === serviceAccountTokenType,
    }).items;
    for (const item of tokenSecrets) {
      const secret = JSON.parse(item.json) as Secret;
      const { labels = {}, annotations = {} } = secret.metadata;
      if (!(Date.parse(secret.metadata.creationTimestamp ?? '') < preserveCreatedOnOrAfter)) continue;
      if (secret.metadata.deletionTimestamp) continue;
      const lastUsed = labels[lastUsedLabel];
      if (lastUsed !== undefined && (!isDate(lastUsed) || lastUsed >= preserveUsedOnOrAfter)) continue;
      const account = this.store.read<ServiceAccount>(
        'serviceaccounts',
        item.namespace,
        annotations[serviceAccountNameAnnotation] ?? '',
      );
      const accountUid = annotations[serviceAccountUidAnnotation];
      if (!account || (accountUid && accountUid !== account.metadata.uid)) continue;
      if (!(account.secrets ?? []).some((ref) => ref.name === item.name)) continue;
      if (!mountedByNamespace.has(item.namespace))
        mountedByNamespace.set(item.namespace, this.podSecretNames(item.namespace));
      if (mountedByNamespace.get(item.namespace)?.has(item.name)) continue;
      const invalidSince = labels[invalidSinceLabel];
      if (invalidSince === undefined || !isDate(invalidSince)) {
        secret.metadata.labels = { ...labels, [invalidSinceLabel]: utcDate(now) };
        this.store.put('secrets', secret);
        continue;
      }
      if (invalidSince >= preserveUsedOnOrAfter) continue;
      this.store.remove('secrets', item.namespace, item.name);
      this.later(() => this.removeSecretReference(item.namespace, secret), this.tokenControllerDelayMs);
    }
  }

  /** podutil.VisitPodSecretNames over a namespace's pods: pull secrets, volumes (projected too), env, envFrom. */
  private podSecretNames(namespace: string): Set<string> {
    const names = new Set<string>();
    for (const item of this.store.page('pods', { namespace }).items) {
      const spec = (JSON.parse(item.json) as Pod).spec as PodSecretRefs;
      for (const ref of spec.imagePullSecrets ?? []) if (ref.name) names.add(ref.name);
      for (const volume of spec.volumes ?? []) {
        if (volume.secret?.secretName) names.add(volume.secret.secretName);
        for (const source of volume.projected?.sources ?? []) if (source.secret?.name) names.add(source.secret.name);
      }
      for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        for (const from of container.envFrom ?? []) if (from.secretRef?.name) names.add(from.secretRef.name);
        for (const variable of container.env ?? [])
          if (variable.valueFrom?.secretKeyRef?.name) names.add(variable.valueFrom.secretKeyRef.name);
      }
    }
    return names;
  }

  /** Runs fn every ms until the cluster is disposed. */
  private every(fn: () => unknown, ms: number): void {
    const timer = setInterval(() => void Promise.resolve(fn()).catch(() => undefined), ms);
    this.onDispose(() => clearInterval(timer));
  }
}

interface PodSecretRefs {
  imagePullSecrets?: { name?: string }[];
  volumes?: { secret?: { secretName?: string }; projected?: { sources?: { secret?: { name?: string } }[] } }[];
  initContainers?: PodContainerRefs[];
  containers?: PodContainerRefs[];
}
interface PodContainerRefs {
  envFrom?: { secretRef?: { name?: string } }[];
  env?: { valueFrom?: { secretKeyRef?: { name?: string } } }[];
}

export interface DeleteOptions {
  /** DeleteOptions.gracePeriodSeconds (pods). */
  gracePeriodSeconds?: number;
  /** DeleteOptions.preconditions.uid. */
  uid?: string;
}

/** One metadata.managedFields entry as the API server records a write (FieldsV1). */
function managedFieldsEntry(manager: string, operation: 'Create' | 'Update', fieldsV1: object, time: Date) {
  return { manager, operation, apiVersion: 'v1', time: creationTimestamp(time), fieldsType: 'FieldsV1', fieldsV1 };
}

/** The FieldsV1 set of what a create wrote: top-level fields, metadata labels/annotations and data keys. */
function fieldsOf(object: KubeObject): Record<string, unknown> {
  const keys = (record: unknown) =>
    Object.fromEntries(Object.keys(isObject(record) ? record : {}).map((key) => [`f:${key}`, {}]));
  const { metadata, ...content } = object;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(content)) fields[`f:${key}`] = isObject(value) ? keys(value) : {};
  const meta: Record<string, unknown> = {};
  if (metadata.labels) meta['f:labels'] = keys(metadata.labels);
  if (metadata.annotations) meta['f:annotations'] = keys(metadata.annotations);
  if (Object.keys(meta).length) fields['f:metadata'] = meta;
  return fields;
}

const isDate = (value: string): boolean => /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(Date.parse(value));

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
