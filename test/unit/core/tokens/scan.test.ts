import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { findTokens } from '../../../../src/core/tokens/finder';
import { redactedReplacement, scanForTokenProblems } from '../../../../src/core/tokens/scan';
import { generateKeys, mintBoundToken, mintJwt, mintLegacyToken, wrapBase64, type TestKeys } from './mint';

const NOW = new Date('2024-06-01T00:00:00Z');
let keys: TestKeys;

before(async () => {
  keys = await generateKeys('ES256');
});

const summary = (text: string, options = { expired: true, committed: true }) =>
  scanForTokenProblems(text, { now: NOW, ...options }).map((p) => [
    p.code,
    p.severity,
    text.slice(p.match.start, p.match.end).slice(0, 6),
  ]);

describe('scanForTokenProblems', () => {
  it('flags a legacy Secret token as a leak, and bound tokens by whether they still work', async () => {
    const legacy = wrapBase64(await mintLegacyToken(keys, { namespace: 'ci', serviceAccount: 'builder' }));
    const live = await mintBoundToken(keys, { issuedAt: new Date(NOW.getTime() - 60_000) });
    const dead = await mintBoundToken(keys, { issuedAt: new Date('2024-01-01T00:00:00Z') });
    const text = `data:\n  token: ${legacy}\nAuthorization: Bearer ${live}\nold=${dead}\n`;
    assert.deepEqual(summary(text), [
      ['token-committed', 'error', 'ZXlKaG'],
      ['token-committed', 'warning', 'Bearer'],
      ['token-committed', 'info', 'eyJhbG'],
      ['token-expired', 'warning', 'eyJhbG'],
    ]);
    const [leak] = scanForTokenProblems(text, { now: NOW, expired: true, committed: true });
    assert.match(
      leak.message,
      /^Legacy service account token ci\/builder in a file is a credential leak: it never expires/,
    );
  });

  it('reports only expiry for other JWTs, and honours the switches', async () => {
    const generic = await mintJwt(keys, { sub: 'alice', exp: Math.floor(NOW.getTime() / 1000) - 3600 });
    assert.deepEqual(summary(generic), [['token-expired', 'warning', 'eyJhbG']]);
    assert.match(
      scanForTokenProblems(generic, { now: NOW, expired: true, committed: false })[0].message,
      /^Token expired 1 h ago\.$/,
    );
    assert.deepEqual(summary(generic, { expired: false, committed: true }), []);
    const legacy = await mintLegacyToken(keys);
    assert.deepEqual(summary(legacy, { expired: true, committed: false }), []);
  });

  it('ignores text without decodable tokens', () => {
    assert.deepEqual(summary('eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln and plain text'), []);
  });
});

describe('redactedReplacement', () => {
  it('writes a placeholder without token bytes that keeps YAML valid', async () => {
    const hostileName = 'x: y\n- [z]';
    const token = await mintLegacyToken(keys, { namespace: 'prod', serviceAccount: hostileName });
    const manifest = `users:\n- name: u\n  user:\n    token: ${token}\nauth: "Bearer ${token}"\ndata:\n  token: ${wrapBase64(token)}\n`;
    let redacted = manifest;
    for (const match of findTokens(manifest).reverse()) {
      redacted = redacted.slice(0, match.start) + redactedReplacement(match) + redacted.slice(match.end);
    }
    assert.deepEqual(parse(redacted), {
      users: [{ name: 'u', user: { token: 'REDACTED-SA-TOKEN:prod/x__y_-__z_' } }],
      auth: 'Bearer REDACTED-SA-TOKEN:prod/x__y_-__z_',
      data: { token: 'REDACTED-SA-TOKEN:prod/x__y_-__z_' },
    });
    for (const part of token.split('.')) assert.ok(!redacted.includes(part.slice(0, 12)));
  });

  it('uses a generic placeholder for other JWTs', async () => {
    const [match] = findTokens(await mintJwt(keys, { sub: 'alice' }));
    assert.equal(redactedReplacement(match), 'REDACTED-TOKEN');
  });
});
