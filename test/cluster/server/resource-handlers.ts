// core/v1 resource endpoints: get, list (pagination, selectors, Table), watch, create, JSON patch, delete.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster, DeleteOptions } from './cluster';
import { validateFields } from './field-validation';
import { PATCH_CONTENT_TYPES, readJsonBody, sendJson, streamJson, type Representation } from './http';
import { isObject, type KubeObject } from './objects';
import type { RequestInfo } from './request-info';
import { apiVersionOf, type ResourceDef } from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { badRequest, continueExpired, methodNotAllowed, notFound, resourceNotFound, success } from './status';
import type { Page, StoredObject } from './store';
import { includeObjectOf, toTable } from './kubectl/table';
import { serveWatch } from './watch';

export interface ResourceRequest {
  cluster: Cluster;
  info: RequestInfo;
  definition: ResourceDef;
  representation: Representation;
  request: IncomingMessage;
  response: ServerResponse;
}

/** Items per response piece when streaming a list. */
const piecesOf = 500;

export async function serveResource(call: ResourceRequest): Promise<void> {
  const { info, definition } = call;
  const namespace = definition.namespaced ? info.namespace : '';
  const needsNamespace = definition.namespaced && !namespace;
  switch (info.verb) {
    case 'get':
      if (needsNamespace) throw resourceNotFound();
      return serveGet(call, namespace);
    case 'list':
      return serveList(call, namespace);
    case 'watch':
      return serveWatch({ ...call, namespace, query: info.query, matches: selectorFor(call) ?? (() => true) });
    case 'create': {
      if (needsNamespace || info.name) throw methodNotAllowed();
      // The field manager: `?fieldManager=` (kubectl sends kubectl-create), else the user agent up to its first '/'.
      const manager =
        info.query.get('fieldManager') || (call.request.headers['user-agent'] ?? '').split('/')[0] || undefined;
      const body = await readJsonBody(call.request);
      validateFields(info.query, call.response, body);
      const stored = await call.cluster.create(definition.name, namespace, body, manager);
      return sendJson(call.response, 201, withKind(definition, stored));
    }
    case 'patch': {
      if (needsNamespace || !info.name) throw methodNotAllowed();
      const patch = await readJsonBody(call.request, PATCH_CONTENT_TYPES);
      return sendJson(
        call.response,
        200,
        withKind(definition, call.cluster.patch(definition.name, namespace, info.name, patch)),
      );
    }
    case 'delete': {
      if (needsNamespace) throw resourceNotFound();
      const removed = call.cluster.delete(definition.name, namespace, info.name, await deleteOptions(call));
      const body = definition.deleteReturnsObject
        ? withKind(definition, removed)
        : success({ name: removed.name, kind: definition.name, uid: removed.uid });
      return sendJson(call.response, 200, body);
    }
    default:
      throw methodNotAllowed();
  }
}

/** DeleteOptions from the body (kubectl sends one) and the `gracePeriodSeconds` query parameter. */
async function deleteOptions(call: ResourceRequest): Promise<DeleteOptions> {
  const hasBody = Number(call.request.headers['content-length'] ?? 0) > 0 || call.request.headers['transfer-encoding'];
  const body = hasBody ? await readJsonBody(call.request) : {};
  const options = isObject(body) ? body : {};
  const query = call.info.query.get('gracePeriodSeconds');
  const grace = query !== null ? Number(query) : options.gracePeriodSeconds;
  const preconditions = isObject(options.preconditions) ? options.preconditions : {};
  return {
    gracePeriodSeconds: typeof grace === 'number' && Number.isFinite(grace) ? grace : undefined,
    uid: typeof preconditions.uid === 'string' ? preconditions.uid : undefined,
  };
}

/** A stored object as a standalone document: list items carry no kind/apiVersion, single objects do. */
function withKind(definition: ResourceDef, stored: StoredObject): string {
  return `{"kind":"${definition.kind}","apiVersion":"${apiVersionOf(definition)}",${stored.json.slice(1)}`;
}

function serveGet(call: ResourceRequest, namespace: string): void {
  const { cluster, definition, info, representation, response } = call;
  const stored = cluster.store.get(definition.name, namespace, info.name);
  if (!stored) throw notFound(definition.name, info.name);
  if (representation.kind === 'table') {
    const object = JSON.parse(stored.json) as KubeObject;
    const listMeta = { resourceVersion: object.metadata.resourceVersion };
    return sendJson(
      response,
      200,
      toTable(definition, [object], {
        version: representation.version,
        include: includeObjectOf(info.query),
        listMeta,
      }),
    );
  }
  if (representation.kind === 'metadata')
    return sendJson(response, 200, partialMetadata(representation.version, stored));
  sendJson(response, 200, withKind(definition, stored));
}

/** An object as metadata only (meta.k8s.io PartialObjectMetadata): what the metadata client asks for. */
function partialMetadata(version: string, stored: StoredObject) {
  const { metadata } = JSON.parse(stored.json) as KubeObject;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata };
}

/** The selectors' predicate, or undefined when the request has none (then lists report remainingItemCount). */
function selectorFor(call: ResourceRequest): ((object: StoredObject) => boolean) | undefined {
  const { definition, info } = call;
  const supported = new Set(['metadata.name', 'metadata.namespace', ...Object.keys(definition.fields)]);
  const labels = parseLabelSelector(info.query.get('labelSelector'));
  const fields = parseFieldSelector(info.query.get('fieldSelector'), supported);
  if (!labels && !fields) return undefined;
  return (object) => {
    if (labels && !labels(object.labels)) return false;
    if (!fields) return true;
    return fields((field) =>
      field === 'metadata.name'
        ? object.name
        : field === 'metadata.namespace'
          ? object.namespace
          : object.fieldValues[field],
    );
  };
}

interface ContinueToken {
  resourceVersion: number;
  /** Key of the last object returned. */
  after: string;
}

/** The continue token format of the etcd3 store: base64url(JSON {v, rv, start}) (storage/continue.go). */
function encodeContinue(resourceVersion: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start: `${lastKey}\u0000` })).toString(
    'base64url',
  );
}

function decodeContinue(token: string): ContinueToken {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: string;
      rv?: number;
      start?: string;
    };
    if (decoded.v === 'meta.k8s.io/v1' && typeof decoded.start === 'string' && decoded.start.endsWith('\u0000'))
      return { resourceVersion: Number(decoded.rv ?? 0), after: decoded.start.slice(0, -1) };
  } catch {
    // fall through to the API's error
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

/**
 * A continuation reads at its list's revision; once etcd compacted past it the store answers 410 with a token
 * that continues at the latest revision (rv -1), as etcd3 store.go handleCompactedErrorForPaging does.
 * `expired-continue` compacts before every continuation, `compactBeforeContinues` before the next few.
 */
function checkNotCompacted(cluster: Cluster, token: ContinueToken): void {
  if (cluster.fault === 'expired-continue' || cluster.compactBeforeContinues > 0) {
    cluster.compactBeforeContinues = Math.max(0, cluster.compactBeforeContinues - 1);
    cluster.compact();
  }
  if (token.resourceVersion > 0 && token.resourceVersion < cluster.compactedRevision)
    throw continueExpired(encodeContinue(-1, token.after));
}

/** A continuation keeps its list's revision (-1: the latest, after a compaction). */
function listMeta(call: ResourceRequest, page: Page, token?: ContinueToken): Record<string, unknown> {
  const current = call.cluster.store.resourceVersion;
  const resourceVersion = token && token.resourceVersion > 0 ? token.resourceVersion : current;
  return {
    resourceVersion: String(resourceVersion),
    ...(page.continueAfter !== undefined ? { continue: encodeContinue(resourceVersion, page.continueAfter) } : {}),
    ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
  };
}

async function serveList(call: ResourceRequest, namespace: string): Promise<void> {
  const { cluster, definition, info, representation, response } = call;
  const continueToken = info.query.get('continue');
  const limit = Number(info.query.get('limit') ?? '0');
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit: Invalid value: "${info.query.get('limit')}"`);
  const token = continueToken ? decodeContinue(continueToken) : undefined;
  if (token) checkNotCompacted(cluster, token);
  const page = cluster.store.page(definition.name, {
    namespace: namespace || undefined,
    after: token?.after,
    limit,
    matches: selectorFor(call),
  });
  const metadata = listMeta(call, page, token);
  if (representation.kind === 'table') {
    const objects = page.items.map((item) => JSON.parse(item.json) as KubeObject);
    const table = toTable(definition, objects, {
      version: representation.version,
      include: includeObjectOf(info.query),
      listMeta: metadata,
    });
    return sendJson(response, 200, table);
  }
  if (representation.kind === 'metadata') {
    const items = page.items.map((item) => partialMetadata(representation.version, item));
    const kind = 'PartialObjectMetadataList';
    const apiVersion = `meta.k8s.io/${representation.version}`;
    const body = JSON.stringify({ kind, apiVersion, metadata, items });
    if (cluster.fault === 'reset-mid-list') return resetMidway(response, [body]);
    return sendJson(response, 200, body);
  }
  const pieces = listPieces(definition, metadata, page.items);
  if (cluster.fault === 'reset-mid-list') return resetMidway(response, pieces);
  await streamJson(response, 200, pieces);
}

function* listPieces(
  definition: ResourceDef,
  metadata: Record<string, unknown>,
  items: StoredObject[],
): Generator<string> {
  yield `{"kind":"${definition.listKind}","apiVersion":"${apiVersionOf(definition)}","metadata":${JSON.stringify(metadata)},"items":[`;
  for (let start = 0; start < items.length; start += piecesOf) {
    const json = items
      .slice(start, start + piecesOf)
      .map((item) => item.json)
      .join(',');
    yield start === 0 ? json : `,${json}`;
  }
  yield ']}';
}

/** `reset-mid-list`: send half of the list body, then drop the connection. */
function resetMidway(response: ServerResponse, pieces: Iterable<string>): void {
  const body = [...pieces].join('');
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.write(body.slice(0, Math.floor(body.length / 2)), () => setTimeout(() => response.socket?.destroy(), 20));
}
