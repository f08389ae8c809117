import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ClusterError,
  errorFromNetwork,
  errorFromStatus,
  isClusterError,
  redactTokens,
} from '../../../src/kube/errors';

const listSecrets = { verb: 'list', resource: 'secrets', namespace: 'team-b' };
const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YTpiIn0.c2lnbmF0dXJl';

describe('errorFromStatus', () => {
  it('maps 401, 403, 404, 5xx and other 4xx to kinds with one readable line', () => {
    const cases: [number, string, RegExp][] = [
      [401, 'unauthorized', /rejected the credentials \(401\) while trying to list secrets in namespace team-b/],
      [403, 'forbidden', /^forbidden: cannot list secrets in namespace team-b$/],
      [404, 'not-found', /^not found: list secrets/],
      [500, 'server', /failed \(500\)/],
      [503, 'server', /failed \(503\)/],
      [422, 'server', /refused \(422\)/],
    ];
    for (const [status, kind, message] of cases) {
      const error = errorFromStatus(status, '{"kind":"Status","message":"x"}', listSecrets);
      assert.equal(error.kind, kind, `status ${status}`);
      assert.equal(error.status, status);
      assert.match(error.message, message);
      assert.ok(!error.message.includes('\n'));
    }
  });

  it('quotes the Status message but not an arbitrary body', () => {
    assert.match(
      errorFromStatus(422, '{"message":"spec.expirationSeconds: Invalid value"}', listSecrets).message,
      /Invalid value/,
    );
    assert.doesNotMatch(errorFromStatus(500, '<html>gateway secret page</html>', listSecrets).message, /html/);
  });

  it('never carries a token in the message', () => {
    const error = errorFromStatus(400, JSON.stringify({ message: `bad token ${JWT}\nsecond line` }), listSecrets);
    assert.ok(!error.message.includes(JWT));
    assert.ok(!error.message.includes('second line'));
    assert.match(error.message, /<redacted token>/);
    assert.equal(redactTokens(`data: ${Buffer.from(JWT).toString('base64')}`), 'data: <redacted token>');
  });
});

describe('errorFromNetwork', () => {
  const server = 'https://127.0.0.1:6443';
  it('tells TLS failures from unreachable servers', () => {
    const tls = errorFromNetwork(
      Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      server,
      listSecrets,
    );
    assert.equal(tls.kind, 'tls');
    assert.match(tls.message, /certificate-authority/);
    assert.equal(
      errorFromNetwork(Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), server, listSecrets)
        .kind,
      'tls',
    );
    const refused = errorFromNetwork(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      server,
      listSecrets,
    );
    assert.equal(refused.kind, 'unreachable');
    assert.equal(
      refused.message,
      'cannot reach https://127.0.0.1:6443 (connection refused) while trying to list secrets in namespace team-b',
    );
  });

  it('passes ClusterErrors through and is recognisable without instanceof', () => {
    const original = new ClusterError('cancelled', 'cancelled');
    assert.equal(errorFromNetwork(original, server, listSecrets), original);
    assert.ok(isClusterError(original));
    assert.ok(!isClusterError(new Error('x')));
    assert.ok(isClusterError(Object.assign(new Error('y'), { name: 'ClusterError', kind: 'tls' })));
  });
});
