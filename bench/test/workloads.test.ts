import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { parseAllDocuments } from 'yaml';
import { generateCorpus } from '../workloads/corpus';
import { buildTokenFile, createMinter, mintTokenSet, placeTokens } from '../workloads/tokens';

test('the corpus parses with the real yaml parser, covers every workload kind and is deterministic', () => {
  const corpus = generateCorpus({ documents: 600 });
  let documents = 0;
  for (const file of corpus.files) {
    const docs = parseAllDocuments(file.text);
    assert.ok(Array.isArray(docs));
    for (const doc of docs) assert.deepEqual(doc.errors, [], file.name);
    documents += docs.length;
  }
  assert.equal(documents, 600);
  const kinds = [
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'ReplicationController',
    'Job',
    'CronJob',
    'PodTemplate',
    'List',
  ];
  for (const kind of kinds) assert.ok(corpus.kinds[kind] > 0, `no ${kind}`);
  for (const [problem, count] of Object.entries(corpus.problems)) assert.ok(count > 0, `no ${problem}`);
  assert.ok(corpus.lines / corpus.documents > 20 && corpus.lines / corpus.documents < 45, `${corpus.lines} lines`);
  const texts = corpus.files.map((file) => file.text);
  assert.ok(
    texts.some((text) => /^( *)containers:\n\1- name:/m.test(text)),
    'flush sequences',
  );
  assert.ok(
    texts.some((text) => /^( *)containers:\n\1 {2}- name:/m.test(text)),
    'indented sequences',
  );
  assert.deepEqual(generateCorpus({ documents: 600 }).files, corpus.files);
});

test('token problems in the corpus are real token reads', () => {
  const text = generateCorpus({ documents: 300 })
    .files.map((file) => file.text)
    .join('\n');
  assert.match(text, /secretKeyRef:\n\s+name: [a-z]+-sa-token-[a-z0-9]{5}\n\s+key: token/);
  assert.match(text, /serviceAccountToken:\n\s+path: token\n\s+expirationSeconds: (300|599|4294967297)/);
  assert.match(text, /^\s+serviceAccount: [a-z]+-sa$/m);
});

test('minted tokens have the Kubernetes claim layouts and a SHA-256 kid', async () => {
  const minter = await createMinter();
  const legacy = decodeJwt(await minter.legacy('ci', 'deployer', 'deployer-token-abcde'));
  assert.equal(legacy.iss, 'kubernetes/serviceaccount');
  assert.equal(legacy['kubernetes.io/serviceaccount/secret.name'], 'deployer-token-abcde');
  assert.equal(legacy.exp, undefined);
  const boundToken = await minter.bound('payments', 'billing-sa', 'billing-1');
  const bound = decodeJwt(boundToken);
  assert.equal(bound.sub, 'system:serviceaccount:payments:billing-sa');
  assert.deepEqual((bound['kubernetes.io'] as { pod: { name: string } }).pod.name, 'billing-1');
  assert.match(decodeProtectedHeader(boundToken).kid ?? '', /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await mintTokenSet(minter, 4)).length, 4);
});

test('token files place tokens at known lines and hover offsets fall inside them', async () => {
  const minter = await createMinter();
  const token = await minter.bound('payments', 'billing-sa', 'billing-1');
  const file = buildTokenFile(1000, placeTokens(1000, [token]), 3);
  assert.equal(file.text.split('\n').length - 1, 1000);
  assert.equal(file.hoverOffsets.length, 3);
  for (const offset of file.hoverOffsets) {
    const start = file.text.lastIndexOf(' ', offset) + 1;
    assert.equal(file.text.slice(start, start + token.length), token);
  }
});
