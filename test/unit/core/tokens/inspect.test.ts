import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { inspectToken, isTokenError, tokenErrorSentence, tokenInputProblem } from '../../../../src/core/tokens/inspect';
import type { TokenReport } from '../../../../src/core/tokens/types';
import {
  assembleToken,
  base64url,
  generateKeys,
  KUBELET_TOKEN_SECONDS,
  mintBoundToken,
  mintJwt,
  mintLegacyToken,
  signatureOf,
  wrapBase64,
  type TestKeys,
} from './mint';

const ISSUED = new Date('2024-03-01T10:00:00Z');
const minutesAfterIssue = (minutes: number): Date => new Date(ISSUED.getTime() + minutes * 60_000);
let rsa: TestKeys;
let ec: TestKeys;

before(async () => {
  [rsa, ec] = await Promise.all([generateKeys('RS256'), generateKeys('ES256')]);
});

function inspectOk(input: string, now = minutesAfterIssue(5)): TokenReport {
  const result = inspectToken(input, { now });
  if (isTokenError(result)) assert.fail(`expected a report, got: ${result.error}`);
  return result;
}
const codes = (report: TokenReport): string[] => report.findings.map((f) => f.code);

describe('inspectToken: legacy tokens', () => {
  it('classifies a secret-based token and says it never expires', async () => {
    const token = await mintLegacyToken(rsa, {
      namespace: 'ci',
      serviceAccount: 'deployer',
      secretName: 'deployer-token-abcde',
    });
    const report = inspectOk(token);
    assert.equal(report.kind, 'legacy');
    assert.equal(report.source, 'jwt');
    assert.deepEqual(
      [report.namespace, report.serviceAccount, report.secretName, report.issuer],
      ['ci', 'deployer', 'deployer-token-abcde', 'kubernetes/serviceaccount'],
    );
    assert.equal(report.serviceAccountUid, 'c8f2a7d4-1b3e-4f5a-9c6d-7e8f9a0b1c2d');
    assert.equal(report.boundTo, null);
    assert.equal(report.expiresAt, null);
    assert.equal(report.expired, null);
    assert.deepEqual(report.audience, []);
    assert.deepEqual(codes(report), ['legacy-non-expiring']);
    assert.match(report.findings[0].message, /Secret ci\/deployer-token-abcde/);
    assert.deepEqual(report.header, { alg: 'RS256', kid: rsa.kid });
    assert.deepEqual(report.signature, { checked: false });
  });
});

describe('inspectToken: bound tokens', () => {
  it('reads a pod binding with its node, audience and times', async () => {
    const token = await mintBoundToken(ec, {
      namespace: 'default',
      serviceAccount: 'default',
      issuedAt: ISSUED,
      lifetimeSeconds: 3600,
      pod: { name: 'busybox', uid: 'pod-uid' },
      node: { name: 'kind-worker', uid: 'node-uid' },
    });
    const report = inspectOk(token);
    assert.equal(report.kind, 'bound');
    assert.deepEqual(report.boundTo, { kind: 'pod', name: 'busybox', uid: 'pod-uid' });
    assert.deepEqual(report.node, { name: 'kind-worker', uid: 'node-uid' });
    assert.equal(report.secretName, null);
    assert.equal(report.issuedAt, '2024-03-01T10:00:00.000Z');
    assert.equal(report.notBefore, '2024-03-01T10:00:00.000Z');
    assert.equal(report.expiresAt, '2024-03-01T11:00:00.000Z');
    assert.equal(report.warnAfter, null);
    assert.equal(report.expired, false);
    assert.equal(report.jti, '5b0a9c1e-7d2f-4e3a-b6c8-d9e0f1a2b3c4');
    assert.deepEqual(report.audience, ['https://kubernetes.default.svc.cluster.local']);
    assert.deepEqual(codes(report), ['audience']);
    assert.equal(report.findings[0].severity, 'info');
  });

  it('reads secret and node-only bindings', async () => {
    const bySecret = inspectOk(
      await mintBoundToken(rsa, { issuedAt: ISSUED, secret: { name: 'my-secret', uid: 's1' } }),
    );
    assert.deepEqual(bySecret.boundTo, { kind: 'secret', name: 'my-secret', uid: 's1' });
    assert.equal(bySecret.secretName, 'my-secret');
    const byNode = inspectOk(await mintBoundToken(rsa, { issuedAt: ISSUED, node: { name: 'worker-1', uid: 'n1' } }));
    assert.deepEqual(byNode.boundTo, { kind: 'node', name: 'worker-1', uid: 'n1' });
    assert.equal(byNode.node, null);
    const unbound = inspectOk(await mintBoundToken(rsa, { issuedAt: ISSUED, jti: null }));
    assert.equal(unbound.boundTo, null);
    assert.equal(unbound.jti, null);
  });

  it('explains extended expiration and flags use past warnafter', async () => {
    const token = await mintBoundToken(rsa, {
      issuedAt: ISSUED,
      extendedExpiration: true,
      pod: { name: 'p', uid: 'u' },
    });
    const fresh = inspectOk(token, minutesAfterIssue(10));
    assert.equal(fresh.warnAfter, new Date(ISSUED.getTime() + KUBELET_TOKEN_SECONDS * 1000).toISOString());
    assert.equal(fresh.expiresAt, '2025-03-01T10:00:00.000Z');
    assert.deepEqual(codes(fresh), ['extended-expiration', 'audience']);
    assert.match(fresh.findings[0].message, /intended lifetime 1 h/);
    const stale = inspectOk(token, minutesAfterIssue(120));
    assert.deepEqual(codes(stale), ['past-warnafter', 'extended-expiration', 'audience']);
    assert.equal(stale.expired, false);
    const dead = inspectOk(token, new Date('2026-01-01T00:00:00Z'));
    assert.deepEqual(codes(dead), ['expired', 'extended-expiration', 'audience']);
    assert.match(dead.findings[0].message, /Expired 10 months ago/);
  });

  it('flags expired, not-yet-valid and long-lived tokens', async () => {
    const hour = inspectOk(
      await mintBoundToken(rsa, { issuedAt: ISSUED, lifetimeSeconds: 3600 }),
      minutesAfterIssue(61),
    );
    assert.equal(hour.expired, true);
    assert.deepEqual(codes(hour), ['expired', 'audience']);
    // The severity of SAT302 in Problems too (issue 18: the same finding, the same severity).
    assert.equal(hour.findings[0].severity, 'warning');
    const early = inspectOk(await mintBoundToken(rsa, { issuedAt: ISSUED }), minutesAfterIssue(-30));
    assert.deepEqual(codes(early), ['not-yet-valid', 'audience']);
    const month = inspectOk(await mintBoundToken(rsa, { issuedAt: ISSUED, lifetimeSeconds: 30 * 86400 }));
    assert.deepEqual(codes(month), ['long-lived', 'audience']);
    assert.match(month.findings[0].message, /30 days/);
  });
});

describe('inspectToken: other JWTs and input forms', () => {
  it('decodes a generic JWT with registered claims', async () => {
    const token = await mintJwt(ec, {
      iss: 'https://idp.example',
      sub: 'alice',
      aud: 'api',
      iat: 1709287200,
      exp: 1709290800,
    });
    const report = inspectOk(token);
    assert.equal(report.kind, 'jwt');
    assert.equal(report.namespace, null);
    assert.deepEqual(report.audience, ['api']);
    assert.equal(report.issuer, 'https://idp.example');
  });

  it('accepts Bearer, base64, whitespace and quotes, and keeps the signature out of the report', async () => {
    const token = await mintBoundToken(rsa, { issuedAt: ISSUED });
    const inputs: [string, string][] = [
      [`  ${token}\n`, 'jwt'],
      [`"${token}"`, 'jwt'],
      [`Bearer ${token}`, 'bearer'],
      [`'Bearer ${token}'`, 'bearer'],
      [`Authorization: Bearer ${token}\r\n`, 'bearer'],
      [`${wrapBase64(token)}\n`, 'base64'],
      [wrapBase64(`${token}\n`), 'base64'],
    ];
    for (const [input, source] of inputs) {
      const report = inspectOk(input);
      assert.equal(report.source, source);
      assert.ok(!JSON.stringify(report).includes(signatureOf(token)));
    }
  });

  it('rejects what is not exactly one token with a clear error', async () => {
    const token = await mintLegacyToken(rsa);
    const [header, payload] = token.split('.');
    const cases: [string, RegExp][] = [
      ['', /empty input/],
      ['hello world', /not a token/],
      [`${header}.${payload}`, /three dot-separated parts, this has 2/],
      [`${token} ${token}`, /found 2 tokens/],
      [`prefix ${token}`, /not a token/],
      [`${header}.${payload.slice(0, 20)}.sig`, /malformed token/],
    ];
    for (const [input, error] of cases) {
      const result = inspectToken(input);
      assert.ok(isTokenError(result), input);
      assert.match(result.error, error);
      assert.ok(!result.error.includes(payload.slice(0, 20)));
    }
  });
});

describe('inspectToken: hostile input', () => {
  it('flags alg none and empty signatures as unsigned errors', async () => {
    const none = inspectOk(assembleToken({ alg: 'none' }, { sub: 'system:serviceaccount:kube-system:admin' }));
    assert.deepEqual(codes(none), ['unsigned']);
    assert.equal(none.findings[0].severity, 'error');
    assert.equal(none.namespace, 'kube-system');
    const stripped = (await mintLegacyToken(rsa)).split('.').slice(0, 2).join('.') + '.';
    assert.deepEqual(codes(inspectOk(stripped)), ['unsigned', 'legacy-non-expiring']);
  });

  it('returns an error, never throws, for payloads that are not JSON objects', () => {
    const header = { alg: 'RS256' };
    for (const payload of [[1, 2], 42, null, 'text']) {
      const result = inspectToken(assembleToken(header, payload, 'c2ln'));
      assert.ok(isTokenError(result));
      assert.match(result.error, /malformed token/);
    }
    const invalidUtf8 = `${base64url(header)}.${base64url(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))}.c2ln`;
    assert.ok(isTokenError(inspectToken(invalidUtf8)));
  });

  it('reports claims of the wrong type as malformed without failing', () => {
    const token = assembleToken(
      { alg: 'RS256' },
      {
        exp: 'tomorrow',
        iat: 1e300,
        aud: [1, 'x'],
        iss: 7,
        'kubernetes.io': { namespace: 'ns', warnafter: 'soon', pod: 'x' },
      },
      'c2ln',
    );
    const report = inspectOk(token);
    assert.equal(report.kind, 'bound');
    assert.equal(report.expiresAt, null);
    assert.equal(report.issuedAt, null);
    assert.deepEqual(report.audience, ['x']);
    assert.equal(report.boundTo, null);
    assert.deepEqual(codes(report).filter((c) => c === 'malformed').length, 5);
  });

  it('keeps hostile claim text as data', async () => {
    const token = await mintJwt(rsa, { sub: '[x](command:workbench.action.quit) <img src=x onerror=alert(1)> ```' });
    assert.equal(inspectOk(token).claims.sub, '[x](command:workbench.action.quit) <img src=x onerror=alert(1)> ```');
  });

  it('never throws on arbitrary input, however token-like', () => {
    const pieces = fc.constantFrom(
      'eyJ',
      'ZXlK',
      '.',
      'Bearer ',
      '"',
      'eyJhbGciOiJub25lIn0',
      'e30',
      'bnVsbA',
      '\u0000',
      '\uD800',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 })), { maxLength: 12 }), (parts) => {
        const result = inspectToken(parts.join(''));
        assert.ok(isTokenError(result) || Array.isArray(result.findings));
      }),
      { numRuns: 500 },
    );
  });

  it('decodes a 1 MB payload', async () => {
    const token = await mintJwt(rsa, { sub: 'big', padding: 'A'.repeat(1024 * 1024) });
    const report = inspectOk(token);
    assert.equal((report.claims.padding as string).length, 1024 * 1024);
  });
});

describe('tokenInputProblem: the Decode Token box validates as the user types', () => {
  it('accepts one token in any pasted form', async () => {
    const token = await mintBoundToken(rsa, { issuedAt: ISSUED });
    for (const input of [token, `Bearer ${token}`, `  "${token}"\n`, wrapBase64(token)]) {
      assert.equal(tokenInputProblem(input), undefined, input.slice(0, 20));
    }
  });

  it('says why anything else is not a token, in one sentence with no doubled prefix and no echo of the input', () => {
    const secretLooking = 'hunter2-not-a-token';
    const problem = tokenInputProblem(secretLooking);
    assert.ok(problem);
    assert.match(problem, /^Not a token: /);
    assert.doesNotMatch(problem, /not a token: .*not a token/i);
    assert.ok(!problem.includes(secretLooking));
    assert.ok(problem.endsWith('.'));
    assert.match(
      tokenInputProblem('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0') ?? '',
      /three dot-separated parts.*truncated/,
    );
  });

  it('reports a malformed payload of a token-shaped input', () => {
    const malformed = `${base64url('{"alg":"RS256"}')}.${base64url('not json')}.${base64url('sig')}`;
    assert.ok(tokenInputProblem(malformed));
  });

  it('turns a core error into one sentence', () => {
    assert.equal(tokenErrorSentence({ error: 'empty input: expected a token' }), 'Empty input: expected a token.');
  });
});
