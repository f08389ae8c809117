import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { findTokens } from '../../../../src/core/tokens/finder';
import { inspectMatch, isTokenError } from '../../../../src/core/tokens/inspect';
import { parseKeys, type VerificationKey } from '../../../../src/core/tokens/verify';
import { decodedClaimsJson, decodedDocumentText, hoverMarkdown } from '../../../../src/features/tokens/display';
import { judgeSignature } from '../../../../src/features/tokens/signature';
import { generateKeys, mintBoundToken, signatureOf, type TestKeys } from '../../core/tokens/mint';

let clusterKeys: TestKeys;
let otherKeys: TestKeys;
let cluster: VerificationKey[];
let other: VerificationKey[];
let jwt: string;

before(async () => {
  clusterKeys = await generateKeys('RS256');
  otherKeys = await generateKeys('ES256');
  cluster = await parseKeys(clusterKeys.publicPem, 'cluster.pem');
  other = await parseKeys(otherKeys.publicPem, 'other.pem');
  jwt = await mintBoundToken(clusterKeys, { pod: { name: 'busybox', uid: 'pod-uid' } });
});

test('no key files and no cluster: decoded, signature not checked', async () => {
  const verdict = await judgeSignature(jwt, [], undefined);
  assert.deepEqual(verdict, { signature: { checked: false }, clusterNote: undefined });
});

test('a key file that signed it: verified, with the Kubernetes kid', async () => {
  const verdict = await judgeSignature(jwt, cluster, undefined);
  assert.equal(verdict.signature.checked && verdict.signature.valid, true);
  assert.equal(verdict.signature.checked && verdict.signature.keyId, clusterKeys.kid);
});

test('the cluster signed it though the key files did not: verified, and the note names the cluster', async () => {
  const verdict = await judgeSignature(jwt, other, { context: 'kind-dev', keys: cluster });
  assert.equal(verdict.signature.checked && verdict.signature.valid, true);
  assert.equal(verdict.clusterNote, 'Signature verified with a key of cluster kind-dev.');
});

test('signed by neither: not valid, and the note says the cluster did not sign it', async () => {
  const verdict = await judgeSignature(jwt, [], { context: 'prod', keys: other });
  assert.equal(verdict.signature.checked && verdict.signature.valid, false);
  assert.equal(verdict.clusterNote, 'Not signed by any key of cluster prod.');
});

test('cluster keys unavailable: the reason is given, the key file verdict stands', async () => {
  const verdict = await judgeSignature(jwt, cluster, { context: 'prod', unavailable: 'forbidden (403)' });
  assert.equal(verdict.signature.checked && verdict.signature.valid, true);
  assert.equal(verdict.clusterNote, 'Cluster prod: could not check: forbidden (403).');
});

test('hover markdown escapes the cluster note and never shows the signature', async () => {
  const match = findTokens(`Authorization: Bearer ${jwt}`)[0]!;
  const report = inspectMatch(match);
  assert.ok(!isTokenError(report));
  const markdown = hoverMarkdown(
    { report, clusterNote: 'Not signed by any key of cluster [evil](command:workbench.action.quit).' },
    { timeZone: 'utc' },
  );
  assert.match(markdown, /Bound service account token — default\/default, bound to pod busybox/);
  assert.ok(markdown.includes('\\[evil\\]\\(command\\:workbench\\.action\\.quit\\)'));
  assert.ok(!markdown.includes(signatureOf(jwt)));
  const text = decodedDocumentText({ report, clusterNote: undefined }, { timeZone: 'utc' });
  assert.match(text, /decoded, signature not checked/);
  assert.ok(!text.includes(signatureOf(jwt)));
  const claims = JSON.parse(decodedClaimsJson(report));
  assert.deepEqual(Object.keys(claims), ['header', 'claims']);
  assert.equal(claims.header.kid, clusterKeys.kid);
  assert.ok(!decodedClaimsJson(report).includes(signatureOf(jwt)));
});
