// Hostile input for the token core, beyond the token engineer's own property tests (test/unit/core/tokens/): arbitrary
// bytes and full Unicode, invalid UTF-8 inside parts, every truncation of a real token, any JSON as header or
// payload, alg "none" spellings, junk key files, and output that stays inert and signature-free whatever the claims.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { explainMarkdown, explainText } from '../../../src/core/tokens/explain';
import { findTokenAt, findTokens } from '../../../src/core/tokens/finder';
import { inspectMatch, inspectToken, isTokenError } from '../../../src/core/tokens/inspect';
import { redactedReplacement, scanForTokenProblems } from '../../../src/core/tokens/scan';
import type { TokenMatch, TokenReport } from '../../../src/core/tokens/types';
import { parseKeys, verifySignature, type VerificationKey } from '../../../src/core/tokens/verify';
import {
  assembleToken,
  base64url,
  generateKeys,
  mintBoundToken,
  mintJwt,
  mintLegacyToken,
  signatureOf,
  wrapBase64,
  type TestKeys,
} from '../core/tokens/mint';
import { figures, timed } from './figures';

const run = figures('tokens');
const NOW = new Date('2024-03-01T10:05:00Z');
/** Characters a terminal or editor acts on (ESC, C0/C1 controls except \n, bidi overrides, line separators). */
const ACTIVE_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let keys: TestKeys;
let verificationKeys: VerificationKey[];
let legacy: string;
let bound: string;

before(async () => {
  keys = await generateKeys('RS256');
  verificationKeys = await parseKeys(keys.publicPem, 'test.pem');
  legacy = await mintLegacyToken(keys);
  bound = await mintBoundToken(keys, {
    issuedAt: new Date('2024-03-01T10:00:00Z'),
    pod: { name: 'web-0', uid: 'u-1' },
  });
});

/** Every structural promise of the finder, for any text. */
function assertWellFormedMatches(text: string, matches: TokenMatch[]): void {
  let previousEnd = 0;
  for (const match of matches) {
    assert.ok(
      match.start >= previousEnd && match.end > match.start && match.end <= text.length,
      'ordered, in range, non-overlapping',
    );
    const covered = text.slice(match.start, match.end);
    if (match.source === 'base64') assert.ok(Buffer.from(covered, 'base64').toString('latin1').includes(match.jwt));
    else assert.ok(covered.endsWith(match.jwt), 'a raw or Bearer match ends with its JWT');
    assert.equal(match.jwt.split('.').length, 3);
    previousEnd = match.end;
  }
}

/** Everything the core does with text from a file, at once: none of it may throw. */
function runWholeCore(text: string): void {
  const matches = findTokens(text);
  assertWellFormedMatches(text, matches);
  for (const match of matches) {
    const report = inspectMatch(match, { now: NOW });
    if (!isTokenError(report)) assertInertExplanation(report);
    assert.ok(!redactedReplacement(match).includes(match.jwt));
  }
  scanForTokenProblems(text, { expired: 'anywhere', committed: true, now: NOW });
  findTokenAt(text, Math.floor(text.length / 2));
  const result = inspectToken(text, { now: NOW });
  if (isTokenError(result)) assert.doesNotMatch(result.error, /\n/, 'errors are one line');
}

function assertInertExplanation(report: TokenReport): void {
  const text = explainText(report, { timeZone: 'utc', now: NOW });
  assert.doesNotMatch(text, ACTIVE_CHARACTERS, 'plain text explanation is terminal-safe');
  const markdown = explainMarkdown(report, { timeZone: 'utc', now: NOW });
  assert.doesNotMatch(markdown, /\u202e|\u0000/);
}

describe('reliability: token finder and decoder on arbitrary input', () => {
  it('never throws on arbitrary bytes read as UTF-8 or Latin-1', () =>
    run.fuzz(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        runWholeCore(Buffer.from(bytes).toString('utf8'));
        runWholeCore(Buffer.from(bytes).toString('latin1'));
      }),
      600,
    ));

  it('never throws on full-Unicode text with lone surrogates mixed with token pieces', () => {
    const pieces = fc.constantFrom(
      'eyJ',
      'ZXlK',
      '.',
      '..',
      'Bearer\t',
      '==',
      '\uD800',
      '\uDFFF',
      '\u202e',
      '\r\n',
      'eyJhbGciOiJub25lIn0',
    );
    return run.fuzz(
      fc.property(
        fc.array(fc.oneof(pieces, fc.string({ unit: 'binary', maxLength: 10 })), { maxLength: 30 }),
        (parts) => runWholeCore(parts.join('')),
      ),
      300,
    );
  });

  it('finds real tokens unchanged inside arbitrary binary noise', () =>
    run.fuzz(
      fc.property(
        fc.uint8Array({ maxLength: 60 }),
        fc.uint8Array({ maxLength: 60 }),
        fc.boolean(),
        (before, after, wrapped) => {
          // A separator keeps noise from extending the token's own character run.
          const token = wrapped ? wrapBase64(legacy) : legacy;
          const text = `${Buffer.from(before).toString('latin1')}\n${token}\n${Buffer.from(after).toString('latin1')}`;
          const found = findTokens(text).map((match) => match.jwt);
          assert.ok(found.includes(legacy), 'the token is still found');
        },
      ),
      400,
    ));

  it('never throws for any JSON value as header or payload, and only objects decode', () =>
    run.fuzz(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), (header, payload) => {
        const result = inspectToken(assembleToken(header, payload, 'c2ln'), { now: NOW });
        const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
        if (!isTokenError(result)) {
          assert.ok(isObject(result.claims) && isObject(result.header));
          assertInertExplanation(result);
        }
      }),
      500,
    ));

  it('decodes any claims object, and its explanation stays inert and bounded', () =>
    run.fuzz(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 12 }),
        (claims) => {
          const withHeader = assembleToken({ alg: 'RS256', kid: 'k' }, claims, 'c2ln');
          const report = inspectToken(withHeader, { now: NOW });
          assert.ok(!isTokenError(report), 'every JSON object is a claims set');
          assertInertExplanation(report);
        },
      ),
      500,
    ));

  it('never throws on invalid UTF-8 and random bytes inside the header or payload part', () =>
    run.fuzz(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, inHeader) => {
        const part = base64url(new Uint8Array([0x7b, ...bytes, 0x7d]));
        const token = inHeader
          ? `eyJ${part}.${base64url({ sub: 'x' })}.c2ln`
          : `${base64url({ alg: 'RS256' })}.${part}.c2ln`;
        const result = inspectToken(token, { now: NOW });
        if (isTokenError(result)) assert.match(result.error, /^(malformed token|not a token)/);
        runWholeCore(token);
      }),
      500,
    ));

  it('every truncation of a real token is an error or a report, never a throw', () => {
    for (const token of [legacy, bound, wrapBase64(legacy)]) {
      for (let length = 0; length <= token.length; length++) {
        const result = inspectToken(token.slice(0, length), { now: NOW });
        if (isTokenError(result)) assert.doesNotMatch(result.error, /\n/);
        run.cases();
      }
    }
    const [header, payload] = legacy.split('.');
    const cut = inspectToken(`${header}.${payload}`);
    assert.ok(isTokenError(cut) && /three dot-separated parts, this has 2/.test(cut.error));
  });
});

describe('reliability: unsigned tokens and signature checks', () => {
  it('no spelling of alg "none", with or without a signature, ever verifies', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      for (const signature of ['', signatureOf(legacy), 'c2ln']) {
        const token = assembleToken(
          { alg, kid: keys.kid },
          { sub: 'system:serviceaccount:kube-system:admin' },
          signature,
        );
        const report = inspectToken(token, { now: NOW });
        assert.ok(!isTokenError(report));
        assert.ok(
          report.findings.some((finding) => finding.code === 'unsigned' && finding.severity === 'error'),
          alg,
        );
        const verdict = await verifySignature(token, verificationKeys);
        assert.ok(verdict.checked && !verdict.valid, `${alg} with signature "${signature.slice(0, 4)}"`);
        run.cases();
      }
    }
  });

  it('a real signature on other claims, or an HMAC made with the public key, never verifies', async () => {
    const [header, , signature] = legacy.split('.');
    const swapped = `${header}.${base64url({ sub: 'system:serviceaccount:kube-system:admin' })}.${signature}`;
    const hmacSecret = new TextEncoder().encode(keys.publicPem);
    const { SignJWT } = await import('jose');
    const hmac = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256', kid: keys.kid }).sign(hmacSecret);
    for (const token of [swapped, hmac]) {
      const verdict = await verifySignature(token, verificationKeys);
      assert.ok(verdict.checked && !verdict.valid);
      run.cases();
    }
    assert.deepEqual(await verifySignature(legacy, verificationKeys), {
      checked: true,
      valid: true,
      keyId: keys.kid,
      reason: null,
      keySource: 'test.pem',
    });
  });

  it('verifySignature never throws and never accepts arbitrary text', () =>
    run.fuzz(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        const verdict = await verifySignature(text, verificationKeys);
        assert.ok(!(verdict.checked && verdict.valid));
      }),
      300,
    ));

  it('junk key files give one clear line naming the file, never key bytes', () =>
    run.fuzz(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.constantFrom(
            '{',
            '{"keys": 3}',
            '{"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB"}]}',
            '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
          ),
          fc.jsonValue().map((value) => JSON.stringify({ keys: [value] })),
        ),
        async (text) => {
          try {
            const parsed = await parseKeys(text, 'junk.pem');
            assert.ok(parsed.length > 0);
          } catch (error) {
            assert.ok(error instanceof Error);
            assert.match(error.message, /^junk\.pem: /);
            assert.doesNotMatch(error.message, /\n/);
          }
        },
      ),
      400,
    ));
});

describe('reliability: size bounds', () => {
  it('junk lines of 2 MB in every shape finish in bounded time with no match', () => {
    const junks = [
      `Bearer ${'eyJ.'.repeat(500_000)}`,
      'ZXlK'.repeat(500_000),
      `${'ZXlKaGJHY2lPaUpTVXpJMU5pSjku'.repeat(70_000)}==`,
      '.'.repeat(2_000_000),
      `eyJhbGciOiJSUzI1NiJ9.${'A'.repeat(2_000_000)}`,
      Buffer.from(Array.from({ length: 2_000_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    ];
    for (const junk of junks) {
      const ms = timed(() => {
        assert.deepEqual(findTokens(junk), []);
        scanForTokenProblems(junk, { expired: 'anywhere', committed: true });
      });
      assert.ok(ms < 3000, `${junk.slice(0, 12)}…: ${Math.round(ms)} ms`);
      run.cases();
    }
  });

  it('a 1 MB payload is scanned, explained and redacted in bounded time without its signature', async () => {
    const big = await mintJwt(keys, {
      sub: 'system:serviceaccount:default:big',
      'kubernetes.io/serviceaccount/namespace': 'default',
      pad: 'x'.repeat(1 << 20),
    });
    const text = `token: ${wrapBase64(big)}\nother: ${big}\n`;
    const ms = timed(() => {
      const problems = scanForTokenProblems(text, { expired: 'anywhere', committed: true, now: NOW });
      assert.equal(problems.length, 2);
      for (const problem of problems) assert.ok(!redactedReplacement(problem.match).includes(signatureOf(big)));
      const report = inspectToken(big, { now: NOW });
      assert.ok(!isTokenError(report));
      const markdown = explainMarkdown(report, { timeZone: 'utc', now: NOW });
      assert.ok(markdown.length < 60_000, 'hover markdown is capped');
      assert.ok(!markdown.includes(signatureOf(big)));
    });
    assert.ok(ms < 5000, `${Math.round(ms)} ms`);
    run.cases();
  });

  it('a file with 10,000 tokens is scanned in bounded time', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `t${i}=${i % 2 ? bound : legacy}`).join('\n');
    const ms = timed(() => assert.equal(findTokens(text).length, 10_000));
    assert.ok(ms < 5000, `${Math.round(ms)} ms`);
    run.cases();
  });
});
