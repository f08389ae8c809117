// Attacks on the CLI from files and tokens (issue 10, items 2, 3, 5 and 10), run against the bundled CLI as users run
// it. Each test is named after the attack; each failed on the main branch before the fix.
import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deeplyNestedToken } from './tokens';
import { buildCli, runCli } from '../reliability/cli';

const work = mkdtempSync(join(tmpdir(), 'sa-token-security-cli-'));
let cli: string;
after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  cli = await buildCli();
});

/** A manifest `fix` changes: a legacy token Secret read through secretKeyRef (SAT001). */
const FIXABLE = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata: {name: builder-token, annotations: {kubernetes.io/service-account.name: builder}}',
  'type: kubernetes.io/service-account-token',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: p}',
  'spec:',
  '  serviceAccountName: builder',
  '  containers:',
  '    - name: app',
  '      image: busybox',
  '      env:',
  '        - name: TOKEN',
  '          valueFrom: {secretKeyRef: {name: builder-token, key: token}}',
  '',
].join('\n');

let dirCount = 0;
function freshDir(): string {
  const dir = join(work, `case-${++dirCount}`);
  mkdirSync(dir);
  return dir;
}

/** Runs the CLI with a `--require` hook, standing in for an attacker who acts while the CLI runs. */
function hook(dir: string, source: string): string[] {
  const path = join(dir, '..', `hook-${dirCount}.cjs`);
  writeFileSync(path, source);
  return ['--require', path];
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('security: sa-token fix --write (issue 10, item 2)', () => {
  it('a symlink planted at the temp path of the fixing process rewrites nothing else (predictable-temp-path attack)', async () => {
    const dir = freshDir();
    const manifest = join(dir, 'app.yaml');
    writeFileSync(manifest, FIXABLE);
    const victim = join(work, `victim-${dirCount}.txt`);
    writeFileSync(victim, 'precious\n', { mode: 0o600 });
    chmodSync(victim, 0o600);
    // The attacker knows the process id (small in containers) and plants the link the old code wrote through.
    const nodeArgs = hook(
      dir,
      `require('fs').symlinkSync(${JSON.stringify(victim)}, ${JSON.stringify(join(dir, '.app.yaml.sa-token-'))} + process.pid + '.tmp');`,
    );
    const result = await runCli(cli, ['fix', '--write', manifest], { nodeArgs });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the file behind the planted link is untouched');
    assert.equal(statSync(victim).mode & 0o777, 0o600, 'and keeps its mode');
    assert.notEqual(readFileSync(manifest, 'utf8'), FIXABLE, 'the manifest itself is fixed');
  });

  it('a temp path that already exists is never opened: the CLI fails cleanly instead of writing through it', async () => {
    const dir = freshDir();
    const manifest = join(dir, 'app.yaml');
    writeFileSync(manifest, FIXABLE);
    const victim = join(work, `victim-${dirCount}.txt`);
    writeFileSync(victim, 'precious\n');
    // Whatever name the CLI picks, the attacker "wins the race" and has a link there first.
    const nodeArgs = hook(
      dir,
      `const fsp = require('fs/promises'); const fs = require('fs'); const open = fsp.open;
       fsp.open = async (path, flags, mode) => { if (String(path).endsWith('.tmp')) fs.symlinkSync(${JSON.stringify(victim)}, path); return open(path, flags, mode); };`,
    );
    const result = await runCli(cli, ['fix', '--write', manifest], { nodeArgs });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^sa-token: cannot write .*app\.yaml: EEXIST\n$/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.equal(readFileSync(manifest, 'utf8'), FIXABLE);
  });

  it('a symlinked manifest is skipped with one clear line, never replaced by a regular file (symlink-swap attack)', async () => {
    const dir = freshDir();
    const target = join(work, `elsewhere-${dirCount}.yaml`);
    writeFileSync(target, FIXABLE);
    const link = join(dir, 'linked.yaml');
    symlinkSync(target, link);
    const result = await runCli(cli, ['fix', '--write', link]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /^sa-token: .*linked\.yaml: skipped: it is a symbolic link \(run fix on the file it points to\)\n$/,
    );
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readFileSync(target, 'utf8'), FIXABLE, 'and what it points to is unchanged');
    assert.deepEqual(leftovers(dir), []);
  });

  it('a read-only manifest is refused, not replaced (write-protection bypass)', async () => {
    const dir = freshDir();
    const manifest = join(dir, 'locked.yaml');
    writeFileSync(manifest, FIXABLE);
    chmodSync(manifest, 0o444);
    const result = await runCli(cli, ['fix', '--write', manifest]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^sa-token: .*locked\.yaml: not written: the file is read-only\n$/);
    assert.equal(readFileSync(manifest, 'utf8'), FIXABLE);
    assert.equal(statSync(manifest).mode & 0o777, 0o444);
    assert.deepEqual(leftovers(dir), []);
  });

  it('the fixed file keeps its mode, and a failed rename leaves no temp file behind', async () => {
    const dir = freshDir();
    const manifest = join(dir, 'app.yaml');
    writeFileSync(manifest, FIXABLE);
    chmodSync(manifest, 0o640);
    const ok = await runCli(cli, ['fix', '--write', manifest]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(statSync(manifest).mode & 0o7777, 0o640);

    const other = join(dir, 'other.yaml');
    writeFileSync(other, FIXABLE);
    const nodeArgs = hook(
      dir,
      `const fsp = require('fs/promises');
       fsp.rename = async () => { throw Object.assign(new Error('cross-device link'), { code: 'EXDEV' }); };`,
    );
    const failed = await runCli(cli, ['fix', '--write', other], { nodeArgs });
    assert.equal(failed.status, 2);
    assert.match(failed.stderr, /^sa-token: cannot write .*other\.yaml: EXDEV\n$/);
    assert.equal(readFileSync(other, 'utf8'), FIXABLE);
    assert.deepEqual(leftovers(dir), []);
  });
});

/** Every control character, bidi override or line separator that could act on a terminal or CI log. */
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const WORKFLOW_COMMAND_LINE = /^\s*::/m;

describe('security: CLI text output (issue 10, item 5)', () => {
  const HOSTILE = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: "x\\e[2J\\e]0;owned\\a\\r\\n::error file=ci.yml::pwned\\u202e"',
    '  annotations: {kubernetes.io/service-account.name: builder}',
    'type: kubernetes.io/service-account-token',
    '',
  ].join('\n');

  it('names with ESC sequences, \\r and workflow commands in a manifest print inert in `lint` (terminal/CI-log injection)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'hostile.yaml'), HOSTILE);
    // A file name is as untrusted as its content: a cloned repository chooses both.
    writeFileSync(join(dir, '::error::pwned.yaml'), HOSTILE);
    // --fail-on info: the only finding is info (SAT002), which passes at the default level (issue 11).
    const result = await runCli(cli, ['lint', '--fail-on', 'info', '.'], { cwd: dir });
    assert.equal(result.status, 1, result.stderr);
    assert.doesNotMatch(result.stdout, UNPRINTABLE);
    assert.doesNotMatch(result.stdout, WORKFLOW_COMMAND_LINE);
    assert.match(result.stdout, /Secret "x \[2J ]0;owned ::error file=ci\.yml::pwned "/);
    assert.match(result.stdout, /^\\::error::pwned\.yaml:6:7: info SAT002 /m);
  });

  it('JSON and SARIF keep the exact name (escaped by JSON, not altered)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'hostile.yaml'), HOSTILE);
    for (const format of ['json', 'sarif']) {
      const result = await runCli(cli, ['lint', '--format', format, '--fail-on', 'info', dir], { cwd: dir });
      assert.equal(result.status, 1, result.stderr);
      assert.doesNotMatch(result.stdout, UNPRINTABLE);
      assert.ok(
        result.stdout.includes(
          JSON.stringify('x\u001b[2J\u001b]0;owned\u0007\r\n::error file=ci.yml::pwned').slice(1, -1),
        ),
        `${format} holds the name exactly`,
      );
    }
  });

  it('a YAML syntax error quoting hostile source lines prints as one inert stderr line (stderr injection)', async () => {
    const dir = freshDir();
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'a: "\u001b]0;owned\u0007\n::error::x\n  b: [\n');
    const result = await runCli(cli, ['lint', path]);
    assert.equal(result.stderr.split('\n').length, 2, result.stderr);
    assert.doesNotMatch(result.stderr, UNPRINTABLE);
    assert.doesNotMatch(result.stderr, WORKFLOW_COMMAND_LINE);
  });

  it('a path with control characters in an error is one inert line', async () => {
    const result = await runCli(cli, ['lint', join(work, 'missing\u001b[2J\n::error::x.yaml')]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr.split('\n').length, 2, result.stderr);
    assert.doesNotMatch(result.stderr, UNPRINTABLE);
  });
});

describe('security: alias bombs in manifests the doctor and the RBAC commands read (issue 10, item 3)', () => {
  /** 2,000 containers by alias, each with 2,000 env entries by alias: 165 KB that expands to 4,000,000 entries. */
  const bomb = (() => {
    const env = Array.from({ length: 2000 }, (_, i) => `{name: E${i}, value: x}`).join(', ');
    const containers = Array.from({ length: 2000 }, () => '*c').join(', ');
    return `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx:\n  env: &env [${env}]\n  container: &c {name: c, env: *env}\nspec:\n  containers: [${containers}]\n`;
  })();

  it('doctor -f and rbac --from skip the document Kubernetes refuses with one line, no internal error (alias-bomb attack)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'bomb.yaml'), `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n---\n${bomb}`);
    const doctor = await runCli(cli, ['doctor', 'pod/p', '-f', 'bomb.yaml'], { cwd: dir });
    assert.equal(doctor.status, 2, doctor.stderr);
    assert.deepEqual(doctor.stderr.trim().split('\n'), [
      'sa-token: bomb.yaml: skipped a document: Excessive aliasing: expanding *c here makes the document too large; Kubernetes refuses it ("document contains excessive aliasing") and it is not checked',
      'sa-token: Pod/p in namespace default is not in the manifests',
    ]);
    const rbac = await runCli(cli, ['rbac', 'default/app', '--from', 'bomb.yaml', '--json'], { cwd: dir });
    assert.doesNotMatch(rbac.stderr, /internal error/);
    assert.match(JSON.stringify(JSON.parse(rbac.stdout)), /skipped a document: Excessive aliasing/);
  });
});

describe("security: a repository's .sa-token.yaml (issue 10, item 3)", () => {
  it('an alias bomb in .sa-token.yaml is one clear line naming the file, not an internal error (alias-bomb attack)', async () => {
    const dir = freshDir();
    const levels = ['x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let level = 1; level < 9; level++)
      levels.push(
        `x${level}: &a${level} [${Array(9)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      );
    writeFileSync(join(dir, '.sa-token.yaml'), ['rules: {SAT006: off}', ...levels, ''].join('\n'));
    writeFileSync(
      join(dir, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n',
    );
    const result = await runCli(cli, ['lint', 'pod.yaml'], { cwd: dir });
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.match(
      result.stderr,
      /^sa-token: .*\.sa-token\.yaml: Excessive aliasing: expanding \*a\d here makes the document too large; Kubernetes refuses it/m,
    );
    // Nothing of the refused config applies: SAT006 keeps its default level.
    assert.match(result.stdout, /SAT006/);
  });
});

describe('security: deeply nested claims (issue 10, item 10)', () => {
  it('a 13 KB token nesting claims 5,000 levels deep decodes and says the claims are too deep (stack-overflow attack)', async () => {
    const token = await deeplyNestedToken(5000);
    assert.ok(token.length < 16_000, `${token.length} characters`);
    for (const args of [
      ['decode', '-'],
      ['decode', '--json', '-'],
    ]) {
      const result = await runCli(cli, args, { stdin: token });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /nested more than 32 levels deep: the deeper parts are too deep to show/);
      assert.match(result.stdout, /… \(nested too deep to show\)/);
    }
  });
});
