// Every way the CLI can fail, run as a user would: exactly one line on stderr, the documented exit code (2: usage,
// unreadable input, not a token, no usable cluster), nothing on stdout, no stack trace, no secret bytes, in time.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeys, mintLegacyToken, signatureOf } from '../core/tokens/mint';
import { buildCli, runCli, type CliRun } from './cli';
import { figures } from './figures';
import { closedPort } from '../../support/net';

const run = figures('cli');
const work = mkdtempSync(join(tmpdir(), 'sa-token-reliability-'));
/** A kubeconfig credential: it must never show up in any output. */
const KUBECONFIG_TOKEN = 'kubeconfig-secret-3f9a1c7e5b2d4a6c8e0f';
let cli: string;
let token: string;
let secrets: string[];

const file = (name: string, content: string | Buffer): string => {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
};

function kubeconfig(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: c, cluster: {server: "${server}"}}]`,
    `users: [{name: u, user: {token: ${KUBECONFIG_TOKEN}}}]`,
    'contexts: [{name: ctx, context: {cluster: c, user: u}}]',
    'current-context: ctx',
  ].join('\n');
}

before(async () => {
  const keys = await generateKeys();
  [cli, token] = await Promise.all([buildCli(), mintLegacyToken(keys)]);
  const [, payload] = token.split('.');
  secrets = [KUBECONFIG_TOKEN, signatureOf(token), payload.slice(10, 60)];
  mkdirSync(join(work, 'no-yaml'));
  file('no-yaml/readme.txt', 'not a manifest');
  mkdirSync(join(work, 'no-text'));
  file('no-text/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
  mkdirSync(join(work, 'home'));
  file('binary.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
  file('junk.pem', `-----BEGIN PUBLIC KEY-----\n${signatureOf(token)}\n-----END PUBLIC KEY-----\n`);
  file('junk.jwks', '{"keys": [{"kty": "RSA", "n": "AQAB"}]}');
  file('junk-kubeconfig', ': : :\n\t- [');
  file('dead-kubeconfig', kubeconfig(`https://127.0.0.1:${await closedPort()}`));
  file('manifest.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
});
after(() => rmSync(work, { recursive: true, force: true }));

interface FailureCase {
  name: string;
  args: string[];
  stdin?: string;
  message: RegExp;
}

const path = (name: string) => join(work, name);

function failureCases(): FailureCase[] {
  const [header, payload] = token.split('.');
  return [
    { name: 'unknown command', args: ['bogus'], message: /unknown command 'bogus'/ },
    { name: 'unknown flag', args: ['decode', '--bogus'], message: /unknown option '--bogus'/ },
    { name: 'bad flag value', args: ['decode', '--time-zone', 'mars', token], message: /argument 'mars' is invalid/ },
    { name: 'decode: not a token', args: ['decode', 'hello'], message: /not a token/ },
    { name: 'decode: empty stdin', args: ['decode'], stdin: '', message: /empty input: expected a token/ },
    {
      name: 'decode: huge stdin (8 MB of base64 junk)',
      args: ['decode', '-'],
      stdin: Buffer.alloc(6_000_000, 7).toString('base64'),
      message: /not a token/,
    },
    { name: 'decode: 3 MB of eyJ junk', args: ['decode'], stdin: 'eyJ'.repeat(1_000_000), message: /not a token/ },
    {
      name: 'decode: truncated token',
      args: ['decode', `${header}.${payload}`],
      message: /three dot-separated parts, this has 2/,
    },
    {
      name: 'decode: payload of invalid JSON',
      args: ['decode', `${header}.${payload.slice(0, 41)}.${signatureOf(token)}`],
      message: /malformed token/,
    },
    { name: 'decode: two tokens', args: ['decode'], stdin: `${token}\n${token}`, message: /found 2 tokens/ },
    {
      name: 'decode: missing key file',
      args: ['decode', '--key', path('nope.pem'), token],
      message: /cannot read key file .*nope\.pem: no such file/,
    },
    {
      name: 'decode: key file is a directory',
      args: ['decode', '--key', path('home'), token],
      message: /cannot read key file .*home: is a directory/,
    },
    {
      name: 'decode: bad PEM key file',
      args: ['decode', '--key', path('junk.pem'), token],
      message: /invalid key file .*junk\.pem: the PUBLIC KEY block number 1 is not a valid key/,
    },
    {
      name: 'decode: bad JWKS file',
      args: ['decode', '--jwks', path('junk.jwks'), token],
      message: /invalid key file .*junk\.jwks: key number 1 is not a valid public JWK/,
    },
    { name: 'lint: no paths', args: ['lint'], message: /missing required argument 'paths'/ },
    {
      name: 'lint: missing file',
      args: ['lint', path('nope.yaml')],
      message: /cannot read .*nope\.yaml: no such file or directory/,
    },
    {
      name: 'lint: directory without text files',
      args: ['lint', path('no-text')],
      message: /no text files in /,
    },
    {
      name: 'lint: binary file',
      args: ['lint', path('binary.yaml')],
      message: /cannot read .*binary\.yaml: not a text file/,
    },
    {
      name: 'lint: bad format',
      args: ['lint', '--format', 'xml', path('manifest.yaml')],
      message: /argument 'xml' is invalid/,
    },
    {
      name: 'fix: missing file',
      args: ['fix', path('nope.yaml')],
      message: /cannot read .*nope\.yaml: no such file or directory/,
    },
    { name: 'fix: binary file', args: ['fix', path('binary.yaml')], message: /not a text file/ },
    {
      name: 'fix: directory without YAML',
      args: ['fix', '--write', path('no-yaml')],
      message: /no \*\.yaml or \*\.yml files/,
    },
    {
      name: 'fix: unknown rule',
      args: ['fix', '--rule', 'SAT999', path('manifest.yaml')],
      message: /unknown rule SAT999/,
    },
    { name: 'inventory: no kubeconfig', args: ['inventory'], message: /no kubeconfig found/ },
    {
      name: 'inventory: missing kubeconfig',
      args: ['inventory', '--kubeconfig', path('nope')],
      message: /kubeconfig .*nope does not exist/,
    },
    {
      name: 'inventory: kubeconfig is a directory',
      args: ['inventory', '--kubeconfig', path('home')],
      message: /cannot be read: is a directory/,
    },
    {
      name: 'inventory: kubeconfig of junk',
      args: ['inventory', '--kubeconfig', path('junk-kubeconfig')],
      message: /cannot be read: invalid YAML/,
    },
    {
      name: 'inventory: unknown context',
      args: ['inventory', '--kubeconfig', path('dead-kubeconfig'), '--context', 'nope'],
      message: /context "nope" is not in the kubeconfig; choose one of: ctx/,
    },
    {
      name: 'inventory: bad timeout',
      args: ['inventory', '--timeout', 'abc'],
      message: /--timeout must be a positive number/,
    },
    {
      name: 'inventory: unreachable cluster',
      args: ['inventory', '--kubeconfig', path('dead-kubeconfig'), '--timeout', '2'],
      message: /no usable cluster: cannot reach https:\/\/127\.0\.0\.1:\d+ \(connection refused\)/,
    },
  ];
}

function assertOneLineFailure(result: CliRun, expected: FailureCase): void {
  assert.equal(result.status, 2, `exit code of "${expected.name}": ${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing on stdout');
  assert.match(
    result.stderr,
    /^[^\n]+\n$/,
    `exactly one stderr line, got: ${JSON.stringify(result.stderr.slice(0, 300))}`,
  );
  assert.match(result.stderr, /^(sa-token|error): /, 'says who is speaking');
  assert.doesNotMatch(result.stderr, /\bat .+:\d+:\d+\)?$|internal error/m, 'no stack trace');
  assert.match(result.stderr, expected.message);
  for (const secret of secrets) assert.ok(!result.stderr.includes(secret), 'no secret bytes on stderr');
  assert.ok(result.ms < 15_000, `answered in ${Math.round(result.ms)} ms`);
}

describe('reliability: CLI failure modes', () => {
  it('every failure mode: exit 2, one stderr line, no stack trace, no secret bytes', async () => {
    const env = { PATH: process.env.PATH, HOME: path('home') };
    for (const failure of failureCases()) {
      const result = await runCli(cli, failure.args, { stdin: failure.stdin, env });
      assertOneLineFailure(result, failure);
      run.cases();
    }
  });

  it('a bare `sa-token` prints its usage and exits 2, without a stack trace', async () => {
    const result = await runCli(cli, []);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Usage: sa-token/);
    assert.doesNotMatch(result.stderr, /\bat .+:\d+:\d+/);
    run.cases();
  });

  it('--help and --version succeed on stdout', async () => {
    for (const args of [
      ['--help'],
      ['--version'],
      ['decode', '--help'],
      ['lint', '--help'],
      ['fix', '--help'],
      ['inventory', '--help'],
    ]) {
      const result = await runCli(cli, args);
      assert.equal(result.status, 0, args.join(' '));
      assert.equal(result.stderr, '');
      assert.ok(result.stdout.length > 0);
      run.cases();
    }
  });
});
