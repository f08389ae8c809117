// Runs the CLI as a user would (a fresh bundle of src/cli.ts, built as dist/cli.js is): `sa-token decode …`, checking
// exit codes, stdout and stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  generateKeys,
  mintBoundToken,
  mintLegacyToken,
  signatureOf,
  wrapBase64,
  type TestKeys,
} from '../core/tokens/mint';
import { buildCli } from '../reliability/cli';

let CLI: string;
const workDir = mkdtempSync(join(tmpdir(), 'sa-token-cli-decode-'));
let keys: TestKeys;
let other: TestKeys;
let bound: string;

before(async () => {
  CLI = await buildCli();
  [keys, other] = await Promise.all([generateKeys('RS256'), generateKeys('ES256')]);
  bound = await mintBoundToken(keys, {
    pod: { name: 'busybox', uid: 'pod-uid' },
    node: { name: 'kind-worker', uid: 'node-uid' },
  });
});
after(() => rmSync(workDir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function decode(args: string[], stdin?: string): Run {
  const result = spawnSync(process.execPath, [CLI, 'decode', ...args], {
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeFile(name: string, content: string): string {
  const path = join(workDir, name);
  writeFileSync(path, content);
  return path;
}

/** Exit 2 with exactly one stderr line matching `message`, nothing on stdout. */
function assertUsageError(run: Run, message: RegExp): void {
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^sa-token: [^\n]+\n$/);
  assert.match(run.stderr, message);
}

describe('sa-token decode', () => {
  it('prints the JSON contract for a token on stdin', () => {
    const run = decode(['--json'], `${bound}\n`);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report).sort(), [
      'audience',
      'boundTo',
      'claims',
      'expired',
      'expiresAt',
      'findings',
      'header',
      'issuedAt',
      'issuer',
      'jti',
      'kind',
      'namespace',
      'node',
      'notBefore',
      'secretName',
      'serviceAccount',
      'serviceAccountUid',
      'signature',
      'source',
      'warnAfter',
    ]);
    assert.equal(report.source, 'jwt');
    assert.equal(report.kind, 'bound');
    assert.deepEqual(report.boundTo, { kind: 'pod', name: 'busybox', uid: 'pod-uid' });
    assert.equal(report.expired, false);
    assert.match(report.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(report.signature, { checked: false });
    for (const finding of report.findings) assert.deepEqual(Object.keys(finding), ['code', 'severity', 'message']);
    assert.ok(!run.stdout.includes(signatureOf(bound)));
  });

  it('reads Bearer and base64 forms from the argument', async () => {
    const legacy = await mintLegacyToken(keys);
    assert.equal(JSON.parse(decode(['--json', `Bearer ${bound}`]).stdout).source, 'bearer');
    const wrapped = JSON.parse(decode(['--json', wrapBase64(legacy)]).stdout);
    assert.deepEqual([wrapped.source, wrapped.kind, wrapped.expired], ['base64', 'legacy', null]);
  });

  it('prints the human explanation by default, and says the signature was not checked', () => {
    const run = decode(['-', '--time-zone', 'local'], bound);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Bound service account token — default\/default, bound to pod busybox\ndecoded, signature not checked\n/,
    );
    assert.match(run.stdout, /Node: +kind-worker/);
    assert.ok(!run.stdout.includes(signatureOf(bound)));
  });

  it('verifies against PEM and JWKS key files', () => {
    const pem = writeFile('keys.pem', `${other.publicPem}${keys.publicPem}`);
    const jwks = writeFile('jwks.json', JSON.stringify({ keys: [other.jwk, keys.jwk] }));
    for (const args of [
      ['--key', pem],
      ['--jwks', jwks],
      ['--key', writeFile('other.pem', other.publicPem), '--jwks', jwks],
    ]) {
      const run = decode(['--json', ...args, bound]);
      assert.equal(run.status, 0, run.stderr);
      const { keySource, ...signature } = JSON.parse(run.stdout).signature;
      assert.deepEqual(signature, { checked: true, valid: true, keyId: keys.kid, reason: null });
      assert.equal(keySource, args.at(-1), 'the key file the user named vouches for the token');
    }
    const wrong = decode(['--key', writeFile('only-other.pem', other.publicPem), bound]);
    assert.equal(wrong.status, 0);
    assert.match(
      wrong.stdout,
      /signature NOT valid: not signed by any key of the --key\/--jwks files \(none of its 1 key has the token's kid\)/,
    );
  });

  it('exits 2 with one stderr line for input that is not a token', () => {
    const [header, payload] = bound.split('.');
    assertUsageError(decode([], 'hello world\n'), /not a token/);
    assertUsageError(decode(['--json'], `${header}.${payload}`), /three dot-separated parts/);
    assertUsageError(decode([`${header}.e30x.${signatureOf(bound)}`]), /malformed token/);
    assertUsageError(decode([], ''), /empty input/);
    const truncated = decode(['--json'], bound.slice(0, bound.length - 10) + '!!');
    assert.equal(truncated.status, 2);
    assert.ok(!truncated.stderr.includes(signatureOf(bound).slice(0, 20)));
  });

  it('exits 2 for missing or invalid key files and bad options', () => {
    assertUsageError(
      decode(['--key', join(workDir, 'missing.pem'), bound]),
      /cannot read key file .*missing\.pem: no such file/,
    );
    assertUsageError(
      decode(['--jwks', writeFile('bad.json', '{"keys": 3}'), bound]),
      /invalid key file .*bad\.json: a JWKS document needs a "keys" array/,
    );
    assertUsageError(
      decode(['--key', writeFile('empty.pem', 'nothing here'), bound]),
      /invalid key file .*empty\.pem: no public key found/,
    );
    assert.equal(decode(['--time-zone', 'mars', bound]).status, 2);
  });
});
