// The decoded view and the hover as a user reads them (issue 18): the signature verdict said once, at the top; an
// expired token with the severity Problems gives it (SAT302), also at the level the user sets.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { findTokens } from '../../../../src/core/tokens/finder';
import { inspectMatch, isTokenError } from '../../../../src/core/tokens/inspect';
import { scanForTokenProblems } from '../../../../src/core/tokens/scan';
import { parseKeys } from '../../../../src/core/tokens/verify';
import { decodedDocumentText, displayOptions, hoverMarkdown } from '../../../../src/features/tokens/display';
import { judgeSignature } from '../../../../src/features/tokens/signature';
import { generateKeys, mintBoundToken, type TestKeys } from '../../core/tokens/mint';

let keys: TestKeys;

before(async () => {
  keys = await generateKeys('RS256');
});

const reportOf = (jwt: string) => {
  const report = inspectMatch(findTokens(`Authorization: Bearer ${jwt}`)[0]!);
  assert.ok(!isTokenError(report));
  return report;
};

test('the decoded view says the signature result once, under the headline', async () => {
  const jwt = await mintBoundToken(keys, { pod: { name: 'web', uid: 'pod-uid' } });
  const fileKeys = await parseKeys(keys.publicPem, 'keys/demo-signing-key.pub.pem');
  const verdict = await judgeSignature(jwt, fileKeys, { context: 'sa-demo', keys: fileKeys });
  const report = { ...reportOf(jwt), signature: verdict.signature };
  const text = decodedDocumentText({ report, clusterNote: verdict.clusterNote }, displayOptions(DEFAULTS));
  const lines = text.split('\n');
  assert.match(lines[1], /^signature verified with key \S+ from keys\/demo-signing-key\.pub\.pem$/);
  assert.equal(lines[2], 'Cluster sa-demo verifies it too.');
  assert.equal(lines.filter((line) => /signature|verifies/i.test(line)).length, 2, text);
});

const DEFAULTS = { timeZone: 'utc' as const, rules: {} };

test('an expired token: the hover gives it the severity of its SAT302 diagnostic, also the one the user sets', async () => {
  const jwt = await mintBoundToken(keys, { issuedAt: new Date(Date.now() - 2 * 86_400_000), lifetimeSeconds: 3600 });
  const report = reportOf(jwt);
  const [problem] = scanForTokenProblems(`Bearer ${jwt}`, { committed: false, expired: 'anywhere' });
  assert.equal(problem.rule, 'SAT302');
  const label = { error: 'Error', warning: 'Warning', info: 'Info' }[problem.severity];
  const hover = (rules: Parameters<typeof displayOptions>[0]['rules']) =>
    hoverMarkdown({ report, clusterNote: undefined }, displayOptions({ timeZone: 'utc', rules }));
  assert.match(hover({}), new RegExp(`\\*\\*${label}\\*\\* \`expired\``));
  assert.match(hover({ SAT302: 'error' }), /\*\*Error\*\* `expired`/);
  assert.match(hover({ SAT302: 'hint' }), /\*\*Info\*\* `expired`/);
  assert.match(
    hover({ SAT302: 'off' }),
    new RegExp(`\\*\\*${label}\\*\\* \`expired\``),
    'off: no diagnostic to agree with',
  );
  assert.match(
    decodedDocumentText(
      { report, clusterNote: undefined },
      displayOptions({ timeZone: 'utc', rules: { SAT302: 'error' } }),
    ),
    /error +expired:/,
  );
});
