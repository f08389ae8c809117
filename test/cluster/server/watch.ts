// Watch streams (?watch=1): newline-delimited JSON events over a chunked response, as the real server sends them.
import type { ServerResponse } from 'node:http';
import type { Cluster } from './cluster';
import type { Representation } from './http';
import type { KubeObject } from './objects';
import type { ResourceDef } from './resources';
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
    if (inScope(object)) response.write(encode(type, object));
  };
  const unsubscribe = cluster.store.subscribe(definition.name, (event: StoreEvent) => send(event.type, event.object));
  if (!replay(watch, send)) {
    unsubscribe();
    return;
  }
  const timeoutSeconds = Number(query.get('timeoutSeconds')) || defaultTimeoutSeconds;
  const lifetime = cluster.fault === 'watch-drop' ? watchDropMs : timeoutSeconds * 1000;
  const timer = setTimeout(() => response.end(), lifetime);
  response.on('close', () => {
    clearTimeout(timer);
    unsubscribe();
  });
}

/**
 * Sends what the client has not seen: every object as ADDED without a resourceVersion (or "0"), else the events
 * after it. A version older than the history gets a 410 ERROR event and the end of the watch, as the real server does.
 */
function replay(watch: WatchRequest, send: (type: string, object: StoredObject) => void): boolean {
  const { cluster, definition, namespace, response } = watch;
  const requested = watch.query.get('resourceVersion');
  if (!requested || requested === '0') {
    for (const object of cluster.store.page(definition.name, { namespace: namespace || undefined }).items)
      send('ADDED', object);
    return true;
  }
  const events = cluster.store.eventsSince(definition.name, Number(requested));
  if (events === null) {
    const gone = failure(410, 'Expired', `too old resource version: ${requested} (${cluster.store.resourceVersion})`);
    response.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
    return false;
  }
  for (const event of events) send(event.type, event.object);
  return true;
}

function eventEncoder(watch: WatchRequest): (type: string, object: StoredObject) => string {
  const { definition, representation, query } = watch;
  let columnsSent = false;
  return (type, stored) => {
    const object = JSON.parse(stored.json) as KubeObject;
    if (representation.kind !== 'table')
      return `${JSON.stringify({ type, object: { kind: definition.kind, apiVersion: 'v1', ...object } })}\n`;
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
