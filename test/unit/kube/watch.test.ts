// The watch loop's decisions against a scripted HTTP server (what a real API server or a proxy may send that the local
// one does not), plus the stream splitter and event parser on their own.
import assert from 'node:assert/strict';
import type { ServerResponse, Server } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadKubeconfig } from '../../../src/kube/config';
import { isClusterError } from '../../../src/kube/errors';
import { KubeHttp } from '../../../src/kube/http';
import { backoffDelayMs, DEFAULT_WATCH_RETRY, startWatch, type WatchEnd } from '../../../src/kube/watch';
import { LineSplitter, parseWatchEvent } from '../../../src/kube/watchStream';
import { scriptedApiServer } from '../../support/net';

describe('LineSplitter', () => {
  it('gives the same lines however the bytes are cut (UTF-8 sequences split across chunks included)', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => text.replace(/\n/g, ' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((text) => `${text}\n`).join(''), 'utf8');
        const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const splitter = new LineSplitter(1000);
        const seen: string[] = [];
        let start = 0;
        for (const end of [...positions, bytes.length]) {
          seen.push(...splitter.push(bytes.subarray(start, end)));
          start = end;
        }
        assert.deepEqual(
          seen,
          lines.filter((text) => text.trim() !== ''),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a line longer than the limit, whether it arrives whole or in pieces', () => {
    assert.throws(() => new LineSplitter(10).push(Buffer.from(`${'x'.repeat(11)}\n`)), RangeError);
    const pieces = new LineSplitter(10);
    pieces.push(Buffer.from('x'.repeat(6)));
    assert.throws(() => pieces.push(Buffer.from('x'.repeat(6))), RangeError);
    assert.deepEqual(new LineSplitter(10).push(Buffer.from('x'.repeat(10) + '\n')), ['x'.repeat(10)]);
  });
});

describe('parseWatchEvent', () => {
  it('reads events, bookmarks and errors; anything else is null', () => {
    assert.deepEqual(parseWatchEvent('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"7"}}}'), {
      type: 'ADDED',
      object: { metadata: { name: 'a', resourceVersion: '7' } },
      resourceVersion: '7',
    });
    assert.equal(
      (
        parseWatchEvent('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}') as {
          resourceVersion: string;
        }
      ).resourceVersion,
      '9',
    );
    assert.deepEqual(parseWatchEvent('{"type":"ERROR","object":{"kind":"Status","code":410,"message":"too old"}}'), {
      type: 'ERROR',
      status: { code: 410, message: 'too old' },
    });
    for (const junk of [
      '',
      'not json',
      'null',
      '[]',
      '{"type":"ADDED"}',
      '{"type":"ADDED","object":3}',
      '{"type":"PATCHED","object":{}}',
    ]) {
      assert.equal(parseWatchEvent(junk), null, junk);
    }
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the first delay up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => backoffDelayMs(failures, DEFAULT_WATCH_RETRY));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

/** What the scripted server does with one watch request (`?watch=1`); lists always answer resourceVersion "100". */
type WatchScript = (url: URL, response: ServerResponse, attempt: number) => void;

describe('watch loop against a scripted server', () => {
  let server: Server;
  let http: KubeHttp;
  let script: WatchScript = (_url, response) => response.end();
  const watchUrls: URL[] = [];
  let lists = 0;
  const controller = { current: new AbortController() };
  const retry = { initialDelayMs: 20, maxDelayMs: 80, maxFailures: 3, minHealthyMs: 1000, timeoutSeconds: 30 };

  before(async () => {
    let kubeconfigPath: string;
    ({ server, kubeconfigPath } = await scriptedApiServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.searchParams.get('watch') !== '1') {
        lists++;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ kind: 'SecretList', metadata: { resourceVersion: '100' }, items: [] }));
        return;
      }
      watchUrls.push(url);
      script(url, response, watchUrls.length);
    }));
    http = new KubeHttp(loadKubeconfig({ kubeconfigPath }), 500);
  });
  afterEach(() => {
    controller.current.abort();
    controller.current = new AbortController();
    watchUrls.length = 0;
    lists = 0;
  });
  after(async () => {
    http.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Starts a secrets watch in namespace ns and resolves with how it ended, plus the names it saw. */
  async function watchUntilEnd(
    options: { resourceVersion?: string; resyncs?: string[] } = {},
  ): Promise<{ end: WatchEnd; names: string[] }> {
    const names: string[] = [];
    return new Promise((resolve, reject) => {
      startWatch(http, 'secrets', {
        namespace: 'ns',
        resourceVersion: options.resourceVersion,
        signal: controller.current.signal,
        retry,
        onEvent: (type, secret) => names.push(`${type} ${secret.name} ${secret.populated}`),
        onResync: () => options.resyncs?.push(`resync after ${names.length} events`),
        onClose: (end) => resolve({ end, names }),
      }).catch(reject);
    });
  }

  const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;
  const tokenSecret = (name: string, resourceVersion: string, token?: string) => ({
    metadata: { name, namespace: 'ns', resourceVersion, annotations: { 'kubernetes.io/service-account.name': 'sa' } },
    type: 'kubernetes.io/service-account-token',
    ...(token ? { data: { token } } : {}),
  });

  it('asks for bookmarks and token Secrets only, and resumes from the last event or bookmark', async () => {
    script = (_url, response, attempt) => {
      response.writeHead(200);
      if (attempt === 1) response.write(line('ADDED', tokenSecret('a', '101', 'ZXlKaGJHY2lPaUpTVXpJMU5pSjk=')));
      if (attempt === 1)
        response.write(line('ADDED', { metadata: { name: 'opaque', resourceVersion: '102' }, type: 'Opaque' }));
      if (attempt === 2) response.write(line('BOOKMARK', { metadata: { resourceVersion: '150' } }));
      response.end();
    };
    const { end, names } = await watchUntilEnd();
    assert.equal(lists, 1, 'one list of one item for the starting resourceVersion');
    assert.deepEqual(names, ['ADDED a true'], 'a non-token Secret is dropped even if the server sends it');
    const versions = watchUrls.map((url) => url.searchParams.get('resourceVersion'));
    assert.deepEqual(versions, ['100', '102', '150']);
    const first = watchUrls[0].searchParams;
    assert.equal(first.get('allowWatchBookmarks'), 'true');
    assert.equal(first.get('fieldSelector'), 'type=kubernetes.io/service-account-token');
    assert.equal(watchUrls[0].pathname, '/api/v1/namespaces/ns/secrets');
    assert.equal(end.kind, 'stopped');
  });

  it('an HTTP 410 relists once and resumes; a second 410 straight after is a failure, not a loop', async () => {
    const resyncs: string[] = [];
    script = (_url, response) => {
      response.writeHead(410, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' }),
      );
    };
    const { end } = await watchUntilEnd({ resourceVersion: '5', resyncs });
    assert.equal(end.kind, 'stopped');
    assert.match(
      (end as { message: string }).message,
      /^watch stopped: the resourceVersion of the watch of secrets in namespace ns expired again soon after a relist \(3 failures in a row\)$/,
    );
    assert.equal(watchUrls.length, 4, 'the first 410 relists at once; the next three count as failures');
    assert.equal(resyncs.length, 3, 'each relist asks for a resync');
  });

  it('events between 410s do not make relists free: a server alternating event and 410 is stopped by the bound', async () => {
    const resyncs: string[] = [];
    script = (_url, response, attempt) => {
      response.writeHead(200);
      response.write(line('MODIFIED', tokenSecret('a', String(200 + attempt))));
      response.end(
        line('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' }),
      );
    };
    const { end, names } = await watchUntilEnd({ resyncs });
    assert.match((end as { message: string }).message, /expired again soon after a relist \(3 failures in a row\)$/);
    assert.equal(watchUrls.length, 4);
    assert.equal(names.length, 4);
  });

  it('streams that broke only after living minHealthyMs never add up to a stop', async () => {
    script = (_url, response) => {
      response.writeHead(200);
      response.write(line('BOOKMARK', { metadata: { resourceVersion: '120' } }));
      setTimeout(() => response.socket?.destroy(), 60);
    };
    const names: string[] = [];
    let end: WatchEnd | undefined;
    await startWatch(http, 'secrets', {
      namespace: 'ns',
      signal: controller.current.signal,
      retry: { ...retry, minHealthyMs: 40 },
      onEvent: (type, secret) => names.push(`${type} ${secret.name}`),
      onClose: (closed) => (end = closed),
    });
    const deadline = Date.now() + 5000;
    while (watchUrls.length < 2 * retry.maxFailures && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(watchUrls.length >= 2 * retry.maxFailures, `${watchUrls.length} attempts`);
    assert.equal(end, undefined, 'each reset came after a healthy stream: still watching');
    assert.equal(watchUrls.at(-1)?.searchParams.get('resourceVersion'), '120');
  });

  it('an ERROR event other than 410 is retried with backoff, then stops naming the server message (tokens redacted)', async () => {
    script = (_url, response) => {
      response.writeHead(200);
      response.end(
        line('ERROR', {
          kind: 'Status',
          code: 500,
          message: 'etcd hiccup near eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
        }),
      );
    };
    const started = Date.now();
    const { end } = await watchUntilEnd();
    assert.deepEqual(end, {
      kind: 'stopped',
      message:
        'watch stopped: the API server ended the watch of secrets in namespace ns with an error (500): etcd hiccup near <redacted token> (3 failures in a row)',
    });
    assert.equal(watchUrls.length, 3);
    assert.ok(Date.now() - started >= 20 + 40, 'backed off between attempts');
  });

  it('a malformed line ends the stream as malformed', async () => {
    script = (_url, response) => {
      response.writeHead(200);
      response.end('{"type":"ADDED","object":{\n');
    };
    const { end } = await watchUntilEnd();
    assert.match(
      (end as { message: string }).message,
      /^watch stopped: the API server sent malformed JSON while trying to watch secrets in namespace ns \(3 failures/,
    );
  });

  it('403 on the watch itself stops at once: another attempt cannot fix it', async () => {
    script = (_url, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', code: 403, message: 'secrets is forbidden' }));
    };
    const { end } = await watchUntilEnd();
    assert.deepEqual(end, {
      kind: 'stopped',
      message: 'watch stopped: forbidden: cannot watch secrets in namespace ns',
    });
    assert.equal(watchUrls.length, 1);
  });

  it('no headers within the request timeout: a timeout failure per attempt, never a hang', async () => {
    script = () => undefined;
    const started = Date.now();
    const { end } = await watchUntilEnd();
    assert.match(
      (end as { message: string }).message,
      /^watch stopped: http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.5 s while trying to watch secrets in namespace ns \(3 failures in a row\)$/,
    );
    assert.ok(Date.now() - started < 3 * 500 + 1500, `took ${Date.now() - started} ms`);
  });

  it('the starting list failing rejects the start: no watch runs, onClose is not called', async () => {
    let closed = false;
    await assert.rejects(
      startWatch(http, 'pods', {
        namespace: 'ns',
        signal: AbortSignal.abort(),
        onEvent: () => undefined,
        onClose: () => (closed = true),
      }),
      (error: unknown) => isClusterError(error) && error.kind === 'cancelled',
    );
    assert.equal(closed, false);
    assert.equal(watchUrls.length, 0);
  });
});
