import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { marked } from 'marked';
import { inertJson } from '../../../../src/core/printable';
import {
  explainMarkdown,
  explainText,
  formatRelative,
  headline,
  NOT_CHECKED,
} from '../../../../src/core/tokens/explain';
import { inspectToken, isTokenError } from '../../../../src/core/tokens/inspect';
import type { TokenReport } from '../../../../src/core/tokens/types';
import { generateKeys, mintBoundToken, mintJwt, mintLegacyToken, signatureOf, type TestKeys } from './mint';

const NOW = new Date('2024-03-01T10:41:00Z');
const ISSUED = new Date('2024-03-01T10:00:00Z');
const utc = { timeZone: 'utc', now: NOW } as const;
let keys: TestKeys;

before(async () => {
  keys = await generateKeys('RS256');
});

function reportOf(token: string): TokenReport {
  const report = inspectToken(token, { now: NOW });
  if (isTokenError(report)) assert.fail(report.error);
  return report;
}

/** What VS Code's hover shows: marked renders the markdown to HTML. */
const render = (markdown: string): string => marked.parse(markdown, { async: false });

describe('formatRelative', () => {
  it('speaks in the largest whole unit', () => {
    const at = (ms: number): string => formatRelative(new Date(NOW.getTime() + ms), NOW);
    assert.equal(at(41 * 60_000 + 30_000), 'in 41 min');
    assert.equal(at(-3.2 * 365.25 * 86_400_000), '3 years ago');
    assert.equal(at(-1 * 365.25 * 86_400_000), '1 year ago');
    assert.equal(at(5 * 3_600_000), 'in 5 h');
    assert.equal(at(-3 * 86_400_000), '3 days ago');
    assert.equal(at(-90 * 86_400_000), '3 months ago');
    assert.equal(at(-20_000), '20 s ago');
    assert.equal(at(300), 'now');
  });
});

describe('headline', () => {
  it('names the kind, identity and binding', async () => {
    const pod = reportOf(
      await mintBoundToken(keys, {
        issuedAt: ISSUED,
        pod: { name: 'busybox', uid: 'u' },
        node: { name: 'n', uid: 'v' },
      }),
    );
    assert.equal(headline(pod), 'Bound service account token — default/default, bound to pod busybox');
    const legacy = reportOf(
      await mintLegacyToken(keys, { namespace: 'ci', serviceAccount: 'builder', secretName: 'builder-token-q2w3e' }),
    );
    assert.equal(headline(legacy), 'Legacy service account token — ci/builder, from Secret builder-token-q2w3e');
    const generic = reportOf(await mintJwt(keys, { sub: 'alice' }));
    assert.equal(headline(generic), 'JWT (not a Kubernetes service account token) — subject alice');
  });
});

describe('explainText', () => {
  it('shows identity, binding, times in UTC with relative wording, audience, issuer, key id and findings', async () => {
    const token = await mintBoundToken(keys, {
      issuedAt: ISSUED,
      extendedExpiration: true,
      pod: { name: 'busybox', uid: 'pod-uid' },
      node: { name: 'kind-worker', uid: 'node-uid' },
    });
    const text = explainText(reportOf(token), utc);
    for (const expected of [
      'Bound service account token — default/default, bound to pod busybox',
      NOT_CHECKED,
      'Service account:     default in namespace default',
      'Bound to:            pod busybox (uid pod-uid)',
      'Node:                kind-worker (uid node-uid)',
      'Issued:              2024-03-01 10:00:00 UTC (41 min ago)',
      'Expires:             2025-03-01 10:00:00 UTC (expires in 1 year)',
      'Warn after:          2024-03-01 11:00:07 UTC (uses flagged as stale in 19 min)',
      'Audience:            https://kubernetes.default.svc.cluster.local',
      `Key id:              ${keys.kid}`,
      '  info    extended-expiration: Extended expiration: intended lifetime 1 h',
      '"warnafter": 1709290807',
      '"alg": "RS256"',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
    }
    assert.ok(!text.includes(signatureOf(token)));
  });

  it('says a legacy token never expires, and can show local time', async () => {
    const text = explainText(reportOf(await mintLegacyToken(keys)), { timeZone: 'local', now: NOW });
    assert.match(text, /Expires: +never \(valid until its Secret is deleted\)/);
    assert.match(text, /warning legacy-non-expiring/);
  });

  it('a token read from an invalidated Secret: the Secret\'s labels, never "valid until its Secret is deleted"', async () => {
    const report = reportOf(await mintLegacyToken(keys));
    const secret = {
      lastUsed: '2023-11-20',
      invalidSince: '2025-01-15',
      cleanup: 'invalidated 2025-01-15, deleted on or after 2026-01-16',
    };
    const text = explainText(report, { ...utc, secret });
    assert.doesNotMatch(text, /valid until/);
    assert.match(
      text,
      /Expires: +no exp claim, but invalidated since 2025-01-15 \(label kubernetes\.io\/legacy-token-invalid-since\): the API server rejects it/,
    );
    assert.match(text, /Last used: +2023-11-20 \(label kubernetes\.io\/legacy-token-last-used\)/);
    assert.match(text, /Clean-up: +invalidated 2025-01-15, deleted on or after 2026-01-16/);
    assert.match(
      text,
      /legacy-non-expiring: Invalidated legacy token: the legacy token cleaner marked its Secret on 2025-01-15/,
    );
    // A live legacy token from the cluster keeps "valid until deleted", with its last use.
    const live = explainText(report, { ...utc, secret: { lastUsed: '2024-02-01', invalidSince: null } });
    assert.match(live, /Expires: +never \(valid until its Secret is deleted\)/);
    assert.match(live, /Last used: +2024-02-01/);
  });

  it('says "Not before" only when it differs from "Issued"', async () => {
    const same = explainText(reportOf(await mintBoundToken(keys, { issuedAt: ISSUED })), utc);
    assert.match(same, /Issued:/);
    assert.doesNotMatch(same, /Not before:/);
    const later = explainText(
      reportOf(await mintJwt(keys, { sub: 'x', iat: ISSUED.getTime() / 1000, nbf: ISSUED.getTime() / 1000 + 60 })),
      utc,
    );
    assert.match(later, /Not before:/);
  });

  it('shows a checked signature as verified or not valid, never as merely decoded', () => {
    const report = reportOf('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
    const verified = explainText(
      { ...report, signature: { checked: true, valid: true, keyId: 'abc', reason: null } },
      utc,
    );
    assert.match(verified, /signature verified with key abc/);
    assert.ok(!verified.includes(NOT_CHECKED));
    const invalid = explainText(
      { ...report, signature: { checked: true, valid: false, keyId: null, reason: 'no match' } },
      utc,
    );
    assert.match(invalid, /signature NOT valid: no match/);
  });
});

describe('terminal safety', () => {
  it('writes no control, C1 or bidi characters from claims, and inertJson keeps the JSON value', async () => {
    const hostile = 'ns\u001b]8;;https://evil\u0007x\u009b2J\u202eevil\u2028line\u007f';
    const token = await mintBoundToken(keys, {
      issuedAt: ISSUED,
      namespace: hostile,
      audience: [hostile],
      pod: { name: hostile, uid: 'u' },
    });
    const report = reportOf(token);
    const text = explainText(report, utc);
    assert.ok(
      !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text),
      JSON.stringify(text),
    );
    assert.deepEqual(JSON.parse(inertJson(report)), report);
    assert.ok(!/[\u007f-\u009f\u202e\u2028]/.test(inertJson(report)));
  });
});

describe('explainMarkdown', () => {
  it('renders the explanation, marks it unverified, and fences the claims', async () => {
    const token = await mintBoundToken(keys, {
      issuedAt: ISSUED,
      lifetimeSeconds: 3600,
      pod: { name: 'busybox', uid: 'u' },
    });
    const markdown = explainMarkdown(reportOf(token), utc);
    assert.ok(markdown.includes(`_${NOT_CHECKED}_`));
    const html = render(markdown);
    assert.match(html, /<strong>Bound service account token — default\/default, bound to pod busybox<\/strong>/);
    assert.match(html, /expires in 19 min/);
    assert.match(html, /<code class="language-json">/);
    assert.ok(!markdown.includes(signatureOf(token)));
  });

  it('renders hostile claims inert: no links, images, HTML, or escaped code fences', async () => {
    const hostile =
      '[click](command:workbench.action.terminal.sendSequence) ![i](https://evil.example/x.png) <img src=x onerror=alert(1)> **bold** `code` &lt; https://evil.example';
    const fence = '````\n```\n</code></pre><a href="command:x">x</a>';
    const token = await mintBoundToken(keys, {
      issuedAt: ISSUED,
      namespace: hostile,
      serviceAccount: fence,
      pod: { name: hostile, uid: fence },
    });
    const report = reportOf(token);
    const html = render(explainMarkdown({ ...report, claims: { ...report.claims, note: fence } }, utc));
    assert.ok(!/<a\s|<img|<strong>bold|<code>code|<\/code><\/pre><a/.test(html), html);
    assert.ok(html.includes('[click](command:workbench.action.terminal.sendSequence)'));
    assert.ok(html.includes('&amp;lt;'), 'entities stay literal');
    const codeBlocks = html.match(/<pre>/g) ?? [];
    assert.equal(codeBlocks.length, 2, 'exactly the claims and header blocks');
  });

  it('keeps a hover light for a huge payload', async () => {
    const report = reportOf(await mintJwt(keys, { padding: 'A'.repeat(1024 * 1024) }));
    assert.ok(explainMarkdown(report, utc).length < 50_000);
    assert.ok(explainText(report, utc).length > 1024 * 1024);
  });
});
