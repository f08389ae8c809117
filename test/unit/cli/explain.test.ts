// `sa-token explain` as users run it (a fresh bundle of src/cli.ts): argument or stdin, human text or JSON, exit codes.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildCli, runCli } from '../reliability/cli';

let cli: string;
before(async () => {
  cli = await buildCli();
});

const FORBIDDEN =
  'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:payments:billing" cannot list resource "pods" in API group "" in the namespace "payments"';

describe('sa-token explain', () => {
  it('explains a message given as the argument: meaning, causes, next commands; exit 0', async () => {
    const result = await runCli(cli, ['explain', FORBIDDEN]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^line 1: Forbidden \(RBAC\) \[forbidden\]/);
    assert.match(result.stdout, /ServiceAccount: payments\/billing/);
    assert.match(result.stdout, /Likely causes:\n {4}1\. /);
    assert.match(
      result.stdout,
      /\$ kubectl auth can-i list pods -n payments --as=system:serviceaccount:payments:billing/,
    );
  });

  it('reads a whole log from stdin and prints the JSON array in the documented shape', async () => {
    const log = [
      'starting up',
      FORBIDDEN,
      'E1130 authentication.go:73] "Unable to authenticate the request" err="[invalid bearer token, service account token has expired]"',
      'open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory',
    ].join('\n');
    const result = await runCli(cli, ['explain', '--json'], { stdin: log });
    assert.equal(result.status, 0);
    const entries = JSON.parse(result.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      entries.map((entry) => [entry.line, entry.kind]),
      [
        [2, 'forbidden'],
        [3, 'token-expired'],
        [4, 'token-file-missing'],
      ],
    );
    assert.deepEqual(Object.keys(entries[0]), [
      'line',
      'kind',
      'serviceAccount',
      'verb',
      'resource',
      'apiGroup',
      'namespace',
      'message',
      'next',
    ]);
    assert.deepEqual(entries[0].serviceAccount, { namespace: 'payments', name: 'billing' });
    assert.equal(entries[0].verb, 'list');
    assert.equal(entries[0].resource, 'pods');
    assert.equal(entries[0].apiGroup, '');
    assert.equal(entries[0].namespace, 'payments');
    assert.ok(Array.isArray(entries[0].next) && (entries[0].next as string[]).length > 0);
  });

  it('exits 1 when nothing is recognised', async () => {
    const result = await runCli(cli, ['explain', '-'], { stdin: 'all good\n' });
    assert.equal(result.status, 1);
    assert.match(result.stdout, /No Kubernetes authentication or authorization error recognised/);
    const json = await runCli(cli, ['explain', '--json', 'nothing here']);
    assert.equal(json.status, 1);
    assert.equal(json.stdout.trim(), '[]');
  });

  it('exits 2 on a usage error, with one line on stderr', async () => {
    const result = await runCli(cli, ['explain', '--nope', 'x']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  });

  it('never writes terminal control sequences from the log', async () => {
    const result = await runCli(cli, ['explain', `\u001b]0;pwned\u0007${FORBIDDEN}\u009b31m`]);
    assert.equal(result.status, 0);
    assert.doesNotMatch(result.stdout, /[\u001b\u0007\u009b]/);
  });
});
