// `sa-token lint`'s leak scan (SAT301, SAT302) as CI runs it: the built dist/cli.js (npm run build first) over
// real-shaped trees, test/fixtures/leaks/<case>/tree, whose {{…}} placeholders become tokens minted at test time with
// real jose keys. The text output (stdout and stderr) is golden (expected.txt); JSON and SARIF carry the same findings;
// SARIF is valid against the SARIF 2.1.0 schema; no output holds any part of a token. UPDATE_GOLDEN=1 rewrites the
// expected.txt files (then review them).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateKeys, mintBoundToken, mintJwt, mintLegacyToken, assembleToken, wrapBase64 } from '../core/tokens/mint';
import type { CliFinding } from '../../../src/cli/findings';
import { assertValidSarif } from './sarifSchema';

const repo = join(import.meta.dirname, '../../..');
const cli = join(repo, 'dist/cli.js');
const cases = join(repo, 'test/fixtures/leaks');
const update = process.env.UPDATE_GOLDEN === '1';
const HOUR = 3600;
const DAY = 24 * HOUR;
const PLACEHOLDER = /\{\{(legacy|legacy64|bound|jwt|fake)(?: ([a-z0-9-]+)\/([a-z0-9-]+))?(?: ([+-]\d+)([dh]))?\}\}/g;

/** Every token minted for the trees: no output may hold any part of one. */
const minted: string[] = [];
let mint: (kind: string, namespace?: string, name?: string, offsetSeconds?: number) => Promise<string>;

before(async () => {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build first');
  // The API server signs with RS256 (RSA keys) or ES256 (P-256 keys): one of each.
  const [rsa, ec] = await Promise.all([generateKeys('RS256'), generateKeys('ES256')]);
  const now = Math.floor(Date.now() / 1000);
  mint = async (kind, namespace = 'default', serviceAccount = 'default', offset = 0) => {
    // Future expiries get two minutes of slack, so "in 24 h" still reads so when the CLI runs a moment later.
    const exp = offset > 0 ? now + offset + 120 : now + offset;
    let token: string;
    if (kind === 'legacy' || kind === 'legacy64') token = await mintLegacyToken(rsa, { namespace, serviceAccount });
    else if (kind === 'bound') {
      const lifetimeSeconds = offset > 0 ? offset + 120 : HOUR;
      token = await mintBoundToken(ec, {
        namespace,
        serviceAccount,
        issuedAt: new Date((exp - lifetimeSeconds) * 1000),
        lifetimeSeconds,
      });
    } else if (kind === 'jwt') {
      token = await mintJwt(rsa, { iss: 'https://login.example.com', sub: 'alice', aud: 'kubernetes', exp });
    } else {
      token = assembleToken(
        { alg: 'none' },
        { iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:ci:fake' },
      );
    }
    minted.push(token);
    return kind === 'legacy64' ? wrapBase64(token) : token;
  };
});

async function fill(text: string): Promise<string> {
  const parts: (string | Promise<string>)[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [whole, kind, namespace, name, amount, unit] = match;
    const offset = amount ? Number(amount) * (unit === 'd' ? DAY : HOUR) : 0;
    parts.push(text.slice(last, match.index), mint(kind, namespace, name, offset));
    last = match.index + whole.length;
  }
  parts.push(text.slice(last));
  return (await Promise.all(parts)).join('');
}

/** Copies a case's tree into a fresh directory with its placeholders minted. */
async function materialize(source: string, target: string): Promise<void> {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(to, { recursive: true });
      await materialize(from, to);
    } else writeFileSync(to, await fill(readFileSync(from, 'utf8')));
  }
}

/** What cannot live in git: a dependency tree, a binary, symbolic links, a huge log. */
async function addUncommittable(root: string): Promise<void> {
  mkdirSync(join(root, 'node_modules/some-lib'), { recursive: true });
  writeFileSync(join(root, 'node_modules/some-lib/token.txt'), await mint('legacy', 'kube-system', 'dependency'));
  mkdirSync(join(root, 'assets'));
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  writeFileSync(join(root, 'assets/logo.png'), Buffer.concat([png, Buffer.from(await mint('legacy', 'ci', 'in-png'))]));
  // Out of the tree: a link to it must not be followed. In the tree: its target is scanned where it is, once.
  const outside = mkdtempSync(join(tmpdir(), 'sa-token-leaks-outside-'));
  writeFileSync(join(outside, 'token'), await mint('legacy', 'elsewhere', 'outside'));
  symlinkSync(outside, join(root, 'linked-outside'));
  symlinkSync(join(outside, 'token'), join(root, 'linked-token'));
  symlinkSync('kubeconfig', join(root, 'deploy/current-kubeconfig'));
  const line = `2026-11-28T10:00:00Z ${'x'.repeat(120)}\n`;
  const filler = line.repeat(Math.ceil((17 * 1024 * 1024) / line.length));
  writeFileSync(join(root, 'logs/huge.txt'), `${filler}token=${await mint('legacy', 'ci', 'in-huge')}\n`);
}

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, 'lint', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertNoTokenBytes(output: string, label: string): void {
  assert.doesNotMatch(output, /eyJ|ZXlK/, `${label}: no JWT or base64 JWT prefix`);
  for (const token of minted) {
    for (const part of token.split('.').slice(1)) {
      if (part.length >= 16) assert.ok(!output.includes(part.slice(0, 16)), `${label}: part of a token`);
    }
  }
}

for (const name of readdirSync(cases).sort()) {
  const dir = join(cases, name);
  const argsFile = join(dir, 'args.txt');
  const args = existsSync(argsFile) ? readFileSync(argsFile, 'utf8').trim().split(/\s+/) : [];

  describe(`leak scan golden ${name}`, () => {
    let root: string;
    before(async () => {
      root = mkdtempSync(join(tmpdir(), `sa-token-leaks-${name}-`));
      await materialize(join(dir, 'tree'), root);
      if (name === 'ci-repo') await addUncommittable(root);
    });

    it('prints what expected.txt records, exits 1, and holds no token bytes', () => {
      const result = run(root, ...args, '.');
      const actual = `$ sa-token lint ${[...args, '.'].join(' ')}\n${result.stdout}--- stderr\n${result.stderr}`;
      if (update) writeFileSync(join(dir, 'expected.txt'), actual);
      assert.equal(actual, readFileSync(join(dir, 'expected.txt'), 'utf8'));
      assert.equal(result.code, 1);
      assertNoTokenBytes(result.stdout + result.stderr, 'text');
    });

    it('JSON and SARIF carry the same findings; the SARIF is valid SARIF 2.1.0', () => {
      const text = run(root, ...args, '.');
      const json = run(root, ...args, '--format', 'json', '.');
      const sarif = run(root, ...args, '--format', 'sarif', '.');
      for (const [label, output] of Object.entries({ json, sarif })) {
        assert.equal(output.code, 1, label);
        assertNoTokenBytes(output.stdout + output.stderr, label);
      }
      const findings = JSON.parse(json.stdout) as CliFinding[];
      assert.deepEqual(
        findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message}`),
        text.stdout.trimEnd().split('\n').slice(0, -1),
      );
      const log = JSON.parse(sarif.stdout);
      assertValidSarif(log);
      const results = log.runs[0].results as {
        ruleId: string;
        level: string;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      }[];
      const level = { error: 'error', warning: 'warning', info: 'note' } as Record<string, string>;
      assert.deepEqual(
        results.map((r) => {
          const { artifactLocation, region } = r.locations[0].physicalLocation;
          return `${artifactLocation.uri}:${region.startLine} ${r.level} ${r.ruleId}`;
        }),
        findings.map((f) => `${encodeURI(f.file)}:${f.line} ${level[f.severity]} ${f.rule}`),
      );
    });
  });
}

describe('SARIF schema check', () => {
  it('rejects what code scanning would: a level SARIF does not have, a result without a message', () => {
    const log = (result: object) => ({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, results: [result] }],
    });
    assertValidSarif(log({ level: 'note', message: { text: 'ok' } }));
    assert.throws(() => assertValidSarif(log({ level: 'info', message: { text: 'x' } })), /level/);
    assert.throws(() => assertValidSarif(log({ level: 'error' })), /message/);
  });
});

describe('leak scan switches', () => {
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'sa-token-leaks-switches-'));
    await materialize(join(cases, 'ci-repo/tree'), root);
  });

  const rules = (output: string) =>
    output
      .trimEnd()
      .split('\n')
      .slice(0, -1)
      .map((line) => / (SAT\d+) /.exec(line)?.[1]);

  it('--no-manifests and --only SAT301,SAT302 run just the leak scan; --only SAT002 just that rule', () => {
    const all = run(root, '.');
    assert.ok(rules(all.stdout).includes('SAT002'), 'the full run lints the manifests too');
    const leaksOnly = all.stdout
      .split('\n')
      .filter((line) => / SAT30[12] /.test(line))
      .join('\n');
    for (const args of [['--no-manifests'], ['--only', 'SAT301,SAT302'], ['--only', 'sat301', '--only', 'SAT302']]) {
      const result = run(root, ...args, '.');
      assert.equal(result.stdout.trimEnd().split('\n').slice(0, -1).join('\n'), leaksOnly, args.join(' '));
      assert.equal(result.code, 1);
    }
    assert.deepEqual([...new Set(rules(run(root, '--only', 'SAT002', '.').stdout))], ['SAT002']);
    // One story for choosing rules: --only names the set; with --enable/--disable it is a usage error.
    for (const extra of [
      ['--enable', 'SAT005'],
      ['--disable', 'SAT001'],
    ]) {
      const both = run(root, '--only', 'SAT002', ...extra, '.');
      assert.equal(both.code, 2);
      assert.match(both.stderr, /--only names every rule that runs: use it without --enable\/--disable/);
    }
    const unknown = run(root, '--only', 'SAT399', '.');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^sa-token: unknown rule SAT399 \(known: SAT001, .*SAT302\)\n$/);
  });

  it('reads a named non-YAML file as text only: never parsed as YAML, no syntax errors', async () => {
    const notes = join(root, 'notes.md');
    writeFileSync(notes, `key: [unclosed\n\t- tab: {\nBearer ${await mint('legacy', 'ci', 'notes')}\n`);
    const result = run(root, notes);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /notes\.md:3:1: error SAT301 Legacy service account token ci\/notes in a file/);
    const yaml = join(root, 'broken.yaml');
    writeFileSync(yaml, 'key: [unclosed\n');
    assert.match(run(root, yaml).stderr, /YAML syntax error/, 'a YAML file is still linted as a manifest');
  });

  it('scans a huge file when it is named, and says when a named file is binary', async () => {
    const big = join(root, 'big.log.txt');
    const line = `${'y'.repeat(99)}\n`;
    writeFileSync(big, `${line.repeat((17 * 1024 * 1024) / 100)}${await mint('legacy', 'ci', 'big')}\n`);
    assert.ok(statSync(big).size > 16 * 1024 * 1024);
    const result = run(root, big);
    assert.match(result.stdout, /big\.log\.txt:178258:1: error SAT301 /);
    const binary = join(root, 'blob.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2]));
    const both = run(root, binary, join(root, '.env'));
    assert.match(both.stderr, /^sa-token: .*blob\.bin: skipped: a binary file\n$/);
    assert.equal(both.code, 1);
  });
});
