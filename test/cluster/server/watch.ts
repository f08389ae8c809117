// Watch streams (?watch=1): newline-delimited JSON events over a chunked response, as the real server sends them.
import type { ServerResponse } from 'node:http';
import type { Cluster } from './cluster';
import type { Representation } from './http';
import type { KubeObject } from './objects';
import { apiVersionOf, type ResourceDef } from './resources';
import { failure } from './status';
import type { StoredObject, StoreEvent } from './store';
import { includeObjectOf, toTable } from './kubectl/table';
import { watchDropMs } from './faults';

export interface WatchRequest {
  cluster: Cluster;
  definition: ResourceDef;
  namespace: string;
  query: URLSearchParams;
  representation: Representation;
  matches: (object: StoredObject) => boolean;
  response: ServerResponse;
}

const defaultTimeoutSeconds = 1800;

export function serveWatch(watch: WatchRequest): void {
  const { cluster, definition, namespace, query, response } = watch;
  const inScope = (object: StoredObject) => (!namespace || object.namespace === namespace) && watch.matches(object);
  const encode = eventEncoder(watch);
  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  // Clients wait for the headers before reading events: send them now, not with the first event.
  response.flushHeaders();
  const send = (type: string, object: StoredObject) => {
    if (inScope(object)) writeEvent(response, encode(type, object));
  };
  const sendEvent = (event: StoreEvent) => {
    // cacher.go: an object that starts or stops matching the selectors is ADDED or DELETED for this watcher.
    if (event.type !== 'MODIFIED' || !event.previous) return send(event.type, event.object);
    const was = inScope(event.previous);
    const is = inScope(event.object);
    if (was && is) writeEvent(response, encode('MODIFIED', event.object));
    else if (is) writeEvent(response, encode('ADDED', event.object));
    else if (was) writeEvent(response, encode('DELETED', event.object));
  };
  const unsubscribe = cluster.store.subscribe(definition.name, sendEvent);
  if (!replay(watch, sendEvent)) {
    unsubscribe();
    return;
  }
  const timeoutSeconds = Number(query.get('timeoutSeconds')) || defaultTimeoutSeconds;
  const lifetime = cluster.fault === 'watch-drop' ? watchDropMs : timeoutSeconds * 1000;
  const stopBookmarks = ['1', 'true'].includes(query.get('allowWatchBookmarks') ?? '')
    ? sendBookmarks(watch, lifetime)
    : () => undefined;
  const stop = () => {
    clearTimeout(timer);
    stopBookmarks();
    unsubscribe();
  };
  // The watch's deadline (timeoutSeconds; handlers/watch.go ServeHTTP returns on its timeout channel) ends the stream
  // at once; nothing may be written between end() and the socket's close.
  const timer = setTimeout(() => {
    stop();
    response.end();
  }, lifetime);
  response.on('close', stop);
}

/** Writes one event unless the stream has already ended (the deadline, or the client went away). */
function writeEvent(response: ServerResponse, line: string): void {
  if (!response.writableEnded && !response.destroyed) response.write(line);
}

/**
 * allowWatchBookmarks: the watch cache sends a BOOKMARK (an object of the kind with only metadata.resourceVersion)
 * every bookmark period (cacher.go bookmarkFrequency, a minute) and 2 s before the watch's deadline, so a client
 * resumes from a recent resourceVersion instead of relisting.
 */
function sendBookmarks(watch: WatchRequest, lifetimeMs: number): () => void {
  const { cluster, definition, response } = watch;
  const bookmark = () => {
    const object = {
      kind: definition.kind,
      apiVersion: apiVersionOf(definition),
      metadata: { resourceVersion: String(cluster.store.resourceVersion), creationTimestamp: null },
    };
    writeEvent(response, `${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  };
  const periodic = setInterval(bookmark, cluster.watchBookmarkIntervalMs);
  const beforeDeadline = lifetimeMs > 2000 ? setTimeout(bookmark, lifetimeMs - 2000) : undefined;
  return () => {
    clearInterval(periodic);
    clearTimeout(beforeDeadline);
  };
}

/**
 * Sends what the client has not seen: every object as ADDED without a resourceVersion (or "0"), else the events
 * after it. A version older than the history gets a 410 ERROR event and the end of the watch, as the real server does.
 */
function replay(watch: WatchRequest, sendEvent: (event: StoreEvent) => void): boolean {
  const { cluster, definition, namespace, response } = watch;
  const requested = watch.query.get('resourceVersion');
  if (!requested || requested === '0') {
    for (const object of cluster.store.page(definition.name, { namespace: namespace || undefined }).items)
      sendEvent({ type: 'ADDED', resourceVersion: 0, object });
    return true;
  }
  const events = cluster.store.eventsSince(definition.name, Number(requested));
  if (events === null) {
    const gone = failure(410, 'Expired', `too old resource version: ${requested} (${cluster.store.resourceVersion})`);
    response.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
    return false;
  }
  for (const event of events) sendEvent(event);
  return true;
}

function eventEncoder(watch: WatchRequest): (type: string, object: StoredObject) => string {
  const { definition, representation, query } = watch;
  let columnsSent = false;
  return (type, stored) => {
    const object = JSON.parse(stored.json) as KubeObject;
    // A metadata watch (client-go's metadata informers) streams PartialObjectMetadata objects.
    if (representation.kind === 'metadata') {
      const partial = {
        kind: 'PartialObjectMetadata',
        apiVersion: `meta.k8s.io/${representation.version}`,
        metadata: object.metadata,
      };
      return `${JSON.stringify({ type, object: partial })}\n`;
    }
    if (representation.kind !== 'table')
      return `${JSON.stringify({ type, object: { kind: definition.kind, apiVersion: apiVersionOf(definition), ...object } })}\n`;
    const table = toTable(definition, [object], {
      version: representation.version,
      include: includeObjectOf(query),
      listMeta: { resourceVersion: object.metadata.resourceVersion },
      withColumns: !columnsSent,
    });
    columnsSent = true;
    return `${JSON.stringify({ type, object: table })}\n`;
  };
}
