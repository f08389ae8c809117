// Malformed requests get the API server's error Status (400/404/405/413/415/422), never a crash or a hang.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalCluster, type LocalCluster } from '../index';
import { apiRequest, type ApiResponse } from '../../kubectl';

let cluster: LocalCluster;

before(async () => {
  cluster = await startLocalCluster({ data: 'demo' });
});
after(() => cluster.stop());

/** A request with any body bytes and content type. */
const raw = (path: string, method: string, rawBody: Buffer | string, contentType: string) =>
  apiRequest(`${cluster.url}${path}`, cluster.caPem, cluster.tokens.admin, { method, rawBody, contentType });

const statusOf = (body: string) => JSON.parse(body) as { kind: string; reason: string; message: string; code: number };

describe('bad input', () => {
  const cases: [string, () => Promise<ApiResponse>, number, RegExp][] = [
    [
      'invalid JSON body',
      () => raw('/api/v1/namespaces/default/secrets', 'POST', '{"metadata":', 'application/json'),
      400,
      /json parse error/,
    ],
    [
      'protobuf without the k8s prefix',
      () => raw('/api/v1/namespaces', 'POST', Buffer.from([1, 2, 3]), 'application/vnd.kubernetes.protobuf'),
      400,
      /k8s protobuf prefix/,
    ],
    ['unsupported content type', () => raw('/api/v1/namespaces', 'POST', 'a: b', 'text/plain'), 415, /unknown format/],
    [
      'a body over 3 MiB',
      () => raw('/api/v1/namespaces', 'POST', Buffer.alloc(4 * 1024 * 1024, 32), 'application/json'),
      413,
      /too large/,
    ],
    [
      'a secret without a name',
      () => raw('/api/v1/namespaces/default/secrets', 'POST', '{"metadata":{}}', 'application/json'),
      422,
      /name or generateName is required/,
    ],
    [
      'an invalid name',
      () => raw('/api/v1/namespaces', 'POST', '{"metadata":{"name":"Bad_Name"}}', 'application/json'),
      422,
      /RFC 1123 label/,
    ],
    [
      'a token Secret without its annotation',
      () =>
        raw(
          '/api/v1/namespaces/default/secrets',
          'POST',
          '{"metadata":{"name":"t"},"type":"kubernetes.io/service-account-token"}',
          'application/json',
        ),
      422,
      /service-account.name\]: Required value/,
    ],
    [
      'a pod without containers',
      () => raw('/api/v1/namespaces/default/pods', 'POST', '{"metadata":{"name":"p"},"spec":{}}', 'application/json'),
      422,
      /spec.containers: Required value/,
    ],
    [
      'an existing object',
      () => raw('/api/v1/namespaces', 'POST', '{"metadata":{"name":"default"}}', 'application/json'),
      409,
      /namespaces "default" already exists/,
    ],
    [
      'a bad continue token',
      () => apiRequest(`${cluster.url}/api/v1/pods?limit=1&continue=garbage`, cluster.caPem, cluster.tokens.admin),
      400,
      /continue key is not valid/,
    ],
    [
      'a bad label selector',
      () => apiRequest(`${cluster.url}/api/v1/pods?labelSelector=a%20in%20b`, cluster.caPem, cluster.tokens.admin),
      400,
      /unable to parse requirement/,
    ],
    [
      'a bad URL escape',
      () => apiRequest(`${cluster.url}/api/v1/namespaces/%E0%A4%A`, cluster.caPem, cluster.tokens.admin),
      400,
      /invalid URL escape/,
    ],
    [
      'an unknown resource',
      () => apiRequest(`${cluster.url}/api/v1/deployments`, cluster.caPem, cluster.tokens.admin),
      404,
      /could not find the requested resource/,
    ],
    [
      'an unsupported verb',
      () => raw('/api/v1/namespaces/default', 'PUT', '{}', 'application/json'),
      405,
      /does not allow this method/,
    ],
  ];
  for (const [name, send, status, message] of cases) {
    it(`answers ${name} with ${status}`, async () => {
      const response = await send();
      assert.equal(response.status, status, response.body);
      const body = statusOf(response.body);
      assert.equal(body.kind, 'Status');
      assert.equal(body.code, status);
      assert.match(body.message, message);
    });
  }

  it('still serves after all of them', async () => {
    assert.equal(
      (await apiRequest(`${cluster.url}/api/v1/namespaces`, cluster.caPem, cluster.tokens.admin)).status,
      200,
    );
  });
});
