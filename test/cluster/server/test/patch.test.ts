// JSON patch (RFC 6902) on core objects as kube-apiserver applies it (handlers/patch.go applyJSPatch), checked through
// the real kubectl (v1.32): `kubectl patch --type=json` sends application/json-patch+json.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalCluster, type LocalCluster } from '../index';
import { kubectl } from '../../kubectl';

let cluster: LocalCluster;
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);

before(async () => {
  cluster = await startLocalCluster({ data: 'empty' });
  const created = await run(['create', 'serviceaccount', 'builder', '-n', 'default']);
  assert.equal(created.code, 0, created.stderr);
});
after(() => cluster.stop());

const secretsOf = async () => {
  const got = await run(['get', 'serviceaccount', 'builder', '-n', 'default', '-o', 'json']);
  assert.equal(got.code, 0, got.stderr);
  return (JSON.parse(got.stdout) as { secrets?: { name: string }[] }).secrets?.map((entry) => entry.name);
};

describe('kubectl patch --type=json', () => {
  it('adds, tests and removes entries of a ServiceAccount .secrets list, all operations or none', async () => {
    const add = JSON.stringify([{ op: 'add', path: '/secrets', value: [{ name: 'a' }, { name: 'gone' }] }]);
    const added = await run(['patch', 'serviceaccount', 'builder', '-n', 'default', '--type=json', '-p', add]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /serviceaccount\/builder patched/);
    assert.deepEqual(await secretsOf(), ['a', 'gone']);

    // A test that does not hold fails the whole patch: 422, the apiserver's generic message, nothing removed.
    const stale = JSON.stringify([
      { op: 'test', path: '/secrets/0/name', value: 'gone' },
      { op: 'remove', path: '/secrets/0' },
    ]);
    const refused = await run(['patch', 'serviceaccount', 'builder', '-n', 'default', '--type=json', '-p', stale]);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /The request is invalid: the server rejected our request due to an error in our request/,
    );
    assert.deepEqual(await secretsOf(), ['a', 'gone']);

    const remove = JSON.stringify([
      { op: 'test', path: '/secrets/1/name', value: 'gone' },
      { op: 'remove', path: '/secrets/1' },
    ]);
    const removed = await run(['patch', 'serviceaccount', 'builder', '-n', 'default', '--type=json', '-p', remove]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(await secretsOf(), ['a']);
  });

  it('refuses to rename an object, and answers 404 for one that does not exist', async () => {
    const rename = JSON.stringify([{ op: 'replace', path: '/metadata/name', value: 'other' }]);
    const renamed = await run(['patch', 'serviceaccount', 'builder', '-n', 'default', '--type=json', '-p', rename]);
    assert.notEqual(renamed.code, 0);
    assert.match(renamed.stderr, /is invalid: metadata.name/);
    const missing = await run(['patch', 'serviceaccount', 'nobody', '-n', 'default', '--type=json', '-p', '[]']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
  });
});
