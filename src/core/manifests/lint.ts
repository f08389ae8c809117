// The manifest engine: one parse per lint, one walk per document, findings with their fixes as text edits.
import type { Document } from 'yaml';
import { DEFAULT_PROJECTED_EXPIRATION_SECONDS, SERVICE_ACCOUNT_MOUNT_PATH } from '../kubernetes';
import { type Finding, type LocalServiceAccount, type ResolvedFixOptions, type RuleContext } from './context';
import { podSpecOf, type KubeObject } from './objects';
import { isTemplate } from './problems';
import { isRelaxed } from './reading';
import { detectEol } from './render';
import { checkProjectedTokens } from './rules/projectedTokens';
import { checkRbacBinding } from './rules/rbacBindings';
import { checkAutomount } from './rules/automount';
import { checkDeprecatedField } from './rules/deprecatedField';
import { checkSecretReads } from './rules/legacyTokenReads';
import { RULES } from './rules/catalog';
import { checkTokenSecrets } from './rules/tokenSecrets';
import { checkWorkloadIdentity, checkWorkloadIdentityAccount } from './rules/workloadIdentity';
import { parseSegment, type Segment } from './segments';
import { suppressedRules } from './suppress';
import { IndexLookup, indexObjects, mergeIndexes, type IndexEntries } from './workspace';
import type {
  LintOptions,
  ManifestAnalysis,
  ManifestFinding,
  ManifestFix,
  ParseProblem,
  RuleId,
  WorkspaceIndex,
} from './types';

export { isTemplate } from './problems';

/** SAT009 (every other secretKeyRef) is informational noise for most projects: on only when asked. */
const OFF_BY_DEFAULT: ReadonlySet<RuleId> = new Set(
  RULES.filter((info) => !info.enabledByDefault).map((info) => info.id),
);

/** Findings only; YAML syntax errors are reported by `analyzeManifest` / `parseProblems`. Never throws. */
export function lintManifest(text: string, options: LintOptions = {}): ManifestFinding[] {
  return analyzeManifest(text, options).findings;
}

export function parseProblems(text: string, fileName?: string): ParseProblem[] {
  return analyzeManifest(text, { fileName, rules: {} }).parseProblems;
}

export function analyzeManifest(text: string, options: LintOptions = {}): ManifestAnalysis {
  const run = lintRun(text, options);
  const segment = parseSegment(text, run.template);
  const findings: ManifestFinding[] = [];
  lintSegment(run, segment, lookupFor(run, [segment]), localAccounts([segment]), findings);
  return { findings: sortFindings(findings), parseProblems: segment.problems.flat() };
}

/** What every document of one file is linted with. */
export interface LintRun {
  options: LintOptions;
  /** A Helm template: reported, never rewritten. */
  template: boolean;
  eol: '\n' | '\r\n';
  fix: ResolvedFixOptions;
}

export function lintRun(text: string, options: LintOptions): LintRun {
  const fix = {
    expirationSeconds: options.fix?.expirationSeconds ?? DEFAULT_PROJECTED_EXPIRATION_SECONDS,
    mountPath: (options.fix?.mountPath ?? SERVICE_ACCOUNT_MOUNT_PATH).replace(/\/+$/, ''),
    audience: options.fix?.audience || undefined,
  };
  const template = isTemplate(text, options.fileName);
  return { options, template, eol: detectEol(text), fix };
}

// Segments that keep their parse keep their documents' index entries too.
const indexes = new WeakMap<readonly Document[], WorkspaceIndex>();

/** The file's own token Secrets and ServiceAccounts, and what the workspace (or cluster) adds. */
export function lookupFor(run: LintRun, segments: readonly Segment[]): IndexLookup {
  return new IndexLookup(mergeIndexes(...ownIndexes(run, segments), optionsIndex(run)));
}

/** What the options say about other files: it follows the file's own entries in the lookup. */
export function optionsIndex(run: LintRun): IndexEntries {
  const { tokenSecrets, serviceAccounts, roles, groupBindings, namespaceSetters } = run.options;
  return { tokenSecrets, serviceAccounts, roles, groupBindings, namespaceSetters };
}

export function ownIndexes(run: LintRun, segments: readonly Segment[]): WorkspaceIndex[] {
  return segments.map((segment) => {
    let index = indexes.get(segment.docs);
    if (!index) indexes.set(segment.docs, (index = indexObjects(segment.docs, segment.objects, run.options.fileName)));
    return index;
  });
}

export function localAccounts(segments: readonly Segment[]): LocalServiceAccount[] {
  return segments.flatMap((segment) =>
    segment.docs.flatMap((doc, i) =>
      segment.objects[i]
        .filter((object) => object.kind === 'ServiceAccount')
        .map((object) => ({ doc, object, text: segment.text, shift: segment.shift })),
    ),
  );
}

/** Lints the documents of one segment, adding findings in file offsets. */
export function lintSegment(
  run: LintRun,
  segment: Segment,
  lookup: IndexLookup,
  localServiceAccounts: LocalServiceAccount[],
  findings: ManifestFinding[],
): void {
  const report = reporter(run.options, findings, segment.shift);
  const { text, shift, injections } = segment;
  segment.docs.forEach((doc, i) => {
    // A document with syntax errors is skipped: its partial parse proves nothing (a serviceAccountName after the
    // error reads as missing), and the syntax error is its one problem. Helm templates, documents with duplicate keys
    // (a warning) and documents read relaxed (see reading.ts) are reported, never rewritten: fixes are dropped.
    if (segment.problems[i].some((problem) => problem.severity !== 'warning')) return;
    const editable = !run.template && segment.problems[i].length === 0 && !isRelaxed(doc);
    const reportHere: RuleContext['report'] = editable
      ? report
      : (object, finding) => report(object, { ...finding, fixes: undefined });
    const patch = run.options.patch === true;
    const ctx: RuleContext = {
      ...run,
      text,
      shift,
      doc,
      injections,
      patch,
      lookup,
      localServiceAccounts,
      report: reportHere,
    };
    for (const object of segment.objects[i]) lintObjectSafely(ctx, doc, object);
  });
}

export const sortFindings = (findings: ManifestFinding[]) =>
  findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));

/** A rule tripping over an unforeseen shape loses that object's findings, never the editor or the whole run. */
function lintObjectSafely(ctx: RuleContext, doc: Document, object: KubeObject): void {
  try {
    lintObject(ctx, doc, object);
  } catch {
    // Nothing to report about text we could not understand.
  }
}

function lintObject(objectCtx: RuleContext, doc: Document, object: KubeObject): void {
  checkTokenSecrets(objectCtx, object);
  checkWorkloadIdentityAccount(objectCtx, object);
  checkRbacBinding(objectCtx, object);
  const pod = podSpecOf(doc, object);
  if (!pod) return;
  // A pod template that is not a core pod spec (Argo Workflows) is linted, never rewritten.
  const ctx: RuleContext = pod.readOnly
    ? { ...objectCtx, report: (owner, finding) => objectCtx.report(owner, { ...finding, fixes: undefined }) }
    : objectCtx;
  checkWorkloadIdentity(ctx, pod);
  const readsToken = checkSecretReads(ctx, pod);
  const projectsToken = checkProjectedTokens(ctx, pod);
  checkAutomount(ctx, pod, readsToken || projectsToken);
  checkDeprecatedField(ctx, pod);
}

function reporter(options: LintOptions, findings: ManifestFinding[], shift: number): RuleContext['report'] {
  const suppressed = new WeakMap<KubeObject, Set<RuleId>>();
  // A node shared through an alias is reached once per user; one diagnostic is enough.
  const reported = new Set<string>();
  return (object: KubeObject, finding: Finding) => {
    const key = `${finding.rule}:${finding.start}:${finding.end}`;
    if (reported.has(key)) return;
    const setting = options.rules?.[finding.rule];
    if (!(setting?.enabled ?? !OFF_BY_DEFAULT.has(finding.rule))) return;
    let skipped = suppressed.get(object);
    if (!skipped) suppressed.set(object, (skipped = suppressedRules(object.annotations, object.labels)));
    if (skipped.has(finding.rule)) return;
    reported.add(key);
    let fixes: ManifestFix[] | undefined;
    findings.push({
      rule: finding.rule,
      severity: setting?.severity ?? finding.severity,
      start: finding.start + shift,
      end: finding.end + shift,
      message: finding.message,
      get fixes() {
        fixes ??= computeFixes(finding);
        return fixes;
      },
      ...(finding.subject ? { subject: finding.subject } : {}),
    });
  };
}

function computeFixes(finding: Finding): ManifestFix[] {
  try {
    return (finding.fixes?.() ?? []).filter((fix): fix is ManifestFix => fix !== undefined && fix.edits.length > 0);
  } catch {
    // An unforeseen shape: the finding stands, without a fix we could not build safely.
    return [];
  }
}
