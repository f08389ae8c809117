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
  nodeRange,
  parseYaml,
} from './nodes';
import { podShapeOf } from '../podKinds';

export interface KubeObject {
  map: AnyMap;
  kind: string;
  apiVersion?: string;
  name?: string;
  namespace?: string;
  annotations: Map<string, string>;
  /** Labels of the object and of its pod template (other linters put their overrides there). */
  labels: Map<string, string>;
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
  /** The map holding the pod's `metadata` (the pod template, or the Pod itself). */
  template: AnyMap;
  aliased: boolean;
  containers: Container[];
  /** Not a core pod spec (Argo Workflows): linted, never rewritten. */
  readOnly: boolean;
  /** Something in the shape itself uses the token (Argo's executor calls the API server from every workflow pod). */
  callsApi: boolean;
  /**
   * The ServiceAccount or automount may be set where the manifest does not show it: Argo Workflows take defaults from
   * the controller's workflowDefaults, and a template may pick its own serviceAccountName.
   */
  accountVaries: boolean;
}

export const CONTAINER_KEYS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
/** Where an Argo Workflows template keeps containers: single ones, and lists. */
const WORKFLOW_CONTAINER = ['container', 'script'] as const;
const WORKFLOW_CONTAINER_LISTS = ['initContainers', 'sidecars'] as const;

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

/**
 * Where `text` declares the object of that kind and name in `namespace` (an object that names no namespace goes to
 * whichever it is applied to, so it matches too, after one that names it): its span, or undefined.
 */
export function findObjectSpan(
  text: string,
  wanted: { kind: string; namespace: string; name: string },
  /** Narrows the match further (e.g. by apiVersion: a same-named kind of another API group is another object). */
  accepts: (object: KubeObject) => boolean = () => true,
): { start: number; end: number } | undefined {
  let unnamespaced: { start: number; end: number } | undefined;
  for (const doc of parseYaml(text))
    for (const object of objectsOf(doc)) {
      if (object.kind !== wanted.kind || object.name !== wanted.name || !accepts(object)) continue;
      if (object.namespace === wanted.namespace) return nodeRange(object.map);
      if (object.namespace === undefined) unnamespaced ??= nodeRange(object.map);
    }
  return unnamespaced;
}

function toObject(doc: Document, map: AnyMap): KubeObject | undefined {
  const kind = getString(doc, map, 'kind');
  if (!kind) return undefined;
  const metadata = getMap(doc, map, 'metadata')?.node;
  const annotations = new Map<string, string>();
  const labels = new Map<string, string>();
  readStrings(doc, metadata, 'annotations', annotations);
  readStrings(doc, metadata, 'labels', labels);
  for (const path of POD_TEMPLATE_METADATA) readStrings(doc, mapAt(doc, map, path), 'labels', labels);
  return {
    map,
    kind,
    apiVersion: getString(doc, map, 'apiVersion'),
    name: metadata && getString(doc, metadata, 'name'),
    namespace: metadata && getString(doc, metadata, 'namespace'),
    annotations,
    labels,
  };
}

const POD_TEMPLATE_METADATA = [
  ['spec', 'template', 'metadata'],
  ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
];

function mapAt(doc: Document, map: AnyMap, path: readonly string[]): AnyMap | undefined {
  let current: AnyMap | undefined = map;
  for (const key of path) current = current && getMap(doc, current, key)?.node;
  return current;
}

/** String entries of the map under `key` (annotations, labels) into `into`. */
function readStrings(doc: Document, map: AnyMap | undefined, key: string, into: Map<string, string>): void {
  const entries = map && getMap(doc, map, key)?.node;
  for (const pair of entries?.items ?? []) {
    if (isScalar(pair.key) && isScalar(pair.value)) into.set(String(pair.key.value), String(pair.value.value));
  }
}

export function podSpecOf(doc: Document, object: KubeObject): PodSpec | undefined {
  const shape = podShapeOf(object.kind, object.apiVersion);
  if (!shape) return undefined;
  let map = object.map;
  let template = object.map;
  let aliased = false;
  let pair: AnyPair | undefined;
  for (const key of shape.path) {
    pair = resolvePair(doc, map, key)?.node;
    const next = getMap(doc, map, key);
    if (!pair || !next) return undefined;
    template = map;
    map = next.node;
    aliased ||= next.aliased;
  }
  const base = { object, map, pair: pair as AnyPair, template, aliased };
  if (shape.workflow) return { ...base, ...workflowContainers(doc, map, aliased), readOnly: true, callsApi: true };
  const containers: Container[] = [];
  for (const key of CONTAINER_KEYS) {
    const list = getSeq(doc, map, key);
    if (!list) continue;
    for (const item of seqMaps(doc, list.node)) {
      containers.push(containerOf(doc, item, aliased || list.aliased));
    }
  }
  return { ...base, containers, readOnly: false, callsApi: false, accountVaries: false };
}

const containerOf = (doc: Document, item: { node: AnyMap; aliased: boolean }, aliased: boolean): Container => ({
  map: item.node,
  aliased: aliased || item.aliased,
  name: getString(doc, item.node, 'name'),
});

/** Containers of every template of an Argo workflow spec. */
function workflowContainers(doc: Document, spec: AnyMap, aliased: boolean) {
  const containers: Container[] = [];
  const templates = getSeq(doc, spec, 'templates');
  for (const { node: template } of templates ? seqMaps(doc, templates.node) : []) {
    for (const key of WORKFLOW_CONTAINER) {
      const single = getMap(doc, template, key);
      if (single) containers.push(containerOf(doc, single, aliased));
    }
    const set = getMap(doc, template, 'containerSet')?.node;
    for (const [map, key] of [
      ...WORKFLOW_CONTAINER_LISTS.map((list) => [template, list] as const),
      ...(set ? [[set, 'containers'] as const] : []),
    ]) {
      const list = getSeq(doc, map, key);
      for (const item of list ? seqMaps(doc, list.node) : []) containers.push(containerOf(doc, item, aliased));
    }
  }
  return { containers, accountVaries: true };
}
