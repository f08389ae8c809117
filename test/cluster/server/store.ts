// In-memory object storage, ordered like etcd keys (`<namespace>/<name>`), with a global resourceVersion,
// pagination by key and a bounded event history for watches. Objects are kept serialized (without kind and
// apiVersion, as list items are) so that lists of tens of thousands of objects are concatenations, not encodes.
import type { KubeObject } from './objects';
import type { Labels } from './selectors';
import type { ResourceDef } from './resources';

export interface StoredObject {
  key: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Labels;
  /** Values of the resource's extra field-selector labels. */
  fieldValues: Record<string, string>;
  json: string;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  resourceVersion: number;
  object: StoredObject;
  /** The object before a MODIFIED event (watch filters compare both, as the watch cache does). */
  previous?: StoredObject;
}

export interface PageQuery {
  namespace?: string;
  /** Key of the last object already returned: the page starts after it. */
  after?: string;
  limit?: number;
  matches?: (object: StoredObject) => boolean;
}

export interface Page {
  items: StoredObject[];
  /** Key of the last returned object when more objects follow in the range. */
  continueAfter?: string;
  remainingItemCount?: number;
}

const historyLimit = 5000;

class Collection {
  readonly objects = new Map<string, StoredObject>();
  readonly history: StoreEvent[] = [];
  readonly listeners = new Set<(event: StoreEvent) => void>();
  private sorted: StoredObject[] | null = null;

  constructor(readonly definition: ResourceDef) {}

  changed(): void {
    this.sorted = null;
  }

  sortedObjects(): StoredObject[] {
    this.sorted ??= [...this.objects.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return this.sorted;
  }
}

/** First index whose key is >= key. */
function lowerBound(objects: StoredObject[], key: string): number {
  let low = 0;
  let high = objects.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (objects[middle].key < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

export const objectKey = (namespace: string, name: string): string => (namespace ? `${namespace}/${name}` : name);

export class ObjectStore {
  private revision = 0;
  private readonly collections = new Map<string, Collection>();

  constructor(definitions: ResourceDef[]) {
    for (const definition of definitions) this.collections.set(definition.name, new Collection(definition));
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** A write to something not stored here (a Lease, an Event): only the revision moves. */
  advance(): number {
    return ++this.revision;
  }

  get(resource: string, namespace: string, name: string): StoredObject | undefined {
    return this.collection(resource).objects.get(objectKey(namespace, name));
  }

  /** A parsed copy of the object, safe to modify. */
  read<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string): T | undefined {
    const stored = this.get(resource, namespace, name);
    return stored ? (JSON.parse(stored.json) as T) : undefined;
  }

  count(resource: string): number {
    return this.collection(resource).objects.size;
  }

  /** Stores (adds or replaces) the object with a new resourceVersion and notifies watchers. */
  put(resource: string, object: KubeObject): StoredObject {
    const collection = this.collection(resource);
    const stored = this.serialize(collection.definition, object);
    const previous = collection.objects.get(stored.key);
    collection.objects.set(stored.key, stored);
    collection.changed();
    const type = previous ? 'MODIFIED' : 'ADDED';
    this.record(collection, { type, resourceVersion: this.revision, object: stored, previous });
    return stored;
  }

  remove(resource: string, namespace: string, name: string): StoredObject | undefined {
    const collection = this.collection(resource);
    const key = objectKey(namespace, name);
    const existing = collection.objects.get(key);
    if (!existing) return undefined;
    collection.objects.delete(key);
    collection.changed();
    // The DELETED event carries the last state with a new resourceVersion, as etcd3 watch does.
    const object = JSON.parse(existing.json) as KubeObject;
    const stored = this.serialize(collection.definition, object);
    this.record(collection, { type: 'DELETED', resourceVersion: this.revision, object: stored });
    return stored;
  }

  /** Bulk load for data generators: no events, one sort at the end. */
  load(resource: string, objects: Iterable<KubeObject>): void {
    const collection = this.collection(resource);
    for (const object of objects) {
      const stored = this.serialize(collection.definition, object);
      collection.objects.set(stored.key, stored);
    }
    collection.changed();
  }

  page(resource: string, query: PageQuery): Page {
    const objects = this.collection(resource).sortedObjects();
    const prefix = query.namespace ? `${query.namespace}/` : '';
    let index = lowerBound(objects, query.after !== undefined ? `${query.after}\u0000` : prefix);
    if (query.after !== undefined && index < objects.length && prefix && objects[index].key < prefix) {
      index = lowerBound(objects, prefix);
    }
    // '0' follows '/' in byte order: every key of the namespace sorts before `<ns>0`.
    const end = prefix ? lowerBound(objects, `${query.namespace}0`) : objects.length;
    const limit = query.limit && query.limit > 0 ? query.limit : Infinity;
    const items: StoredObject[] = [];
    for (; index < end && items.length < limit; index++) {
      if (!query.matches || query.matches(objects[index])) items.push(objects[index]);
    }
    if (index >= end || items.length === 0) return { items };
    return {
      items,
      continueAfter: items[items.length - 1].key,
      remainingItemCount: query.matches ? undefined : end - index,
    };
  }

  /** Events after the given resourceVersion, or null when the history no longer reaches back that far. */
  eventsSince(resource: string, resourceVersion: number): StoreEvent[] | null {
    const { history } = this.collection(resource);
    if (history.length === historyLimit && history[0].resourceVersion > resourceVersion + 1) return null;
    return history.filter((event) => event.resourceVersion > resourceVersion);
  }

  subscribe(resource: string, listener: (event: StoreEvent) => void): () => void {
    const { listeners } = this.collection(resource);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  private collection(resource: string): Collection {
    const collection = this.collections.get(resource);
    if (!collection) throw new Error(`unknown resource ${resource}`);
    return collection;
  }

  private serialize(definition: ResourceDef, object: KubeObject): StoredObject {
    const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
    rest.metadata.resourceVersion = String(++this.revision);
    const namespace = definition.namespaced ? (rest.metadata.namespace ?? '') : '';
    const name = rest.metadata.name ?? '';
    const fieldValues: Record<string, string> = {};
    for (const [field, read] of Object.entries(definition.fields)) fieldValues[field] = read(object);
    return {
      key: objectKey(namespace, name),
      namespace,
      name,
      uid: rest.metadata.uid ?? '',
      labels: rest.metadata.labels,
      fieldValues,
      json: JSON.stringify(rest),
    };
  }

  private record(collection: Collection, event: StoreEvent): void {
    collection.history.push(event);
    if (collection.history.length > historyLimit) collection.history.shift();
    for (const listener of collection.listeners) listener(event);
  }
}
