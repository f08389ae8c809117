// A hostile or broken API server, and hostile key sets (issue 10, item 7): memory and CPU stay bounded.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { loadKubeconfig } from '../../../src/kube/config';
import { isClusterError } from '../../../src/kube/errors';
import { KubeHttp, MAX_RESPONSE_BYTES } from '../../../src/kube/http';
import { MAX_JWKS_KEYS, parseKeys, verifySignature, type VerificationKey } from '../../../src/core/tokens/verify';
import { scriptedApiServer } from '../../support/net';
import { generateKeys, mintLegacyToken } from '../core/tokens/mint';

const MiB = 1024 * 1024;

describe('security: response bodies from the API server (issue 10, item 7)', () => {
  let server: Server;
  let http: KubeHttp;
  let sentBytes = 0;
  const BODY_BYTES = 384 * MiB;

  before(async () => {
    let kubeconfigPath: string;
    ({ server, kubeconfigPath } = await scriptedApiServer((request, response) => {
      // Endless JSON: a list whose one string never ends, streamed as fast as the client reads.
      const withLength = request.url?.includes('announced');
      response.writeHead(200, {
        'content-type': 'application/json',
        ...(withLength ? { 'content-length': String(BODY_BYTES) } : {}),
      });
      const chunk = Buffer.alloc(MiB, 'a');
      response.write('{"items":["');
      const pump = (): void => {
        while (sentBytes < BODY_BYTES) {
          sentBytes += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end('"]}');
      };
      response.on('close', () => response.destroy());
      pump();
    }));
    http = new KubeHttp(loadKubeconfig({ kubeconfigPath }), 60_000);
  });
  after(() => {
    http.close();
    server.closeAllConnections();
    server.close();
  });

  for (const [name, path] of [
    ['streamed', '/api/v1/secrets'],
    ['with its size announced', '/api/v1/secrets?announced'],
  ]) {
    it(`a 384 MiB answer ${name} is cut off at the cap with a clear error (memory-exhaustion attack)`, async () => {
      sentBytes = 0;
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const error = await http.json({ path, purpose: { verb: 'list', resource: 'secrets' } }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      const grewMiB = (process.memoryUsage().rss - rssBefore) / MiB;
      assert.ok(isClusterError(error), String(error));
      assert.equal(error.kind, 'malformed');
      assert.match(
        error.message,
        /^the API server's answer is larger than 64 MiB; stopped reading it while trying to list secrets/,
      );
      assert.ok(sentBytes < BODY_BYTES, `the server was stopped after ${sentBytes / MiB} MiB`);
      assert.ok(grewMiB < 2 * (MAX_RESPONSE_BYTES / MiB), `memory grew by ${grewMiB.toFixed(0)} MiB`);
      console.log(
        `security: a ${BODY_BYTES / MiB} MiB answer (${name}) stopped after ${(sentBytes / MiB).toFixed(0)} MiB sent, memory +${grewMiB.toFixed(0)} MiB`,
      );
    });
  }
});

describe('security: hostile key sets (issue 10, item 7)', () => {
  let token: string;
  let kid: string;
  let jwk: Record<string, unknown>;

  before(async () => {
    const keys = await generateKeys();
    token = await mintLegacyToken(keys);
    kid = keys.kid;
    jwk = keys.jwk as Record<string, unknown>;
  });

  it(`a JWKS with more than ${MAX_JWKS_KEYS} keys is refused with one clear line (key-flood attack)`, async () => {
    const flood = { keys: Array.from({ length: 500 }, (_, index) => ({ ...jwk, kid: `k${index}` })) };
    await assert.rejects(parseKeys(JSON.stringify(flood), 'cluster kind-dev'), {
      message: `cluster kind-dev: the JWKS holds 500 keys, more than the ${MAX_JWKS_KEYS} any issuer publishes`,
    });
    const most = { keys: flood.keys.slice(0, MAX_JWKS_KEYS) };
    assert.equal((await parseKeys(JSON.stringify(most), 'jwks.json')).length, MAX_JWKS_KEYS);
  });

  it('an RSA key with a public exponent above 2^32 is refused (slow-verification attack)', async () => {
    const huge = Buffer.from([0x01, 0x00, 0x00, 0x00, 0x01]).toString('base64url'); // 2^32 + 1
    await assert.rejects(parseKeys(JSON.stringify({ keys: [{ ...jwk, e: huge }] }), 'jwks.json'), {
      message: 'jwks.json: key number 1 is an RSA key with a public exponent above 2^32 (real keys use 65537)',
    });
    const pem = createPublicKey({ key: { ...jwk, e: huge } as JsonWebKey, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    await assert.rejects(
      parseKeys(String(pem), 'sa.pub'),
      /block number 1 is an RSA key with a public exponent above 2\^32/,
    );
  });

  it('a token with a kid is checked only against keys with that kid (try-every-key attack)', async () => {
    const [real] = await parseKeys(JSON.stringify({ keys: [jwk] }), 'cluster kind-dev');
    const tried = new Set<string>();
    const watched = (key: VerificationKey): VerificationKey => ({
      ...key,
      key: new Proxy(key.key, {
        get(target, property) {
          tried.add(key.kid);
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      }),
    });
    const decoys = Array.from({ length: MAX_JWKS_KEYS - 1 }, (_, index) => watched({ ...real, kid: `decoy-${index}` }));
    const verdict = await verifySignature(token, [...decoys, watched(real)]);
    assert.deepEqual(verdict, { checked: true, valid: true, keyId: kid, reason: null, keySource: 'cluster kind-dev' });
    assert.deepEqual([...tried], [kid], 'no decoy was tried');
    const triedWithKid = tried.size;

    tried.clear();
    const noMatch = await verifySignature(token, decoys);
    assert.deepEqual(noMatch, {
      checked: true,
      valid: false,
      keyId: null,
      reason: `not signed by any key of the given key set (none of its ${MAX_JWKS_KEYS - 1} keys has the token's kid)`,
    });
    assert.equal(tried.size, 0);
    console.log(`security: a token with a kid against ${MAX_JWKS_KEYS} keys: ${triedWithKid} key tried`);
  });
});
