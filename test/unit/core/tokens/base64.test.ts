// The web worker's base64 path (atob + TextDecoder) gives what Node's Buffer gives, so a token decodes the same in
// vscode.dev as on the desktop. Callers pass only text already checked against the alphabet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeBase64, decodeWithAtob, type TextEncoding } from '../../../../src/core/tokens/base64';

const ENCODINGS: TextEncoding[] = ['utf8', 'latin1'];

function withBuffer(base64: string, encoding: TextEncoding) {
  const bytes = Buffer.from(base64, 'base64');
  return { text: bytes.toString(encoding), byteLength: bytes.length };
}

test('any bytes, as standard or url-safe base64, padded or not: atob decodes them as Buffer does', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 96 }), fc.boolean(), fc.boolean(), (bytes, urlSafe, padded) => {
      let base64 = Buffer.from(bytes).toString(urlSafe ? 'base64url' : 'base64');
      if (!padded) base64 = base64.replace(/=+$/, '');
      else if (urlSafe) base64 += '='.repeat((4 - (base64.length % 4)) % 4);
      for (const encoding of ENCODINGS) {
        assert.deepEqual(decodeWithAtob(base64, encoding), withBuffer(base64, encoding));
        assert.deepEqual(decodeBase64(base64, encoding), withBuffer(base64, encoding));
      }
    }),
    { numRuns: 500 },
  );
});

test('a byte order mark and invalid UTF-8 read the same on both paths', () => {
  for (const bytes of [[0xef, 0xbb, 0xbf, 0x7b, 0x7d], [0xc3, 0x28], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xff]]) {
    const base64 = Buffer.from(bytes).toString('base64');
    assert.deepEqual(decodeWithAtob(base64, 'utf8'), withBuffer(base64, 'utf8'), String(bytes));
  }
});

test('a character outside both alphabets: the web path refuses the text (Buffer would skip it)', () => {
  for (const junk of ['eyJh*bGci', 'eyJh.bGci', 'eyJhbGci%']) assert.equal(decodeWithAtob(junk, 'utf8'), undefined);
});
