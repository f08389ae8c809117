// What every subcommand has in common (issue 18, CLI consistency): help lines in one style, messages that name CLI
// options, files that cannot be read said in words, no parse error for a file that is not YAML.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

const cli = join(import.meta.dirname, '../../../dist/cli.js');
const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });

before(() => assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build first'));

describe('sa-token: one style across subcommands', () => {
  it('every command and option in the top-level help is a capitalised sentence', () => {
    const help = run(['--help']).stdout;
    const lines = help.split('\n').filter((line) => /^ {2}\S/.test(line));
    assert.ok(lines.length >= 10, help);
    for (const line of lines) {
      const description = line.trim().split(/\s{2,}/)[1];
      assert.ok(description, `no description: ${line}`);
      assert.match(description, /^[A-Z]/, line);
      assert.match(description, /[.)]$/, line);
    }
  });

  it('inventory without any kubeconfig names the CLI option, not a setting, and exits 2 with one line', () => {
    const home = mkdtempSync(join(tmpdir(), 'sa-token-home-'));
    const result = run(['inventory'], { PATH: process.env.PATH, HOME: home });
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      'sa-token: no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config\n',
    );
    assert.doesNotMatch(result.stderr, /saToken\.|ENOENT/);
  });

  it('a path that is not there is said in words by every command that reads files, never as a bare ENOENT', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'sa-token-missing-')), 'nope.yaml');
    for (const args of [
      ['lint', missing],
      ['fix', missing],
      ['decode', '--key', missing, 'x'],
      ['doctor', '-f', missing, 'pod/x'],
      ['who-can', 'get', 'secrets', '--from', missing],
    ]) {
      const result = run(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /: no such file or directory\n$/, args.join(' '));
      assert.doesNotMatch(result.stderr, /ENOENT/, args.join(' '));
    }
  });

  it('lint on a text file that is not YAML prints no YAML parse error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sa-token-notes-')), 'notes.txt');
    writeFileSync(file, 'Meeting notes: rotate: the tokens [soon\n');
    const result = run(['lint', file]);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
  });
});

describe('sa-token fix --diff', () => {
  it('prints a unified diff that git apply turns into exactly what fix prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-token-diff-'));
    const fixture = join(import.meta.dirname, '../../fixtures/manifests/sat001-pod-flush/input.yaml');
    writeFileSync(join(dir, 'pod.yaml'), readFileSync(fixture, 'utf8'));
    const inDir = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir });
    const fixed = inDir(['fix', 'pod.yaml']).stdout;
    const diff = inDir(['fix', '--diff', 'pod.yaml']);
    assert.equal(diff.status, 0, diff.stderr);
    assert.match(diff.stdout, /^--- a\/pod\.yaml\n\+\+\+ b\/pod\.yaml\n@@ /);
    writeFileSync(join(dir, 'fix.patch'), diff.stdout);
    execFileSync('git', ['apply', 'fix.patch'], { cwd: dir });
    assert.equal(readFileSync(join(dir, 'pod.yaml'), 'utf8'), fixed);
    assert.equal(inDir(['fix', '--diff', 'pod.yaml']).stdout, '', 'nothing left to fix: an empty diff');
  });

  it('refuses --diff with --write in one line, exit 2', () => {
    const result = run(['fix', '--diff', '--write', 'x.yaml']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'sa-token: --write and --diff do not go together: choose one\n');
  });
});
