import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import { findTokenAt, findTokens } from '../../../../src/core/tokens/finder';
import {
  assembleToken,
  base64url,
  generateKeys,
  mintBoundToken,
  mintLegacyToken,
  wrapBase64,
  type TestKeys,
} from './mint';

let keys: TestKeys;
let bound: string;
let legacy: string;

before(async () => {
  keys = await generateKeys('ES256');
  bound = await mintBoundToken(keys, { pod: { name: 'busybox', uid: 'a1' }, node: { name: 'kind-worker', uid: 'n1' } });
  legacy = await mintLegacyToken(keys);
});

describe('findTokens', () => {
  it('finds a raw JWT with exact offsets', () => {
    const text = `TOKEN=${bound}\n`;
    assert.deepEqual(findTokens(text), [{ start: 6, end: 6 + bound.length, source: 'jwt', jwt: bound }]);
  });

  it('includes a Bearer prefix in the match', () => {
    const text = `Authorization: Bearer ${bound}`;
    const [match] = findTokens(text);
    assert.equal(match.source, 'bearer');
    assert.equal(text.slice(match.start, match.end), `Bearer ${bound}`);
    assert.equal(match.jwt, bound);
  });

  it('treats "bearer" case-insensitively but not as part of a longer word', () => {
    assert.equal(findTokens(`authorization: bearer\t${bound}`)[0].source, 'bearer');
    assert.equal(findTokens(`xbearer ${bound}`)[0].source, 'jwt');
  });

  it('unwraps the base64 token of a Secret manifest', () => {
    const wrapped = wrapBase64(legacy);
    const manifest = `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\ndata:\n  token: ${wrapped}\n  namespace: ZGVmYXVsdA==\n`;
    const matches = findTokens(manifest);
    assert.equal(matches.length, 1);
    assert.equal(matches[0].source, 'base64');
    assert.equal(matches[0].jwt, legacy);
    assert.equal(manifest.slice(matches[0].start, matches[0].end), wrapped);
    assert.equal(parse(manifest).data.token, wrapped);
  });

  it('finds the token of a kubeconfig user, plain or quoted', () => {
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]',
      'users:',
      '- name: plain',
      '  user:',
      `    token: ${bound}`,
      '- name: quoted',
      '  user:',
      `    token: "${legacy}"`,
    ].join('\n');
    const users = parse(kubeconfig).users as { user: { token: string } }[];
    const matches = findTokens(kubeconfig);
    assert.deepEqual(
      matches.map((m) => [m.source, m.jwt]),
      users.map((u) => ['jwt', u.user.token]),
    );
  });

  it('finds the token in a kubeconfig written by kubectl', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-token-kubeconfig-'));
    try {
      const kubeconfig = join(dir, 'config');
      const kubectl = (...args: string[]): string =>
        execFileSync('kubectl', [...args, `--kubeconfig=${kubeconfig}`], { encoding: 'utf8' });
      kubectl('config', 'set-cluster', 'dev', '--server=https://127.0.0.1:6443');
      kubectl('config', 'set-credentials', 'ci-bot', `--token=${bound}`);
      kubectl('config', 'set-context', 'dev', '--cluster=dev', '--user=ci-bot');
      const text = readFileSync(kubeconfig, 'utf8');
      const matches = findTokens(text);
      assert.deepEqual(
        matches.map((m) => [m.source, m.jwt]),
        [['jwt', bound]],
      );
      assert.equal(findTokenAt(text, matches[0].start + 5)?.jwt, bound);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds a token whatever non-token text surrounds it', () => {
    const delimiter = fc.constantFrom(' ', '"', "'", '\n', ',', ';', '=', ':', '(', '<', '\t');
    const filler = fc.string({ maxLength: 30 }).map((text) => text.replace(/[A-Za-z0-9+/=_.-]/g, ' '));
    fc.assert(
      fc.property(filler, delimiter, delimiter, filler, (before, open, close, after) => {
        const text = `${before}${open}${bound}${close}${after}`;
        const found = findTokens(text);
        assert.deepEqual(
          found.map((m) => [m.start, m.jwt]),
          [[before.length + open.length, bound]],
        );
      }),
      { numRuns: 200 },
    );
  });

  it('never throws and returns ordered, non-overlapping matches on arbitrary text', () => {
    const pieces = fc.constantFrom(
      'eyJ',
      'ZXlK',
      '.',
      'Bearer ',
      '=',
      'hbGciOiJ',
      'IiwiYWxnIjoi',
      '\n',
      ' ',
      bound.slice(0, 40),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        let previousEnd = 0;
        for (const match of findTokens(text)) {
          assert.ok(match.start >= previousEnd && match.end <= text.length);
          previousEnd = match.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns several tokens in order', () => {
    const text = `${legacy} and ${bound}, then Bearer ${legacy}.`;
    assert.deepEqual(
      findTokens(text).map((m) => [m.source, m.jwt]),
      [
        ['jwt', legacy],
        ['jwt', bound],
        ['bearer', legacy],
      ],
    );
  });

  it('finds an unsigned token (empty signature) so that it can be flagged', () => {
    const unsigned = assembleToken({ alg: 'none' }, { sub: 'x' });
    assert.equal(findTokens(`t=${unsigned} `)[0].jwt, unsigned);
  });

  it('has no false positives on ordinary base64 and eyJ-like text', () => {
    const notTokens = [
      Buffer.from('hello world, this is just some config data').toString('base64'),
      wrapBase64('{"alg":"RS256"}'),
      `${base64url({ kind: 'json', no: 'alg' })}.${base64url({ a: 1 })}.c2ln`,
      'eyJ.eyJ.eyJ',
      'eyJhbGciOiJSUzI1NiJ9', // a header alone
      `${base64url({ alg: 'RS256' })}.${base64url({ a: 1 })}`, // two parts
      'eyJmb28iOiJiYXIifQ==', // base64 JSON without alg, padded
      '{"eyJhbGciOiJIUzI1NiJ9": 1}',
      `${base64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`, // a JWE
    ];
    for (const text of notTokens) assert.deepEqual(findTokens(text), [], text);
  });

  // Linear work, asserted without a clock (the bench measures time): headers are decoded from bounded parts, each
  // distinct part at most once, so what reaches JSON.parse is never more than the text itself.
  it('stays linear on a 2 MB line of eyJ junk: each header candidate is decoded at most once', () => {
    const junks = [
      'eyJ'.repeat(700_000),
      'eyJhbGciOi.'.repeat(200_000),
      'eyJhbGcifQ.'.repeat(200_000),
      `ZXlK${'eyJh'.repeat(500_000)}`,
    ];
    for (const junk of junks) {
      const { result, parses, parsedCharacters } = countJsonParses(() => findTokens(junk));
      assert.deepEqual(result, []);
      assert.ok(parses <= 2, `${parses} JSON.parse calls: a repeated part was decoded again`);
      assert.ok(parsedCharacters <= junk.length, `${parsedCharacters} characters parsed from ${junk.length}`);
    }
  });

  it('decodes each of many different header-like parts once, never a part twice', () => {
    const parts = Array.from({ length: 20_000 }, (_, i) => base64url({ n: i }));
    const junk = `${parts.join('.')}.${parts.join('.')}`;
    const { result, parses, parsedCharacters } = countJsonParses(() => findTokens(junk));
    assert.deepEqual(result, []);
    assert.ok(parses <= parts.length, `${parses} JSON.parse calls for ${parts.length} different parts`);
    assert.ok(parsedCharacters <= junk.length, `${parsedCharacters} characters parsed from ${junk.length}`);
  });
});

describe('findTokenAt', () => {
  it('returns the token under the offset with absolute offsets', () => {
    const text = `first line\nexport T=Bearer ${bound} # comment\nlast`;
    const inside = text.indexOf(bound) + 40;
    const match = findTokenAt(text, inside);
    assert.ok(match);
    assert.equal(match.source, 'bearer');
    assert.equal(text.slice(match.start, match.end), `Bearer ${bound}`);
    assert.equal(findTokenAt(text, text.indexOf('comment')), undefined);
    assert.equal(findTokenAt(text, 2), undefined);
    assert.equal(findTokenAt(text, -1), undefined);
  });

  it('only scans the line at the offset, so a 200k-line file costs what one line does', () => {
    const line = `    token: ${bound}\n`;
    // Every other line holds a token with a header of its own: scanning them would decode each.
    const filler = Array.from(
      { length: 100_000 },
      (_, i) => `key: value\nother: ${assembleToken({ alg: 'RS256', kid: `k${i}` }, {}, 'sig')}\n`,
    ).join('');
    const text = filler + line + filler;
    const offset = filler.length + line.indexOf('eyJ') + 10;
    const { parses } = countJsonParses(() => {
      for (let i = 0; i < 100; i++) assert.equal(findTokenAt(text, offset)?.jwt, bound);
    });
    assert.ok(parses <= 100 * 4, `${parses} JSON.parse calls for 100 lookups: other lines were scanned`);
  });
});

describe('findTokenAt: a bounded window around the cursor', () => {
  /** What scanning the whole line finds at `offset` (the behaviour before the window). */
  function wholeLineTokenAt(text: string, offset: number) {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const newline = text.indexOf('\n', offset);
    const line = text.slice(lineStart, newline === -1 ? text.length : newline);
    const match = findTokens(line).find((m) => m.start + lineStart <= offset && offset <= m.end + lineStart);
    return match && { ...match, start: match.start + lineStart, end: match.end + lineStart };
  }

  it('finds exactly what scanning the whole line finds, at every offset', () => {
    const pieces = fc.constantFrom(
      () => bound,
      () => legacy,
      () => `Bearer ${bound}`,
      () => `bearer\t  ${legacy}`,
      () => wrapBase64(bound),
      () => `xBearer ${legacy}`,
      () => 'Bearer',
      () => 'eyJhbGciOiJub25lIn0',
      () => '.',
      () => '=',
      () => ' ',
      () => '\n',
      () => '"',
      () => 'a.b.c',
      () => 'ZXlK',
      () => 'x'.repeat(30),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 6 }), (parts) => {
        const text = parts.map((piece) => piece()).join('');
        const offsets = [
          -1,
          text.length + 1,
          ...Array.from({ length: 40 }, (_, i) => Math.floor((i * text.length) / 39)),
        ];
        for (const token of findTokens(text)) offsets.push(token.start - 1, token.start, token.end, token.end + 1);
        for (const offset of offsets) {
          assert.deepEqual(findTokenAt(text, offset), wholeLineTokenAt(text, offset), `offset ${offset} in ${text}`);
        }
      }),
      { seed: 20240301, numRuns: 150 },
    );
  });

  it('hover on a 10 MB single-line file decodes only the window around the cursor, not the whole line (hover-freeze attack)', () => {
    // A minified log line full of header-like junk (JSON objects without `alg`), each different so that no verdict
    // is reused, around one real token.
    const junk = (i: number) => `"${base64url({ n: i })}.eyJ.sig",`;
    const half = Array.from({ length: 200_000 }, (_, i) => junk(i)).join('');
    const text = `[${half}"Bearer ${bound}",${half}]`;
    assert.ok(text.length > 10_000_000);
    const offset = text.indexOf(bound) + 100;
    const { parses } = countJsonParses(() => assert.equal(findTokenAt(text, offset)?.jwt, bound));
    assert.ok(parses <= 4, `${parses} JSON.parse calls: the whole line was scanned`);
    console.log(`hover: a ${(text.length / 1e6).toFixed(1)} MB single line, ${parses} JSON.parse calls for one hover`);
  });

  it('finds no token inside a run of token characters longer than any token', () => {
    const text = `a ${'eyJhbGc'.repeat(20_000)}.${bound.split('.')[1]}.sig b`;
    assert.equal(findTokenAt(text, text.length - 6), undefined);
    assert.equal(findTokenAt(`x ${bound} y`, 5)?.jwt, bound);
  });
});

/** What `run` asks of JSON.parse, where every header candidate (raw or unwrapped from base64) ends: calls and characters. */
function countJsonParses<T>(run: () => T): { result: T; parses: number; parsedCharacters: number } {
  const originalParse = JSON.parse;
  let parses = 0;
  let parsedCharacters = 0;
  JSON.parse = (...args: Parameters<typeof JSON.parse>) => {
    parses++;
    parsedCharacters += args[0].length;
    return originalParse(...args);
  };
  try {
    return { result: run(), parses, parsedCharacters };
  } finally {
    JSON.parse = originalParse;
  }
}
