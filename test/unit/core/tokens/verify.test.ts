import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importPKCS8, SignJWT } from 'jose';
import { parseKeys, verifySignature } from '../../../../src/core/tokens/verify';
import { assembleToken, generateKeys, mintBoundToken, mintLegacyToken, type TestKeys } from './mint';

let rsa: TestKeys;
let ec: TestKeys;
let other: TestKeys;
const workDir = mkdtempSync(join(tmpdir(), 'sa-token-verify-'));

before(async () => {
  [rsa, ec, other] = await Promise.all([generateKeys('RS256'), generateKeys('ES256'), generateKeys('RS256')]);
});
after(() => rmSync(workDir, { recursive: true, force: true }));

describe('parseKeys', () => {
  it('reads several PEM public keys and computes the Kubernetes kid', async () => {
    const keys = await parseKeys(`${rsa.publicPem}${ec.publicPem}`, 'sa.pub');
    assert.deepEqual(
      keys.map((k) => [k.kid, k.label]),
      [
        [rsa.kid, 'sa.pub'],
        [ec.kid, 'sa.pub'],
      ],
    );
  });

  it('reads a JWKS and keeps its kids', async () => {
    const jwks = JSON.stringify({
      keys: [
        { ...rsa.jwk, kid: 'custom-kid' },
        { ...ec.jwk, kid: undefined },
      ],
    });
    const keys = await parseKeys(jwks, 'jwks.json');
    assert.deepEqual(
      keys.map((k) => k.kid),
      ['custom-kid', ec.kid],
    );
  });

  it('reads a certificate and matches the kid openssl computes', async () => {
    const keyFile = join(workDir, 'key.pem');
    const certFile = join(workDir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=sa-signer',
        '-days',
        '1',
      ],
      { stdio: 'ignore' },
    );
    const der = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-pubkey']);
    const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: der });
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: spki });
    const [key] = await parseKeys(readFileSync(certFile, 'utf8'), 'cert.pem');
    assert.equal(key.kid, digest.toString('base64url'));

    const privateKey = await importPKCS8(readFileSync(keyFile, 'utf8'), 'RS256');
    const token = await new SignJWT({ sub: 'system:serviceaccount:a:b' })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(privateKey);
    assert.deepEqual(await verifySignature(token, [key]), {
      checked: true,
      valid: true,
      keyId: key.kid,
      reason: null,
      keySource: 'cert.pem',
    });
    const [fromPrivate] = await parseKeys(readFileSync(keyFile, 'utf8'), 'sa.key');
    assert.equal(fromPrivate.kid, key.kid, 'a private key file yields its public half');
  });

  it('rejects files without keys, broken PEM and broken JWKS with one clear line', async () => {
    const cases: [string, RegExp][] = [
      ['just text', /no public key found/],
      ['-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n', /not a valid key/],
      ['{"keys": [', /not valid JSON/],
      ['{"kty": "RSA"}', /"keys" array/],
      ['{"keys": [{"kty": "RSA", "n": "AQAB"}]}', /not a valid public JWK/],
      ['{"keys": []}', /no public key found/],
    ];
    for (const [text, message] of cases) {
      await assert.rejects(parseKeys(text, 'keys.txt'), (error: Error) => {
        assert.match(error.message, message);
        assert.match(error.message, /^keys\.txt: /);
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    }
  });
});

describe('verifySignature', () => {
  it('says nothing was checked without keys', async () => {
    assert.deepEqual(await verifySignature(await mintLegacyToken(rsa), []), { checked: false });
  });

  it('finds the right key by kid among several (RSA and EC)', async () => {
    const keys = await parseKeys([other.publicPem, ec.publicPem, rsa.publicPem].join('\n'), 'keys.pem');
    for (const [signer, token] of [
      [rsa, await mintLegacyToken(rsa)],
      [ec, await mintBoundToken(ec, { issuedAt: new Date('2020-01-01T00:00:00Z') })],
    ] as const) {
      assert.deepEqual(await verifySignature(token, keys), {
        checked: true,
        valid: true,
        keyId: signer.kid,
        reason: null,
        keySource: 'keys.pem',
      });
    }
  });

  it('tries every key when the token carries no kid', async () => {
    const keys = await parseKeys(JSON.stringify({ keys: [{ ...rsa.jwk, kid: 'renamed' }] }), 'jwks.json');
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    assert.deepEqual(await verifySignature(token, keys), {
      checked: true,
      valid: true,
      keyId: 'renamed',
      reason: null,
      keySource: 'jwks.json',
    });
  });

  it('reports a wrong key, a tampered payload and unsigned tokens as not valid with a reason', async () => {
    const token = await mintLegacyToken(rsa);
    const wrongKey = await verifySignature(token, await parseKeys(other.publicPem, 'other.pem'), 'cluster prod');
    assert.equal(wrongKey.checked && wrongKey.valid, false);
    // Says whose keys were tried: the user's key files and a cluster's keys read differently.
    assert.equal(
      wrongKey.checked ? wrongKey.reason : '',
      "not signed by any key of cluster prod (none of its 1 key has the token's kid)",
    );

    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from('{"sub":"system:serviceaccount:kube-system:admin"}').toString('base64url')}.${signature}`;
    const tampered = await verifySignature(forged, await parseKeys(rsa.publicPem, 'sa.pub'));
    assert.deepEqual(tampered, {
      checked: true,
      valid: false,
      keyId: null,
      reason: "the signature does not match the key of the given key set with the token's kid",
    });

    const none = await verifySignature(
      assembleToken({ alg: 'none', kid: rsa.kid }, { sub: 'x' }),
      await parseKeys(rsa.publicPem, 'sa.pub'),
    );
    assert.match(none.checked ? (none.reason ?? '') : '', /unsigned/);
    const junk = await verifySignature('not a token', await parseKeys(rsa.publicPem, 'sa.pub'));
    assert.equal(junk.checked && junk.valid, false);
  });

  it('does not check expiry: an expired token with a good signature is valid', async () => {
    const expired = await mintBoundToken(rsa, { issuedAt: new Date('2019-01-01T00:00:00Z') });
    const result = await verifySignature(expired, await parseKeys(rsa.publicPem, 'sa.pub'));
    assert.equal(result.checked && result.valid, true);
  });
});
