import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { findTokens } from '../../../../src/core/tokens/finder';
import { redactedReplacement, scanForTokenProblems, type ScanOptions } from '../../../../src/core/tokens/scan';
import {
  assembleToken,
  generateKeys,
  mintBoundToken,
  mintJwt,
  mintLegacyToken,
  signatureOf,
  wrapBase64,
  type TestKeys,
} from './mint';

const NOW = new Date('2024-06-01T00:00:00Z');
let keys: TestKeys;

before(async () => {
  keys = await generateKeys('ES256');
});

const summary = (text: string, options: Omit<ScanOptions, 'now'> = { expired: 'anywhere', committed: true }) =>
  scanForTokenProblems(text, { now: NOW, ...options }).map((p) => [
    p.rule,
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
      ['SAT301', 'error', 'ZXlKaG'],
      ['SAT301', 'error', 'Bearer'],
      ['SAT301', 'info', 'eyJhbG'],
      ['SAT302', 'warning', 'eyJhbG'],
    ]);
    const [leak, liveLeak] = scanForTokenProblems(text, { now: NOW, expired: 'anywhere', committed: true });
    assert.match(
      leak.message,
      /^Legacy service account token ci\/builder in a file is a credential leak: it never expires/,
    );
    assert.match(liveLeak.message, /can use it until it expires \(in 59 min\); remove it\.$/);
  });

  it('leaves service-account-shaped tokens no API server signed: alg none, empty or short signatures, HS256', async () => {
    const claims = { iss: 'kubernetes/serviceaccount', 'kubernetes.io/serviceaccount/namespace': 'ci', sub: 'x' };
    const legacy = await mintLegacyToken(keys);
    const fakes = [
      assembleToken({ alg: 'none' }, claims),
      assembleToken({ alg: 'ES256' }, claims),
      assembleToken({ alg: 'RS256' }, claims, 'c2lnbmF0dXJl'),
      legacy.slice(0, legacy.length - 10),
      // An ES256 signature's bytes under an HS256 header: no API server signs with a shared secret.
      assembleToken({ alg: 'HS256' }, claims, signatureOf(legacy)),
    ];
    for (const fake of fakes) assert.deepEqual(summary(fake), [], fake.split('.')[0]);
    const rsa = await mintLegacyToken(await generateKeys('RS256'));
    assert.deepEqual(summary(rsa), [['SAT301', 'error', 'eyJhbG']]);
  });

  it('in a kubeconfig, names the user whose token expired; with `kubeconfig` nothing else', async () => {
    const expired = await mintBoundToken(keys, {
      namespace: 'ci',
      serviceAccount: 'deployer',
      issuedAt: new Date(NOW.getTime() - 3 * 3600_000),
    });
    const oidc = await mintJwt(keys, { sub: 'alice', exp: Math.floor(NOW.getTime() / 1000) - 60 });
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'users:',
      '- name: "ci-deployer@prod\\u001b[31m"',
      '  user:',
      `    token: "${expired}"`,
      '- name: alice',
      '  user:',
      '    auth-provider:',
      '      config:',
      `        id-token: ${oidc}`,
      '',
    ].join('\n');
    const options = { committed: false, expired: 'kubeconfig', fileName: 'deploy/ci.yaml' } as const;
    const problems = scanForTokenProblems(kubeconfig, { now: NOW, ...options });
    assert.deepEqual(
      problems.map((p) => [p.rule, p.severity, kubeconfig.slice(p.match.start, p.match.end) === expired]),
      [['SAT302', 'warning', true]],
    );
    assert.equal(
      problems[0].message,
      'The token of kubeconfig user "ci-deployer@prod__31m" expired 1 h ago: the API server answers 401 Unauthorized ' +
        'to every request with it; request a new one (kubectl create token deployer -n ci).',
    );
    // Not YAML by name and no kubeconfig name: not parsed, so no SAT302; a kubeconfig name needs no `kind`.
    assert.deepEqual(summary(kubeconfig, { ...options, fileName: 'notes.txt' }), []);
    const bare = kubeconfig.replace('kind: Config\n', '');
    assert.equal(summary(bare, { ...options, fileName: 'home/.kube/config' }).length, 1);
    assert.equal(summary(bare, { ...options, fileName: 'prod.kubeconfig' }).length, 1);
    assert.equal(summary(bare, { ...options, fileName: 'deploy/ci.yaml' }).length, 0);
    assert.equal(summary(kubeconfig, { ...options, fileName: undefined, yaml: true }).length, 1);
    // `anywhere` (the editor) also marks the expired id-token, as an expired token, not a kubeconfig user's.
    assert.deepEqual(
      scanForTokenProblems(kubeconfig, { now: NOW, ...options, expired: 'anywhere' }).map((p) => p.message),
      [problems[0].message, 'Token expired 1 min ago.'],
    );
    for (const problem of problems) assert.ok(!problem.message.includes(signatureOf(expired)));
  });

  it('stays linear with a kubeconfig of many users', async () => {
    const token = await mintBoundToken(keys, { issuedAt: new Date('2024-01-01T00:00:00Z') });
    const users = Array.from({ length: 3000 }, (_, i) => `- name: u${i}\n  user:\n    token: ${token}\n`);
    const text = `kind: Config\nusers:\n${users.join('')}`;
    const problems = scanForTokenProblems(text, {
      now: NOW,
      committed: true,
      expired: 'kubeconfig',
      fileName: 'x.yml',
    });
    assert.equal(problems.filter((p) => p.rule === 'SAT302').length, 3000);
    assert.ok(problems.every((p, i) => p.message.includes(`user "u${Math.floor(i / 2)}"`) || p.rule === 'SAT301'));
  });

  it('reports only expiry for other JWTs, and honours the switches', async () => {
    const generic = await mintJwt(keys, { sub: 'alice', exp: Math.floor(NOW.getTime() / 1000) - 3600 });
    assert.deepEqual(summary(generic), [['SAT302', 'warning', 'eyJhbG']]);
    assert.match(
      scanForTokenProblems(generic, { now: NOW, expired: 'anywhere', committed: false })[0].message,
      /^Token expired 1 h ago\.$/,
    );
    assert.deepEqual(summary(generic, { expired: 'kubeconfig', committed: true }), []);
    assert.deepEqual(summary(generic, { expired: false, committed: true }), []);
    const legacy = await mintLegacyToken(keys);
    assert.deepEqual(summary(legacy, { expired: 'anywhere', committed: false }), []);
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
