import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { SignJWT } from 'jose';
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

test("the cluster signed it though the key files did not: verified with the cluster's key, nothing repeated", async () => {
  const verdict = await judgeSignature(jwt, other, { context: 'kind-dev', keys: cluster });
  assert.equal(verdict.signature.checked && verdict.signature.valid, true);
  assert.equal(verdict.signature.checked && verdict.signature.keySource, 'cluster.pem');
  assert.equal(verdict.clusterNote, undefined);
});

test("no key files, and the cluster did not sign it: the reason names the cluster, not the user's keys", async () => {
  const verdict = await judgeSignature(jwt, [], { context: 'prod', keys: other });
  assert.deepEqual(verdict, {
    signature: {
      checked: true,
      valid: false,
      keyId: null,
      reason: "not signed by any key of cluster prod (none of its 1 key has the token's kid)",
    },
    clusterNote: undefined,
  });
});

test('signed by neither the cluster nor the key files: one reason naming both', async () => {
  const verdict = await judgeSignature(jwt, other, { context: 'prod', keys: other });
  assert.equal(
    verdict.signature.checked && verdict.signature.reason,
    "not signed by any key of cluster prod (none of its 1 key has the token's kid); your key files do not verify it either",
  );
  assert.equal(verdict.clusterNote, undefined);
});

test('a key file verifies it, the cluster does not: the note says it is from another cluster', async () => {
  const verdict = await judgeSignature(jwt, cluster, { context: 'prod', keys: other });
  assert.equal(verdict.signature.checked && verdict.signature.valid, true);
  assert.equal(verdict.clusterNote, 'Not signed by any key of cluster prod: the token is from another cluster.');
});

test('a token without kid signed with a shared secret (the jwt.io HS256 sample): one clear line', async () => {
  const sample =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const verdict = await judgeSignature(sample, cluster, { context: 'prod', keys: other });
  assert.deepEqual(verdict, {
    signature: {
      checked: true,
      valid: false,
      keyId: null,
      reason: 'it is signed with a shared secret (HS256), which no public key checks: not a Kubernetes token',
    },
    clusterNote: undefined,
  });
});

test('an RS256 token without kid: says it names no key, and whose keys were tried', async () => {
  const noKid = await new SignJWT({ sub: 'system:serviceaccount:a:b' })
    .setProtectedHeader({ alg: 'RS256' })
    .sign(clusterKeys.privateKey);
  const verdict = await judgeSignature(noKid, [], { context: 'prod', keys: other });
  assert.equal(
    verdict.signature.checked && verdict.signature.reason,
    'the token names no key (no kid), and none of the 1 key of cluster prod verifies it',
  );
});

test('the cluster note sits right under the signature line, not repeated at the bottom', async () => {
  const match = findTokens(`Authorization: Bearer ${jwt}`)[0]!;
  const report = inspectMatch(match);
  assert.ok(!isTokenError(report));
  const lines = decodedDocumentText({ report, clusterNote: 'Cluster prod verifies it too.' }, { timeZone: 'utc' })
    .trimEnd()
    .split('\n');
  assert.equal(lines[2], 'Cluster prod verifies it too.');
  assert.equal(lines.filter((line) => line.includes('Cluster prod')).length, 1);
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

test('the hover shows the essentials and a link to the claims and header instead of the JSON blocks', async () => {
  const report = inspectMatch(findTokens(`Authorization: Bearer ${jwt}`)[0]!);
  assert.ok(!isTokenError(report));
  const link = '[Show decoded token](command:saToken.showTokenAt?%5B%5D)';
  const markdown = hoverMarkdown({ report, clusterNote: undefined }, { timeZone: 'utc', decodedLink: link });
  assert.ok(markdown.trimEnd().endsWith(link));
  assert.doesNotMatch(markdown, /\*\*Claims\*\*|\*\*Header\*\*|```/);
  assert.match(markdown, /\*\*Expires:\*\*/);
});
