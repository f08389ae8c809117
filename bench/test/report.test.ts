import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderTable, writeResults } from '../lib/report';
import { pending, type MetricResult } from '../lib/result';

const results: MetricResult[] = [
  {
    key: 'lint_vs_parse_ratio',
    value: 1.56,
    target: { atMost: 1.3 },
    absolute: 'lint 5 s | parse 3.2 s',
    details: { lintMs: { median: 5 } },
  },
  { key: 'activation_loads_client_node', value: false, target: { equals: false }, absolute: '', details: {} },
  pending('hover_p99_ms', { report: true }, 'dist/cli.js is not built'),
];

test('the table shows value, target, how far a miss is, and pending reasons, as Markdown', () => {
  const lines = renderTable(results).split('\n');
  assert.equal(lines[0], '| metric | value | target | result | absolute |');
  assert.equal(
    lines[2],
    '| lint_vs_parse_ratio | 1.56 | ≤ 1.30 | MISS by 0.260 (20% over) | lint 5 s \\| parse 3.2 s |',
  );
  assert.match(lines[3], /\| false \| false \| pass \|/);
  assert.match(lines[4], /\| — \| report \| pending: dist\/cli.js is not built \|/);
});

test('results.json has one top-level key per metric (null when pending), details and meta', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    writeResults(join(dir, 'results.json'), results, { quick: true });
    const written = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    assert.equal(written.lint_vs_parse_ratio, 1.56);
    assert.equal(written.hover_p99_ms, null);
    assert.equal(written.activation_loads_client_node, false);
    assert.equal(written.details.lint_vs_parse_ratio.lintMs.median, 5);
    assert.deepEqual(written.meta, { quick: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
