// Raw HTTPS to the API server with the TLS material and credentials client-node computes from the kubeconfig.
// Lists are paged and handed to the caller page by page so that huge clusters never sit in memory as full objects
// (client-node's ObjectSerializer would build every field of 30,000 pods first).
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ClusterError,
  cancelledError,
  describePurpose,
  errorFromNetwork,
  errorFromStatus,
  redactTokens,
  timeoutError,
  type RequestPurpose,
} from './errors';
import type { LoadedKubeconfig } from './config';

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the cluster's server URL, e.g. `/api/v1/pods`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  purpose: RequestPurpose;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Accept header; JSON unless a caller asks for e.g. metadata only (PartialObjectMetadata). */
  accept?: string;
  /** Content type of `body`; JSON unless a PATCH says which patch it is (e.g. application/json-patch+json). */
  contentType?: string;
  /** Told each time the server answers 429 and the request is retried after `waitMs`. */
  onThrottled?: (waitMs: number) => void;
}

export interface RawResponse {
  status: number;
  body: Buffer;
  /** The Retry-After header, when the server sent one. */
  retryAfter?: string;
}

/** Called when a paged list expired (410) and starts again from the first page: drop what was collected. */
export type ListRestart = () => void;

/** An answer whose headers have arrived (KubeHttp.open). */
export interface OpenResponse {
  incoming: http.IncomingMessage;
  outgoing: http.ClientRequest;
  /** The ClusterError a failure while reading means: cancelled, timed out, or the network. */
  failure(error: unknown): ClusterError;
  /** Done with the response: drops the request timeout. */
  close(): void;
}

export const PAGE_SIZE = 500;

/**
 * Accept headers asking for metadata only (meta.k8s.io/v1 PartialObjectMetadata[List], what client-go's metadata
 * client and informers send): no Secret `data` crosses the wire. Plain JSON after the comma for servers without it.
 */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json';
export const METADATA_LIST_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';
/** Far above any real answer (a page of 500 pods with managedFields is a few MB; etcd caps an object at 1.5 MB):
 * a server that sends more is broken or hostile, and buffering it would exhaust the editor's memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** A continue token that never ends would page forever: no real list is this long at PAGE_SIZE. */
const MAX_PAGES = 10_000;
/**
 * 429 answers retried (client-go retries up to 10 times, but only when Retry-After is present: rest/request.go
 * checkWait); fewer here because a tree waits on the answer.
 */
export const MAX_THROTTLE_RETRIES = 3;
/** A server asking for a longer wait is not waited for: the request fails as throttled instead. */
const MAX_RETRY_AFTER_MS = 10_000;

/** Retry-After in seconds (what API Priority and Fairness sends), or undefined when absent or not a number. */
export function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

/** A 410 answer: the continue token's revision was compacted away (etcd3 store handleCompactedErrorForPaging). */
const isExpired = (error: unknown) => error instanceof ClusterError && error.status === 410;

export class KubeHttp {
  private agent: http.Agent | undefined;

  constructor(
    private readonly loaded: LoadedKubeconfig,
    readonly timeoutMs: number,
  ) {}

  get server(): string {
    return this.loaded.cluster.server;
  }

  /** GET/POST/DELETE returning parsed JSON; any non-2xx answer becomes a ClusterError. */
  async json<T>(request: KubeRequest): Promise<T> {
    const response = await this.send(request);
    if (response.status < 200 || response.status > 299) {
      throw errorFromStatus(response.status, response.body.toString('utf8'), request.purpose);
    }
    return parseJson<T>(response.body, request.purpose);
  }

  /**
   * Pages through a list with `limit`/`continue`, giving each page's items to `onItems` before fetching the next.
   * A continue token that expired (410, etcd compaction on a slow large list) restarts the list from the first
   * page once, as client-go's pager falls back to a fresh list; `onRestart` drops what was collected so far.
   */
  async list(request: KubeRequest, onItems: (items: unknown[]) => void, onRestart?: ListRestart): Promise<void> {
    try {
      await this.listPages(request, onItems);
    } catch (error) {
      if (!isExpired(error) || !onRestart) throw error;
      onRestart();
      try {
        await this.listPages(request, onItems);
      } catch (again) {
        if (!isExpired(again)) throw again;
        throw new ClusterError(
          'server',
          `the list expired twice (410: the API server compacted its history while the pages were read) while trying to ${describePurpose(request.purpose)}; try again`,
          410,
        );
      }
    }
  }

  private async listPages(request: KubeRequest, onItems: (items: unknown[]) => void): Promise<void> {
    let continueToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = { ...request.query, limit: PAGE_SIZE, continue: continueToken };
      const list = await this.json<{ items?: unknown; metadata?: { continue?: unknown } }>({ ...request, query });
      if (!list || !Array.isArray(list.items)) {
        throw new ClusterError(
          'malformed',
          `the API server answered without a list of items while trying to ${describePurpose(request.purpose)}`,
        );
      }
      onItems(list.items);
      const next = list.metadata?.continue;
      if (typeof next !== 'string' || next === '') return;
      if (next === continueToken) {
        throw new ClusterError(
          'malformed',
          `the API server repeated a continue token while trying to ${describePurpose(request.purpose)}`,
        );
      }
      continueToken = next;
    }
    throw new ClusterError(
      'malformed',
      `more than ${MAX_PAGES} pages while trying to ${describePurpose(request.purpose)}`,
    );
  }

  /**
   * Sends one request and resolves with any HTTP answer but a 429 that says when to come back (API Priority and
   * Fairness): that one is retried after Retry-After, at most MAX_THROTTLE_RETRIES times. Rejects with a
   * ClusterError when there is no answer.
   */
  async send(request: KubeRequest): Promise<RawResponse> {
    for (let retries = 0; ; retries++) {
      const response = await this.sendOnce(request);
      const waitMs = response.status === 429 ? retryAfterMs(response.retryAfter) : undefined;
      if (waitMs === undefined || waitMs > MAX_RETRY_AFTER_MS || retries >= MAX_THROTTLE_RETRIES) return response;
      request.onThrottled?.(waitMs);
      try {
        await delay(waitMs, undefined, { signal: request.signal });
      } catch {
        throw cancelledError(request.purpose);
      }
    }
  }

  private async sendOnce(request: KubeRequest): Promise<RawResponse> {
    const response = await this.open(request, 'buffered');
    return new Promise<RawResponse>((resolve, reject) => {
      const { incoming } = response;
      const fail = (error: unknown) => {
        response.close();
        reject(response.failure(error));
      };
      const tooLarge = () => {
        response.outgoing.destroy();
        response.close();
        reject(
          new ClusterError(
            'malformed',
            `the API server's answer is larger than ${MAX_RESPONSE_BYTES / (1024 * 1024)} MiB; stopped reading it while trying to ${describePurpose(request.purpose)}`,
          ),
        );
      };
      if (Number(incoming.headers['content-length']) > MAX_RESPONSE_BYTES) return tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) tooLarge();
        else chunks.push(chunk);
      });
      incoming.on('error', fail);
      incoming.on('end', () => {
        response.close();
        resolve({
          status: incoming.statusCode ?? 0,
          body: Buffer.concat(chunks),
          retryAfter: incoming.headers['retry-after'],
        });
      });
      // A connection dropped mid-body may close the response without 'end' or 'error': never wait forever.
      incoming.on('close', () => {
        if (!incoming.complete)
          fail(Object.assign(new Error('connection closed mid-response'), { code: 'ECONNRESET' }));
      });
      response.outgoing.on('error', fail);
    });
  }

  /**
   * Opens one request and resolves once the answer's headers arrive, with the response to read as it arrives;
   * rejects with a ClusterError when no answer comes. The request timeout covers the whole response (`buffered`), or
   * for a `stream` (a watch, open for minutes) only until a 200 answer's headers: an error answer is still covered.
   * The one place that turns a KubeRequest into an HTTP request: URL, credentials, TLS, cancellation, timeout.
   */
  async open(
    request: KubeRequest,
    reading: 'buffered' | 'stream',
    attempt: { retried: boolean } = { retried: false },
  ): Promise<OpenResponse> {
    const { purpose, signal } = request;
    if (signal?.aborted) throw cancelledError(purpose);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    // Never what keeps the CLI alive after its work is done.
    timer.unref();
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const failure = (error: unknown): ClusterError => {
      if (signal?.aborted) return cancelledError(purpose);
      if (timeout.signal.aborted) return timeoutError(this.server, timeoutMs, purpose);
      return errorFromNetwork(error, this.server, purpose);
    };
    let options: https.RequestOptions;
    try {
      options = await this.requestOptions(request, combined);
    } catch (error) {
      clearTimeout(timer);
      throw error;
    }
    const url = this.url(request);
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<OpenResponse>((resolve, reject) => {
      let answered = false;
      const outgoing = transport.request(url, options, (incoming) => {
        answered = true;
        if (reading === 'stream' && incoming.statusCode === 200) clearTimeout(timer);
        resolve({ incoming, outgoing, failure, close: () => clearTimeout(timer) });
      });
      // Stays attached after the headers: an error then is the reader's to handle, and never goes unheard.
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        // A kept-alive connection the server (or a load balancer) closed while idle fails the next request sent on it
        // before any answer; a read is sent again once, on a fresh connection (Node's documented remedy:
        // `request.reusedSocket`). Writes are not: the server may have acted on them.
        if (!answered && outgoing.reusedSocket && !attempt.retried && isIdempotent(options.method) && isDropped(error))
          return resolve(this.open(request, reading, { retried: true }));
        reject(failure(error));
      });
      outgoing.end(request.body === undefined ? undefined : JSON.stringify(request.body));
    });
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private url(request: KubeRequest): URL {
    // The server URL may carry a path prefix (clusters behind a proxy such as Rancher's).
    const url = new URL(this.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** TLS material, credentials and the kept-alive agent for one request (selfReview.ts sends a token alone instead). */
  protected async requestOptions(request: KubeRequest, signal: AbortSignal): Promise<https.RequestOptions> {
    // Recomputed per request so that exec plugins and OIDC can refresh short-lived credentials (they cache).
    const options: https.RequestOptions = { headers: {} };
    try {
      await this.loaded.kubeConfig.applyToHTTPSOptions(options);
    } catch (error) {
      const reason = error instanceof Error ? redactTokens(error.message) : String(error);
      throw new ClusterError('unauthorized', `cannot get credentials for user "${this.loaded.user.name}": ${reason}`);
    }
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders),
      accept: request.accept ?? 'application/json',
      'user-agent': 'sa-token-inspector',
    };
    if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    return {
      method: request.method ?? 'GET',
      headers,
      auth: options.auth,
      agent: this.reusableAgent(options),
      signal,
    };
  }

  /** client-node makes a new non-keep-alive agent per call; keep one with the same TLS material instead. */
  private reusableAgent(options: https.RequestOptions): http.Agent {
    if (this.agent) return this.agent;
    if (this.loaded.cluster.proxyUrl || !(options.agent instanceof https.Agent)) {
      this.agent = options.agent as http.Agent;
      return this.agent;
    }
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
    // One TLS context (CA bundle and client certificate parsed once) for every connection: given the PEMs instead,
    // Node builds a context per connection, the largest part of the client's CPU when many clusters are reported.
    const secureContext = tls.createSecureContext({ ca, cert, key, pfx, passphrase });
    // rejectUnauthorized is only ever false here when the kubeconfig itself says insecure-skip-tls-verify.
    this.agent = new https.Agent({ keepAlive: true, secureContext, rejectUnauthorized, servername });
    return this.agent;
  }
}

export function parseJson<T>(body: Buffer, purpose: RequestPurpose): T {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new ClusterError(
      'malformed',
      `the API server sent malformed JSON while trying to ${describePurpose(purpose)}`,
    );
  }
}

const isIdempotent = (method: string | undefined): boolean =>
  method === undefined || method === 'GET' || method === 'HEAD';

/** The connection was gone before the request got through (a stale kept-alive socket). */
const isDropped = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
};
