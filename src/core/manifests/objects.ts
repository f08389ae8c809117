// Finds Kubernetes objects (also `kind: List` items) in a parsed document and the pod spec inside workloads.
import { isMap, isScalar, type Document } from 'yaml';
import {
  deref,
  getMap,
  resolvePair,
  getSeq,
  getString,
  seqItemMap,
  seqMaps,
  type AnyMap,
  type AnyPair,
  type AnySeq,
} from './nodes';

export interface KubeObject {
  map: AnyMap;
  kind: string;
  name?: string;
  namespace?: string;
  annotations: Map<string, string>;
  /** Where a `kind: List` holds this object. */
  listItem?: { items: AnySeq; index: number; aliased: boolean };
}

export interface Container {
  map: AnyMap;
  /** The container's text is shared through an alias: reading is fine, editing it is not. */
  aliased: boolean;
  name?: string;
}

export interface PodSpec {
  object: KubeObject;
  map: AnyMap;
  /** The `spec`/`template` key pair holding this pod spec. */
  pair: AnyPair;
  aliased: boolean;
  containers: Container[];
}

// Path from the object to its pod spec, by kind.
const TEMPLATE_SPEC = ['spec', 'template', 'spec'];
export const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: TEMPLATE_SPEC,
  StatefulSet: TEMPLATE_SPEC,
  DaemonSet: TEMPLATE_SPEC,
  ReplicaSet: TEMPLATE_SPEC,
  ReplicationController: TEMPLATE_SPEC,
  Job: TEMPLATE_SPEC,
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

export const CONTAINER_KEYS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Objects of a document; documents without `kind` (e.g. Kustomize patches) yield none. */
export function objectsOf(doc: Document): KubeObject[] {
  const root = deref(doc, doc.contents).node;
  if (!isMap(root)) return [];
  const top = toObject(doc, root);
  if (!top) return [];
  if (!top.kind.endsWith('List')) return [top];
  const items = getSeq(doc, root, 'items');
  if (!items) return [];
  return items.node.items.flatMap((_item, index) => {
    const item = seqItemMap(doc, items.node, index);
    const object = item && toObject(doc, item.node);
    return object
      ? [{ ...object, listItem: { items: items.node, index, aliased: items.aliased || item.aliased } }]
      : [];
  });
}

function toObject(doc: Document, map: AnyMap): KubeObject | undefined {
  const kind = getString(doc, map, 'kind');
  if (!kind) return undefined;
  const metadata = getMap(doc, map, 'metadata')?.node;
  const annotations = new Map<string, string>();
  const annotationMap = metadata && getMap(doc, metadata, 'annotations')?.node;
  for (const pair of annotationMap?.items ?? []) {
    if (isScalar(pair.key) && isScalar(pair.value)) annotations.set(String(pair.key.value), String(pair.value.value));
  }
  return {
    map,
    kind,
    name: metadata && getString(doc, metadata, 'name'),
    namespace: metadata && getString(doc, metadata, 'namespace'),
    annotations,
  };
}

export function podSpecOf(doc: Document, object: KubeObject): PodSpec | undefined {
  const path = POD_SPEC_PATHS[object.kind];
  if (!path) return undefined;
  let map = object.map;
  let aliased = false;
  let pair: AnyPair | undefined;
  for (const key of path) {
    pair = resolvePair(doc, map, key)?.node;
    const next = getMap(doc, map, key);
    if (!pair || !next) return undefined;
    map = next.node;
    aliased ||= next.aliased;
  }
  const containers: Container[] = [];
  for (const key of CONTAINER_KEYS) {
    const list = getSeq(doc, map, key);
    if (!list) continue;
    for (const item of seqMaps(doc, list.node)) {
      containers.push({
        map: item.node,
        aliased: aliased || list.aliased || item.aliased,
        name: getString(doc, item.node, 'name'),
      });
    }
  }
  return { object, map, pair: pair as AnyPair, aliased, containers };
}
