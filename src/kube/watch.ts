// Keeps one resource current by watch (`?watch=1`): a stream of newline-delimited JSON events, read as it arrives
// and reduced to the lean model at once (a Secret's data never outlives its line: only whether data.token is set).
// A dropped stream reconnects from the last resourceVersion with bounded exponential backoff; an expired
// resourceVersion (410) relists once and resumes; a watch that keeps failing stops and says why. Never a tight loop.
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterError, describePurpose, errorFromNetwork, errorFromStatus, formatSeconds, isClusterError, timeoutError, type RequestPurpose } from './errors';
import type { KubeHttp, KubeRequest } from './http';
import { resourcePath, type ListedResource } from './inventory';
import { leanPod, leanServiceAccount, leanTokenSecret, TOKEN_SECRET_TYPE, type LeanPod, type LeanServiceAccount } from './lean';
import type { TokenSecretInfo } from './model';

export type WatchedResource = ListedResource;

/** What each resource's events carry: the same lean records the inventory is built from. */
export interface WatchedObjects {
  serviceaccounts: LeanServiceAccount;
  secrets: TokenSecretInfo;
  pods: LeanPod;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchRetry {
  /** Delay before reconnecting after the first failure; doubled per consecutive failure up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive failures after which the watch stops for good. */
  maxFailures: number;
  /** A stream that lived this long ended normally (server timeout, a proxy's idle cut): reconnect at once. */
  minHealthyMs: number;
  /** Stream lifetime asked of the server; the client gives up on a stream one request timeout after it. */
  timeoutSeconds: number;
}

export const DEFAULT_WATCH_RETRY: WatchRetry = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  maxFailures: 6,
  minHealthyMs: 10_000,
  timeoutSeconds: 300,
};

/** How a watch ended: the caller aborted it, or it stopped for good ("watch stopped: <reason>; press Refresh"). */
export type WatchEnd = { kind: 'cancelled' } | { kind: 'stopped'; message: string };

export interface WatchOptions<R extends WatchedResource> {
  /** Absent or null: all namespaces. */
  namespace?: string | null;
  /** Added to the token-Secret type selector that secrets always get. */
  fieldSelector?: string;
  /** Where to start; absent: the current state (a list of one item tells it), so only later changes arrive. */
  resourceVersion?: string;
  signal: AbortSignal;
  onEvent(type: WatchEventType, object: WatchedObjects[R]): void;
  /** The resourceVersion expired (410) and the watch relisted: changes may have been missed, reload what depends on them. */
  onResync?(): void;
  /** Called once, when the watch is over. */
  onClose(end: WatchEnd): void;
  retry?: Partial<WatchRetry>;
}

const REDUCERS: { [R in WatchedResource]: (item: unknown) => WatchedObjects[R] | null } = {
  serviceaccounts: leanServiceAccount,
  secrets: leanTokenSecret,
  pods: leanPod,
};

/** No real object comes near this (etcd's limit is 1.5 MB); a line that does is a broken stream, not a reason to fill memory. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;
/** Kinds of failure that another attempt cannot fix. */
const FINAL_KINDS = new Set(['unauthorized', 'forbidden', 'not-found', 'tls', 'config', 'cancelled']);

type StreamOutcome =
  | { kind: 'ended'; livedMs: number }
  | { kind: 'gone' }
  | { kind: 'failed'; error: ClusterError }
  | { kind: 'cancelled' };

/**
 * Starts watching: resolves once the resourceVersion to start from is known (rejects with a ClusterError when it
 * cannot be: e.g. forbidden), then keeps watching in the background until `signal` aborts or it stops for good.
 */
export async function startWatch<R extends WatchedResource>(http: KubeHttp, resource: R, options: WatchOptions<R>): Promise<void> {
  const watch = new ResourceWatch(http, resource, options);
  await watch.start();
}

export function backoffDelayMs(consecutiveFailures: number, retry: WatchRetry): number {
  return Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** Math.max(0, consecutiveFailures - 1));
}

class ResourceWatch<R extends WatchedResource> {
  private readonly retry: WatchRetry;
  private readonly purpose: RequestPurpose;
  private readonly fieldSelector: string | undefined;
  private resourceVersion = '';
  private failures = 0;
  private needsRelist = false;
  /** No event since the last relist: a second 410 now is a failure, not another relist. */
  private justRelisted = false;

  constructor(
    private readonly http: KubeHttp,
    private readonly resource: R,
    private readonly options: WatchOptions<R>,
  ) {
    this.retry = { ...DEFAULT_WATCH_RETRY, ...options.retry };
    this.purpose = { verb: 'watch', resource, namespace: options.namespace ?? null };
    const typeSelector = resource === 'secrets' ? `type=${TOKEN_SECRET_TYPE}` : undefined;
    this.fieldSelector = [typeSelector, options.fieldSelector].filter(Boolean).join(',') || undefined;
  }

  async start(): Promise<void> {
    this.resourceVersion = this.options.resourceVersion || (await this.currentResourceVersion());
    void this.run();
  }

  private async run(): Promise<void> {
    for (;;) {
      const outcome = this.needsRelist ? await this.relist() : await this.stream();
      const failure = this.failureOf(outcome);
      if (failure === null) continue;
      if (failure === 'cancelled') return this.options.onClose({ kind: 'cancelled' });
      this.failures++;
      if (FINAL_KINDS.has(failure.kind) || this.failures >= this.retry.maxFailures) return this.stop(failure);
      try {
        await sleep(backoffDelayMs(this.failures, this.retry), undefined, { signal: this.options.signal });
      } catch {
        return this.options.onClose({ kind: 'cancelled' });
      }
    }
  }

  /** null: go on at once; otherwise what went wrong. */
  private failureOf(outcome: StreamOutcome | { kind: 'relisted' }): ClusterError | 'cancelled' | null {
    if (this.options.signal.aborted || outcome.kind === 'cancelled') return 'cancelled';
    switch (outcome.kind) {
      case 'relisted':
        return null;
      case 'ended':
        if (outcome.livedMs >= this.retry.minHealthyMs) {
          this.failures = 0;
          return null;
        }
        return new ClusterError('unreachable', `the API server closed the watch of ${this.target()} after ${formatSeconds(outcome.livedMs)}`);
      case 'gone':
        this.needsRelist = true;
        if (!this.justRelisted) return null;
        return new ClusterError('server', `the resourceVersion of the watch of ${this.target()} expired again right after a relist`, 410);
      case 'failed':
        return outcome.error;
    }
  }

  private stop(failure: ClusterError): void {
    const streak = this.failures > 1 ? ` (${this.failures} failures in a row)` : '';
    this.options.onClose({ kind: 'stopped', message: `watch stopped: ${failure.message}${streak}; press Refresh` });
  }

  private async relist(): Promise<StreamOutcome | { kind: 'relisted' }> {
    try {
      this.resourceVersion = await this.currentResourceVersion();
    } catch (error) {
      return this.options.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error: asClusterError(error) };
    }
    this.needsRelist = false;
    this.justRelisted = true;
    this.options.onResync?.();
    return { kind: 'relisted' };
  }

  /** A list of one item: its resourceVersion is the collection's current one. */
  private async currentResourceVersion(): Promise<string> {
    const list = await this.http.json<{ metadata?: { resourceVersion?: unknown } }>({
      path: resourcePath(this.resource, this.options.namespace ?? null),
      query: { limit: 1, fieldSelector: this.fieldSelector },
      purpose: { ...this.purpose, verb: 'list' },
      signal: this.options.signal,
    });
    const version = list?.metadata?.resourceVersion;
    if (typeof version !== 'string' || version === '') {
      throw new ClusterError('malformed', `the API server answered without a resourceVersion while trying to ${describePurpose({ ...this.purpose, verb: 'list' })}`);
    }
    return version;
  }

  /** One watch request, from its headers to the end of its stream. */
  private async stream(): Promise<StreamOutcome> {
    const attempt = new AbortController();
    const signal = AbortSignal.any([this.options.signal, attempt.signal]);
    const request: KubeRequest = { path: resourcePath(this.resource, this.options.namespace ?? null), query: this.watchQuery(), purpose: this.purpose, signal };
    let options: https.RequestOptions;
    try {
      options = await this.http.requestOptions(request, signal);
    } catch (error) {
      return { kind: 'failed', error: asClusterError(error) };
    }
    const url = this.http.url(request);
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<StreamOutcome>((resolve) => {
      const started = Date.now();
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      const finish = (outcome: StreamOutcome) => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        attempt.abort();
        resolve(outcome);
      };
      const broken = (error: unknown) =>
        finish(this.options.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error: errorFromNetwork(error, this.http.server, this.purpose) });
      // Until the headers (and an error's body) arrive the request timeout applies; then the stream's own lifetime.
      timers.push(setTimeout(() => finish({ kind: 'failed', error: timeoutError(this.http.server, this.http.timeoutMs, this.purpose) }), this.http.timeoutMs));
      const outgoing = transport.request(url, options, (incoming) => {
        if (incoming.statusCode !== 200) {
          void readBody(incoming).then((body) => finish(this.statusOutcome(incoming.statusCode ?? 0, body)), broken);
          return;
        }
        clearTimeout(timers[0]);
        const lifetimeMs = this.retry.timeoutSeconds * 1000 + this.http.timeoutMs;
        timers.push(setTimeout(() => finish({ kind: 'ended', livedMs: Date.now() - started }), lifetimeMs));
        const lines = new LineSplitter(MAX_EVENT_CHARS);
        incoming.on('data', (chunk: Buffer) => {
          const outcome = this.consume(lines, chunk);
          if (outcome) finish(outcome);
        });
        incoming.on('end', () => finish({ kind: 'ended', livedMs: Date.now() - started }));
        incoming.on('error', broken);
        incoming.on('close', () => {
          if (!incoming.complete) broken(Object.assign(new Error('connection closed mid-stream'), { code: 'ECONNRESET' }));
        });
      });
      outgoing.on('error', broken);
      outgoing.end();
    });
  }

  private watchQuery(): KubeRequest['query'] {
    return {
      watch: 1,
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      timeoutSeconds: this.retry.timeoutSeconds,
      fieldSelector: this.fieldSelector,
    };
  }

  private statusOutcome(status: number, body: string): StreamOutcome {
    if (status === 410) return { kind: 'gone' };
    return { kind: 'failed', error: errorFromStatus(status, body, this.purpose) };
  }

  /** Handles the complete events in `chunk`; an outcome ends the stream. */
  private consume(lines: LineSplitter, chunk: Buffer): StreamOutcome | undefined {
    let events: string[];
    try {
      events = lines.push(chunk);
    } catch {
      return { kind: 'failed', error: new ClusterError('malformed', `the API server sent an event over ${MAX_EVENT_CHARS} characters long while trying to ${describePurpose(this.purpose)}`) };
    }
    for (const line of events) {
      const outcome = this.handle(parseWatchEvent(line));
      if (outcome) return outcome;
    }
    return undefined;
  }

  private handle(event: WatchEvent | null): StreamOutcome | undefined {
    if (!event) return { kind: 'failed', error: new ClusterError('malformed', `the API server sent malformed JSON while trying to ${describePurpose(this.purpose)}`) };
    if (event.type === 'ERROR') {
      if (event.status.code === 410) return { kind: 'gone' };
      const reason = event.status.message ? `: ${event.status.message}` : '';
      return { kind: 'failed', error: new ClusterError('server', `the API server ended the watch of ${this.target()} with an error (${event.status.code ?? 'no code'})${reason}`, event.status.code) };
    }
    if (event.resourceVersion) this.resourceVersion = event.resourceVersion;
    if (event.type === 'BOOKMARK') return undefined;
    this.justRelisted = false;
    const lean = REDUCERS[this.resource](event.object);
    if (lean) this.options.onEvent(event.type, lean);
    return undefined;
  }

  private target(): string {
    const namespace = this.options.namespace;
    return `${this.resource} ${namespace ? `in namespace ${namespace}` : 'in all namespaces'}`;
  }
}

function asClusterError(error: unknown): ClusterError {
  return isClusterError(error) ? error : new ClusterError('server', error instanceof Error ? error.message : String(error));
}

/** An error answer's body, for its Status message; bounded, since it is only ever quoted in one line. */
function readBody(incoming: http.IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

export type WatchEvent =
  | { type: WatchEventType | 'BOOKMARK'; object: unknown; resourceVersion: string | null }
  | { type: 'ERROR'; status: { code?: number; message?: string } };

/** One line of a watch stream; null when it is not a watch event at all. Unknown event types are malformed too. */
export function parseWatchEvent(line: string): WatchEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (!object || typeof object !== 'object') return null;
  if (type === 'ERROR') {
    const { code, message } = object as { code?: unknown; message?: unknown };
    return { type, status: { code: typeof code === 'number' ? code : undefined, message: typeof message === 'string' ? message : undefined } };
  }
  if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' && type !== 'BOOKMARK') return null;
  const version = (object as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  return { type, object, resourceVersion: typeof version === 'string' && version !== '' ? version : null };
}

/**
 * Splits a byte stream into lines as chunks arrive: UTF-8 sequences cut between chunks are kept whole, a line is
 * joined once (linear however many chunks it spans), blank lines are skipped. Throws when a line outgrows the limit.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private parts: string[] = [];
  private pendingChars = 0;

  constructor(private readonly maxLineChars: number) {}

  push(chunk: Buffer): string[] {
    const text = this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.parts.push(text.slice(start, newline));
      const line = this.parts.join('');
      this.parts = [];
      this.pendingChars = 0;
      start = newline + 1;
      this.checkLength(line.length);
      if (line.trim() !== '') lines.push(line);
    }
    const rest = text.slice(start);
    if (rest) {
      this.parts.push(rest);
      this.pendingChars += rest.length;
      this.checkLength(this.pendingChars);
    }
    return lines;
  }

  private checkLength(chars: number): void {
    if (chars > this.maxLineChars) throw new RangeError(`a line is longer than ${this.maxLineChars} characters`);
  }
}
