// Paging, bounds and malformed answers of the raw client, against a tiny scripted HTTP server.
import assert from 'node:assert/strict';
import type { IncomingMessage, Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadKubeconfig } from '../../../src/kube/config';
import { isClusterError } from '../../../src/kube/errors';
import { KubeHttp, PAGE_SIZE } from '../../../src/kube/http';
import { scriptedApiServer } from '../../support/net';

type Answer = (url: URL, request: IncomingMessage) => { status?: number; body: unknown };

describe('KubeHttp paging', () => {
  let server: Server;
  let answer: Answer = () => ({ body: {} });
  const seen: URL[] = [];
  let http: KubeHttp;

  before(async () => {
    let kubeconfigPath: string;
    ({ server, kubeconfigPath } = await scriptedApiServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      seen.push(url);
      const { status = 200, body } = answer(url, request);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    }));
    http = new KubeHttp(loadKubeconfig({ kubeconfigPath }), 2000);
  });
  after(() => {
    http.close();
    server.close();
  });

  const purpose = { verb: 'list', resource: 'pods' };

  it('follows continue tokens with limit and hands over each page', async () => {
    seen.length = 0;
    answer = (url) => {
      const page = Number(url.searchParams.get('continue') ?? '0');
      return { body: { items: [{ page }], metadata: page < 2 ? { continue: String(page + 1) } : {} } };
    };
    const pages: unknown[][] = [];
    await http.list({ path: '/api/v1/pods', query: { fieldSelector: 'type=x' }, purpose }, (items) =>
      pages.push(items),
    );
    assert.deepEqual(pages, [[{ page: 0 }], [{ page: 1 }], [{ page: 2 }]]);
    assert.deepEqual(
      seen.map((url) => [
        url.searchParams.get('limit'),
        url.searchParams.get('continue'),
        url.searchParams.get('fieldSelector'),
      ]),
      [
        [String(PAGE_SIZE), null, 'type=x'],
        [String(PAGE_SIZE), '1', 'type=x'],
        [String(PAGE_SIZE), '2', 'type=x'],
      ],
    );
  });

  it('sends the kubeconfig credentials', async () => {
    let authorization: string | undefined;
    answer = (_url, request) => {
      authorization = request.headers.authorization;
      return { body: { items: [] } };
    };
    await http.list({ path: '/api/v1/pods', purpose }, () => undefined);
    assert.equal(authorization, 'Bearer test-bearer');
  });

  it('stops on a continue token that repeats instead of paging forever', async () => {
    answer = () => ({ body: { items: [], metadata: { continue: 'same' } } });
    await assert.rejects(
      http.list({ path: '/api/v1/pods', purpose }, () => undefined),
      (error: unknown) =>
        isClusterError(error) && error.kind === 'malformed' && /repeated a continue token/.test(error.message),
    );
  });

  it('rejects a list without items and a body that is not JSON', async () => {
    answer = () => ({ body: { kind: 'Status' } });
    await assert.rejects(
      http.list({ path: '/api/v1/pods', purpose }, () => undefined),
      (error: unknown) => isClusterError(error) && error.kind === 'malformed',
    );
    answer = () => ({ body: '{"items": [' });
    await assert.rejects(
      http.json({ path: '/api/v1/pods', purpose }),
      (error: unknown) => isClusterError(error) && error.kind === 'malformed',
    );
  });

  it('does not send anything when already cancelled', async () => {
    seen.length = 0;
    await assert.rejects(
      http.json({ path: '/api/v1/pods', purpose, signal: AbortSignal.abort() }),
      (error: unknown) => isClusterError(error) && error.kind === 'cancelled',
    );
    assert.equal(seen.length, 0);
  });
});
