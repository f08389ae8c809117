// relint_after_edit_vs_full_ratio, alias_lint_scaling and hover_long_line_ratio: the costs a user meets while typing
// and hovering, measured in CPU time on the product's own core (imported statically).
import { ManifestFileAnalyzer } from '../../src/core/manifests/incremental';
import { analyzeManifest } from '../../src/core/manifests/lint';
import { explainMarkdown } from '../../src/core/tokens/explain';
import { findTokenAt } from '../../src/core/tokens/finder';
import { inspectMatch, isTokenError } from '../../src/core/tokens/inspect';
import { ms, type BenchContext, type MetricResult } from '../lib/result';
import { cpuTimeOnce, interleave, summarize } from '../lib/stats';
import type { Corpus } from '../workloads/corpus';

const NOW = new Date();

/**
 * A 2,000-document file (the corpus' documents in one file), linted once; then a one-line edit inside one document
 * in the middle (a container image tag), re-linted by the analyzer that linted the file before, against a full lint of
 * the same edited text by a fresh analyzer. Alternating edits keep every re-lint a real change.
 */
export async function measureRelint(context: BenchContext, corpus: Corpus): Promise<MetricResult> {
  const documents: string[] = [];
  for (const file of corpus.files) documents.push(...file.text.split(/^---\n/m).filter((doc) => doc.trim()));
  const text = documents.slice(0, 2000).join('---\n');
  const at = text.indexOf('image: "registry', text.length >> 1) + 'image: "registry'.length;
  const edited = (n: number) => `${text.slice(0, at)}${n % 2 ? '-mirror' : '-cache'}${text.slice(at)}`;
  const options = { fileName: 'bundle.yaml' };
  const warm = new ManifestFileAnalyzer();
  warm.analyze(text, options, 'workspace');
  let edits = 0;
  const same = JSON.stringify(analyzeManifest(edited(1), options).findings.map(({ rule, start }) => [rule, start]));
  const relinted = JSON.stringify(
    warm.analyze(edited(1), options, 'workspace').findings.map(({ rule, start }) => [rule, start]),
  );
  context.log(`relint: ${Math.min(2000, documents.length)}-document file (${text.length} chars), one-line edits`);
  const samples = await interleave(
    {
      relint: () => cpuTimeOnce(() => warm.analyze(edited(edits++), options, 'workspace')),
      full: () => cpuTimeOnce(() => new ManifestFileAnalyzer().analyze(edited(edits++), options, 'workspace')),
    },
    { reps: context.quick ? 10 : 30, warmup: 3 },
  );
  const relint = summarize(samples.relint);
  const full = summarize(samples.full);
  return {
    key: 'relint_after_edit_vs_full_ratio',
    value: relint.median / full.median,
    target: { atMost: 0.1 },
    absolute: `re-lint ${ms(relint.median)} vs full ${ms(full.median)} CPU (2,000 documents, ${(text.length / 1e6).toFixed(1)} MB)`,
    details: { relintMs: relint, fullMs: full, chars: text.length },
    invalid: same === relinted ? undefined : 're-lint findings differ from a one-shot lint of the same text',
  };
}

/**
 * Documents written with anchors the way people use them, scaled by the number of aliases: env lists whose values
 * are aliases, `<<: *defaults` merge keys in every container, and containers listed by alias.
 */
export function aliasWorkload(aliases: number): string {
  const perPod = 20;
  const pods = Math.ceil(aliases / perPod);
  const docs = Array.from({ length: pods }, (_, pod) => {
    const env = Array.from({ length: perPod - 2 }, (_, i) => `        - name: V${i}\n          value: *level`).join(
      '\n',
    );
    return (
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${pod}\nspec:\n  template:\n    spec:\n` +
      `      serviceAccountName: app\n      containers:\n      - &main\n        <<: *defaults\n        name: main\n` +
      `        image: app:1\n        env:\n        - name: LEVEL\n          value: &level info\n${env}\n      - *main\n`
    );
  });
  const defaults = 'defaults: &defaults\n  resources: {limits: {cpu: 100m}}\n  imagePullPolicy: IfNotPresent\n';
  // One document: anchors are per document, and the quadratic cost was per document.
  return `${defaults}items:\n${docs.map((doc) => `- ${doc.replaceAll('\n', '\n  ').trimEnd()}`).join('\n')}\nkind: List\napiVersion: v1\n`;
}

export async function measureAliasScaling(context: BenchContext): Promise<MetricResult> {
  const small = aliasWorkload(1000);
  const large = aliasWorkload(8000);
  const count = (text: string) => (text.match(/\*\w+/g) ?? []).length;
  context.log(`aliases: ${count(small)} vs ${count(large)} aliases in one document`);
  const samples = await interleave(
    {
      small: () => cpuTimeOnce(() => analyzeManifest(small, {})),
      large: () => cpuTimeOnce(() => analyzeManifest(large, {})),
    },
    { reps: context.quick ? 5 : 15, warmup: 2 },
  );
  const smallStats = summarize(samples.small);
  const largeStats = summarize(samples.large);
  return {
    key: 'alias_lint_scaling',
    value: largeStats.median / smallStats.median,
    target: { atMost: 12 },
    absolute: `${ms(largeStats.median)} at ${count(large)} aliases vs ${ms(smallStats.median)} at ${count(small)} (linear: 8)`,
    details: {
      smallMs: smallStats,
      largeMs: largeStats,
      aliases: [count(small), count(large)],
      chars: [small.length, large.length],
    },
  };
}

/** What the hover provider computes: the token at the cursor (its line given whole), its report, the markdown. */
function hover(line: string, offset: number): string {
  const match = findTokenAt(line, offset);
  if (!match) throw new Error('no token at the hover offset');
  const report = inspectMatch(match, { now: NOW });
  if (isTokenError(report)) throw new Error(report.error);
  return explainMarkdown(report, { timeZone: 'utc', now: NOW });
}

/**
 * A token in a 10 MB single-line file (minified JSON: many fields, the token's in the middle) ÷ the same token in a
 * 100-character line. The hover provider hands the core the hovered line.
 */
export async function measureHoverLongLine(context: BenchContext, token: string): Promise<MetricResult> {
  const field = (i: number) => `"k${i}":"v-${(i * 7919).toString(36)}",`;
  const fields: string[] = [];
  for (let size = 0, i = 0; size < 5_000_000; i++) size += (fields[i] = field(i)).length;
  const long = `{${fields.join('')}"authorization":"Bearer ${token}",${fields.join('')}"end":1}`;
  const short = `curl -H "Authorization: Bearer ${token}" https://api.example.com/`.padEnd(100, ' ');
  const longOffset = long.indexOf(token) + (token.length >> 1);
  const shortOffset = short.indexOf(token) + (token.length >> 1);
  context.log(`hover: ${(long.length / 1e6).toFixed(1)} MB single line vs a ${short.length}-character line`);
  const samples = await interleave(
    {
      long: () => cpuTimeOnce(() => hover(long, longOffset)),
      short: () => cpuTimeOnce(() => hover(short, shortOffset)),
    },
    { reps: context.quick ? 300 : 1500, warmup: 100 },
  );
  const longStats = summarize(samples.long);
  const shortStats = summarize(samples.short);
  return {
    key: 'hover_long_line_ratio',
    value: longStats.median / shortStats.median,
    target: { atMost: 2 },
    absolute: `median ${ms(longStats.median)} (${(long.length / 1e6).toFixed(1)} MB line) vs ${ms(shortStats.median)} (100 characters)`,
    details: { longLineMs: longStats, shortLineMs: shortStats, chars: long.length },
  };
}
