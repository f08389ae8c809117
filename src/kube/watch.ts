// Keeps one resource current by watch (`?watch=1`): a stream of newline-delimited JSON events, read as it arrives
// and reduced to the lean model at once (a Secret's data never outlives its line: only whether data.token is set).
// A dropped stream reconnects from the last resourceVersion with bounded exponential backoff; an expired
// resourceVersion (410) relists once and resumes; a watch that keeps failing stops and says why. Never a tight loop.
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterError, describePurpose, errorFromStatus, toClusterError, type RequestPurpose } from './errors';
import { METADATA_LIST_ONLY, METADATA_ONLY, type KubeHttp, type KubeRequest, type OpenResponse } from './http';
import { resourcePath, type ListedResource } from './inventory';
import { TOKEN_SECRET_TYPE } from '../core/kubernetes';
import { formatMillisecondsAsSeconds } from '../core/time';
import {
  leanPod,
  leanServiceAccount,
  leanTokenSecret,
  type LeanPod,
  type LeanServiceAccount,
} from '../core/cluster/lean';
import type { TokenSecretInfo } from '../core/cluster/model';
import {
  LineSplitter,
  MAX_EVENT_CHARS,
  parseWatchEvent,
  readBody,
  type WatchEvent,
  type WatchEventType,
} from './watchStream';

export type WatchedResource = ListedResource;

/** What each resource's events carry: the same lean records the inventory is built from. */
export interface WatchedObjects {
  serviceaccounts: LeanServiceAccount;
  secrets: TokenSecretInfo;
  pods: LeanPod;
}

export type { WatchEventType } from './watchStream';

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

/** How a watch ended: the caller aborted it, or it stopped for good ("watch stopped: <reason>"). */
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

/** Kinds of failure that another attempt cannot fix. */
const FINAL_KINDS = new Set(['unauthorized', 'forbidden', 'not-found', 'tls', 'config', 'cancelled']);

type StreamOutcome =
  | { kind: 'ended'; livedMs: number }
  | { kind: 'gone' }
  /** livedMs: how long the stream had been open when it broke (absent: it never opened). */
  | { kind: 'failed'; error: ClusterError; livedMs?: number }
  | { kind: 'cancelled' };

/**
 * Starts watching: resolves once the resourceVersion to start from is known (rejects with a ClusterError when it
 * cannot be: e.g. forbidden), then keeps watching in the background until `signal` aborts or it stops for good.
 */
export async function startWatch<R extends WatchedResource>(
  http: KubeHttp,
  resource: R,
  options: WatchOptions<R>,
): Promise<void> {
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
  /** Relisted since the last stream that lived minHealthyMs: another 410 now is a failure, not a free relist. */
  private relistedRecently = false;
  private streamStartedAt = 0;

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
        if (this.wasHealthy(outcome.livedMs)) return null;
        return new ClusterError(
          'unreachable',
          `the API server closed the watch of ${this.target()} after ${formatMillisecondsAsSeconds(outcome.livedMs)}`,
        );
      case 'gone':
        this.needsRelist = true;
        if (this.wasHealthy(Date.now() - this.streamStartedAt) || !this.relistedRecently) return null;
        return new ClusterError(
          'server',
          `the resourceVersion of the watch of ${this.target()} expired again soon after a relist`,
          410,
        );
      case 'failed':
        // A connection reset after hours of watching starts a new streak rather than continuing an old one.
        if (outcome.livedMs !== undefined) this.wasHealthy(outcome.livedMs);
        return outcome.error;
    }
  }

  /** A stream that lived long enough proves the watch works: the failure streak and the free relist start over. */
  private wasHealthy(livedMs: number): boolean {
    if (livedMs < this.retry.minHealthyMs) return false;
    this.failures = 0;
    this.relistedRecently = false;
    return true;
  }

  private stop(failure: ClusterError): void {
    const streak = this.failures > 1 ? ` (${this.failures} failures in a row)` : '';
    this.options.onClose({ kind: 'stopped', message: `watch stopped: ${failure.message}${streak}` });
  }

  private async relist(): Promise<StreamOutcome | { kind: 'relisted' }> {
    try {
      this.resourceVersion = await this.currentResourceVersion();
    } catch (error) {
      return this.options.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error: toClusterError(error) };
    }
    this.needsRelist = false;
    this.relistedRecently = true;
    this.options.onResync?.();
    return { kind: 'relisted' };
  }

  /** A list of one item: its resourceVersion is the collection's current one. */
  private async currentResourceVersion(): Promise<string> {
    const list = await this.http.json<{ metadata?: { resourceVersion?: unknown } }>({
      path: resourcePath(this.resource, this.options.namespace ?? null),
      query: { limit: 1, fieldSelector: this.fieldSelector },
      accept: this.resource === 'secrets' ? METADATA_LIST_ONLY : undefined,
      purpose: { ...this.purpose, verb: 'list' },
      signal: this.options.signal,
    });
    const version = list?.metadata?.resourceVersion;
    if (typeof version !== 'string' || version === '') {
      throw new ClusterError(
        'malformed',
        `the API server answered without a resourceVersion while trying to ${describePurpose({ ...this.purpose, verb: 'list' })}`,
      );
    }
    return version;
  }

  /** One watch request, from its headers to the end of its stream. */
  private async stream(): Promise<StreamOutcome> {
    const attempt = new AbortController();
    const request: KubeRequest = {
      path: resourcePath(this.resource, this.options.namespace ?? null),
      query: this.watchQuery(),
      // Secrets stream as metadata only (a metadata informer's watch), never with their data.
      accept: this.resource === 'secrets' ? METADATA_ONLY : undefined,
      purpose: this.purpose,
      signal: AbortSignal.any([this.options.signal, attempt.signal]),
    };
    this.streamStartedAt = Date.now();
    const started = this.streamStartedAt;
    let response: OpenResponse;
    try {
      // Until the headers (and an error's body) arrive the request timeout applies; then the stream's own lifetime.
      response = await this.http.open(request, 'stream');
    } catch (error) {
      return this.options.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error: toClusterError(error) };
    }
    return new Promise<StreamOutcome>((resolve) => {
      let lifetime: NodeJS.Timeout | undefined = undefined;
      let settled = false;
      let streaming = false;
      const finish = (outcome: StreamOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(lifetime);
        response.close();
        attempt.abort();
        resolve(outcome);
      };
      const broken = (error: unknown) => {
        const livedMs = streaming ? Date.now() - started : undefined;
        finish(
          this.options.signal.aborted
            ? { kind: 'cancelled' }
            : { kind: 'failed', error: response.failure(error), livedMs },
        );
      };
      const { incoming } = response;
      response.outgoing.on('error', broken);
      if (incoming.statusCode !== 200) {
        void readBody(incoming).then((body) => finish(this.statusOutcome(incoming.statusCode ?? 0, body)), broken);
        return;
      }
      streaming = true;
      const ended = () => finish({ kind: 'ended', livedMs: Date.now() - started });
      // A half-open connection can stay silent forever: give up one request timeout after the server should have.
      lifetime = setTimeout(ended, this.retry.timeoutSeconds * 1000 + this.http.timeoutMs);
      this.follow(incoming, { event: finish, ended, broken });
    });
  }

  /** Reads a 200 stream's events as they arrive until it ends, breaks, or an event ends it (`event`). */
  private follow(
    incoming: http.IncomingMessage,
    on: { event: (outcome: StreamOutcome) => void; ended: () => void; broken: (error: unknown) => void },
  ): void {
    const lines = new LineSplitter(MAX_EVENT_CHARS);
    incoming.on('data', (chunk: Buffer) => {
      const outcome = this.consume(lines, chunk);
      if (outcome) on.event(outcome);
    });
    incoming.on('end', on.ended);
    incoming.on('error', on.broken);
    incoming.on('close', () => {
      if (!incoming.complete)
        on.broken(Object.assign(new Error('connection closed mid-stream'), { code: 'ECONNRESET' }));
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
      return {
        kind: 'failed',
        error: new ClusterError(
          'malformed',
          `the API server sent an event over ${MAX_EVENT_CHARS} characters long while trying to ${describePurpose(this.purpose)}`,
        ),
      };
    }
    for (const line of events) {
      const outcome = this.handle(parseWatchEvent(line));
      if (outcome) return outcome;
    }
    return undefined;
  }

  private handle(event: WatchEvent | null): StreamOutcome | undefined {
    if (!event)
      return {
        kind: 'failed',
        error: new ClusterError(
          'malformed',
          `the API server sent malformed JSON while trying to ${describePurpose(this.purpose)}`,
        ),
      };
    if (event.type === 'ERROR') {
      if (event.status.code === 410) return { kind: 'gone' };
      const reason = event.status.message ? `: ${event.status.message}` : '';
      return {
        kind: 'failed',
        error: new ClusterError(
          'server',
          `the API server ended the watch of ${this.target()} with an error (${event.status.code ?? 'no code'})${reason}`,
          event.status.code,
        ),
      };
    }
    if (event.resourceVersion) this.resourceVersion = event.resourceVersion;
    if (event.type === 'BOOKMARK') return undefined;
    const lean = REDUCERS[this.resource](event.object);
    if (lean) this.options.onEvent(event.type, lean);
    return undefined;
  }

  private target(): string {
    const namespace = this.options.namespace;
    return `${this.resource} ${namespace ? `in namespace ${namespace}` : 'in all namespaces'}`;
  }
}
