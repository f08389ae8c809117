// The tokens a kubeconfig's users present, read as kubectl (client-go) reads the file, checked against kubectl itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { kubeconfigUserTokens } from '../../../../src/core/tokens/kubeconfigTokens';

const dir = mkdtempSync(join(tmpdir(), 'sa-token-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` as a kubeconfig and asks kubectl for it back (`config view --raw -o json`). */
function kubectlView(text: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  return spawnSync('kubectl', ['config', 'view', '--raw', '-o', 'json', `--kubeconfig=${file}`], { encoding: 'utf8' });
}

const ours = (text: string) =>
  kubeconfigUserTokens(text)
    .map((found) => [found.user, text.slice(found.start, found.end)])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));

describe('kubeconfig user tokens', () => {
  it('are the tokens kubectl reads: through an alias, a merge key, the last of duplicate keys', () => {
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'users:',
      '- name: base',
      '  user: &creds',
      '    token: aaa.bbb.ccc',
      '- name: aliased',
      '  user: *creds',
      '- name: merged',
      '  user:',
      '    <<: *creds',
      '- name: overridden',
      '  user:',
      '    <<: *creds',
      '    token: own.bbb.ccc',
      '- name: duplicate',
      '  user:',
      '    token: first.bbb.ccc',
      '    token: second.bbb.ccc',
      '',
    ].join('\n');
    const view = kubectlView(text);
    assert.equal(view.status, 0, view.stderr);
    const users = (JSON.parse(view.stdout) as { users: { name: string; user: { token?: string } }[] }).users;
    const kubectl = users.map(({ name, user }) => [name, user.token]).sort(([a], [b]) => a!.localeCompare(b!));
    assert.deepEqual(ours(text), kubectl);
    // In text order, as the scan walks them: the users sharing the anchor's scalar sit at that scalar.
    const starts = kubeconfigUserTokens(text).map((found) => found.start);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
  });

  it('a kubeconfig kubectl refuses for excessive aliasing is not expanded or read (alias-bomb attack)', () => {
    // Nine levels, each listing the one below nine times: 9⁹ strings once expanded.
    const levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++)
      levels.push(
        `a${level}: &a${level} [${Array(9)
          .fill(`*a${level - 1}`)
          .join(',')}]`,
      );
    const text = [
      'apiVersion: v1',
      'kind: Config',
      ...levels,
      'users:',
      '- name: u',
      '  user:',
      '    token: aaa.bbb.ccc',
    ]
      .concat('')
      .join('\n');
    const view = kubectlView(text);
    assert.notEqual(view.status, 0);
    assert.match(view.stderr, /excessive aliasing/);
    assert.deepEqual(kubeconfigUserTokens(text), []);
  });
});
