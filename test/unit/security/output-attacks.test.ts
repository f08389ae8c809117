// Attacks through what the CLI and the editor render (issue 10, items 5 and 10), below the process level.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryText } from '../../../src/cli/inventory';
import { explainMarkdown, explainText } from '../../../src/core/tokens/explain';
import { inspectToken, isTokenError } from '../../../src/core/tokens/inspect';
import { decodedClaimsJson, hoverMarkdown } from '../../../src/features/tokens/display';
import type { Inventory } from '../../../src/core/cluster/model';
import { deeplyNestedToken } from './tokens';

const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('security: inventory text from a hostile API server (issue 10, item 5)', () => {
  it('names with ESC sequences, \\r and workflow commands print inert (terminal/CI-log injection)', () => {
    const hostile = '::error file=.github/workflows/ci.yml::pwned\u001b[2J\r\n::add-mask::x\u202e';
    const inventory: Inventory = {
      context: `ctx\u001b]0;owned\u0007`,
      serviceAccounts: [
        {
          namespace: hostile,
          name: hostile,
          uid: 'u',
          automountServiceAccountToken: null,
          tokenSecrets: [
            {
              namespace: hostile,
              name: hostile,
              serviceAccount: hostile,
              populated: true,
              createdAt: null,
              lastUsed: hostile,
              invalidSince: null,
            },
          ],
          secretsList: [hostile],
          missingSecrets: [],
          imagePullSecrets: [hostile],
          pods: [
            {
              name: hostile,
              automount: true,
              tokenSources: [
                { kind: 'env', secretName: hostile, key: hostile, containers: [{ name: hostile, env: hostile }] },
              ],
            },
          ],
        },
      ],
      staticPods: [{ namespace: hostile, name: hostile }],
      errors: [{ resource: 'secrets', namespace: null, reason: hostile }],
    };
    const text = inventoryText(inventory);
    assert.doesNotMatch(text, UNPRINTABLE);
    for (const line of text.split('\n')) assert.doesNotMatch(line, /^\s*::/, line);
    assert.match(text, /^\\::error file=\.github\/workflows\/ci\.yml::pwned \[2J ::add-mask::x \//m);
  });
});

describe('security: deeply nested claims in the editor (issue 10, item 10)', () => {
  it('the hover, the decoded view and Copy Decoded Claims render a 5,000-level token and say it is too deep (stack-overflow attack)', async () => {
    const report = inspectToken(await deeplyNestedToken(5000));
    assert.ok(!isTokenError(report), 'it decodes');
    const token = { report, clusterNote: undefined };
    const hover = hoverMarkdown(token, { timeZone: 'utc' });
    assert.match(hover, /nested more than 32 levels deep/);
    assert.match(explainText(report, { timeZone: 'utc' }), /… \(nested too deep to show\)/);
    assert.match(explainMarkdown(report, { timeZone: 'utc' }), /Claims or header nested/);
    assert.match(decodedClaimsJson(report), /nested too deep to show/);
    assert.equal(report.serviceAccount, 'builder', 'the claims that are not too deep still count');
  });

  it('claims nested exactly as deep as allowed are shown whole', async () => {
    const report = inspectToken(await deeplyNestedToken(31));
    assert.ok(!isTokenError(report));
    assert.ok(!report.findings.some((finding) => finding.message.includes('too deep')));
    assert.doesNotMatch(explainText(report, { timeZone: 'utc' }), /too deep/);
  });
});
