// lint_vs_parse_ratio and fixall_docs_per_s over the generated manifest corpus; lint_realistic_vs_parse_ratio over
// the corpus shaped like real repositories.
import { parseAllDocuments } from 'yaml';
import { fixAll } from '../../src/core/manifests/fix';
import { lintManifest } from '../../src/core/manifests/lint';
import { ms, type BenchContext, type MetricResult } from '../lib/result';
import { cpuTimeOnce, interleaveItems, summarize, wallTimeOnce } from '../lib/stats';
import type { Corpus, CorpusFile } from '../workloads/corpus';
import type { RealisticCorpus } from '../workloads/realistic';

const LINT_TARGET = { atMost: 1.3 };
const REPORT = { report: true } as const;

export async function measureLint(context: BenchContext, corpus: Corpus): Promise<MetricResult> {
  context.log(
    `lint: ${corpus.files.length} files, ${corpus.documents} documents, alternating with parseAllDocuments file by file`,
  );
  return lintVersusParse(context, 'lint_vs_parse_ratio', corpus.files);
}

export async function measureRealisticLint(context: BenchContext, corpus: RealisticCorpus): Promise<MetricResult> {
  context.log(
    `realistic lint: ${corpus.files.length} files (${JSON.stringify(corpus.shapes)}), ${(corpus.bytes / 1e6).toFixed(1)} MB`,
  );
  const result = await lintVersusParse(context, 'lint_realistic_vs_parse_ratio', corpus.files);
  result.details.corpus = { files: corpus.files.length, bytes: corpus.bytes, shapes: corpus.shapes };
  return result;
}

/** The full rule engine ÷ a bare parseAllDocuments of the same files, alternating file by file, in CPU time. */
async function lintVersusParse(context: BenchContext, key: string, files: CorpusFile[]): Promise<MetricResult> {
  const findingsByRule: Record<string, number> = {};
  for (const file of files) {
    for (const finding of lintManifest(file.text, { fileName: file.name }))
      findingsByRule[finding.rule] = (findingsByRule[finding.rule] ?? 0) + 1;
  }
  const samples = interleaveItems(
    files,
    { lint: (file) => lintManifest(file.text, { fileName: file.name }), parse: (file) => parseAllDocuments(file.text) },
    { reps: context.quick ? 3 : 5, warmup: 1 },
  );
  const lint = summarize(samples.lint);
  const parse = summarize(samples.parse);
  return {
    key,
    value: lint.median / parse.median,
    target: LINT_TARGET,
    absolute: `lint ${ms(lint.median)} vs parse ${ms(parse.median)} CPU per corpus`,
    details: { lintMs: lint, parseAllDocumentsMs: parse, findingsByRule },
  };
}

export async function measureFixAll(context: BenchContext, corpus: Corpus): Promise<MetricResult> {
  const key = 'fixall_docs_per_s';
  context.log(`fix-all: ${corpus.documents} documents, one timed pass (fix-all re-lints until stable, so it is slow)`);
  const pass = timedFixPass(corpus);
  const invalid = pass.unparsable.length
    ? `${pass.unparsable.length} fixed files no longer parse (e.g. ${pass.unparsable[0]})`
    : undefined;
  return {
    key,
    value: corpus.documents / (pass.totalMs / 1000),
    target: REPORT,
    unit: 'docs/s',
    absolute: `${corpus.documents} docs in ${ms(pass.totalMs)} CPU (${ms(pass.wallMs)} wall); ${pass.applied} fixes in ${pass.changedFiles} files; all outputs re-parse: ${!invalid}`,
    details: { ...pass, perFileMs: summarize(pass.perFileMs) },
    invalid,
  };
}

/** One fix-all pass over the corpus, timed per file; every fixed output must still parse as YAML. */
function timedFixPass(corpus: Corpus) {
  let applied = 0;
  let changedFiles = 0;
  const unparsable: string[] = [];
  const perFileMs: number[] = [];
  let wallMs = 0;
  for (const file of corpus.files) {
    let fixed: ReturnType<typeof fixAll> | undefined;
    let cpu = 0;
    wallMs += wallTimeOnce(() => (cpu = cpuTimeOnce(() => (fixed = fixAll(file.text, { fileName: file.name })))));
    perFileMs.push(cpu);
    if (!fixed) continue;
    applied += fixed.applied;
    if (fixed.text !== file.text) changedFiles++;
    if (parseAllDocuments(fixed.text).some((doc) => doc.errors.length > 0)) unparsable.push(file.name);
  }
  const slowest = perFileMs.indexOf(Math.max(...perFileMs));
  const totalMs = perFileMs.reduce((sum, x) => sum + x, 0);
  return {
    totalMs,
    wallMs,
    perFileMs,
    applied,
    changedFiles,
    unparsable,
    slowestFile: {
      name: corpus.files[slowest].name,
      documents: corpus.files[slowest].documents,
      ms: perFileMs[slowest],
    },
  };
}
