// The manifest engine: one parse per lint, one walk per document, findings with their fixes as text edits.
import { visit, type Document } from 'yaml';
import { DEFAULT_MOUNT_PATH, type Finding, type LocalServiceAccount, type RuleContext } from './context';
import { nodeRange, parseYaml } from './nodes';
import { objectsOf, podSpecOf, type KubeObject } from './objects';
import { detectEol } from './render';
import { checkProjectedTokens } from './rules/projectedTokens';
import { checkAutomount } from './rules/automount';
import { checkDeprecatedField } from './rules/deprecatedField';
import { checkSecretReads } from './rules/legacyTokenReads';
import { RULES } from './rules/catalog';
import { checkTokenSecrets } from './rules/tokenSecrets';
import { suppressedRules } from './suppress';
import { IndexLookup, indexObjects, mergeIndexes } from './workspace';
import type { LintOptions, ManifestAnalysis, ManifestFinding, ManifestFix, ParseProblem, RuleId } from './types';

/** SAT009 (every other secretKeyRef) is informational noise for most projects: on only when asked. */
const OFF_BY_DEFAULT: ReadonlySet<RuleId> = new Set(RULES.filter((info) => !info.enabledByDefault).map((info) => info.id));

/** Findings only; YAML syntax errors are reported by `analyzeManifest` / `parseProblems`. Never throws. */
export function lintManifest(text: string, options: LintOptions = {}): ManifestFinding[] {
  return analyzeManifest(text, options).findings;
}

export function parseProblems(text: string, fileName?: string): ParseProblem[] {
  return analyzeManifest(text, { fileName, rules: {} }).parseProblems;
}

/** Helm templates: `{{ … }}` actions anywhere, or a chart's templates/ folder. */
export function isTemplate(text: string, fileName?: string): boolean {
  return text.includes('{{') || /(^|[\\/])templates[\\/]/.test(fileName ?? '');
}

// Template actions become spaces (line breaks kept) so offsets still match the real text.
const maskTemplateActions = (text: string) => text.replace(/\{\{[\s\S]*?\}\}/g, (action) => action.replace(/[^\r\n]/g, ' '));

export function analyzeManifest(text: string, options: LintOptions = {}): ManifestAnalysis {
  const template = isTemplate(text, options.fileName);
  const docs = parseYaml(template ? maskTemplateActions(text) : text);
  const problemsByDoc = docs.map((doc) => documentProblems(text, doc));
  const parseProblems = problemsByDoc.flat();
  const objects = docs.map((doc) => objectsOf(doc));
  const own = indexObjects(docs, objects, options.fileName);
  const lookup = new IndexLookup(
    mergeIndexes(own, { tokenSecrets: [...(options.tokenSecrets ?? [])], serviceAccounts: [...(options.serviceAccounts ?? [])] }),
  );
  const localServiceAccounts: LocalServiceAccount[] = docs.flatMap((doc, i) =>
    objects[i].filter((object) => object.kind === 'ServiceAccount').map((object) => ({ doc, object })),
  );
  const findings: ManifestFinding[] = [];
  const report = reporter(options, findings);
  const eol = detectEol(text);
  const fix = {
    expirationSeconds: options.fix?.expirationSeconds ?? 3600,
    mountPath: (options.fix?.mountPath ?? DEFAULT_MOUNT_PATH).replace(/\/+$/, ''),
    audience: options.fix?.audience || undefined,
  };
  docs.forEach((doc, i) => {
    // Helm templates and documents with syntax errors are reported, never rewritten: every rule's fixes are dropped.
    const editable = !template && problemsByDoc[i].length === 0;
    const reportHere: RuleContext['report'] = editable ? report : (object, finding) => report(object, { ...finding, fixes: undefined });
    const ctx: RuleContext = { text, doc, eol, template, fix, lookup, localServiceAccounts, report: reportHere };
    for (const object of objects[i]) lintObjectSafely(ctx, doc, object);
  });
  return { findings: findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule)), parseProblems };
}

/** Syntax errors, and aliases without an anchor (the yaml library accepts them; Kubernetes rejects the file). */
export function documentProblems(text: string, doc: Document): ParseProblem[] {
  const problems = doc.errors.map((error) => ({ start: error.pos[0], end: error.pos[1], message: error.message.split('\n')[0] }));
  const [start, , end] = doc.range ?? [0, 0, text.length];
  const star = text.indexOf('*', start);
  if (star < 0 || star >= end) return problems;
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) !== undefined) return;
      const message = `Unknown alias *${alias.source}: no anchor &${alias.source} comes before it in this document`;
      problems.push({ ...nodeRange(alias), message });
    },
  });
  return problems;
}

/** A rule tripping over an unforeseen shape loses that object's findings, never the editor or the whole run. */
function lintObjectSafely(ctx: RuleContext, doc: Document, object: KubeObject): void {
  try {
    lintObject(ctx, doc, object);
  } catch {
    // Nothing to report about text we could not understand.
  }
}

function lintObject(ctx: RuleContext, doc: Document, object: KubeObject): void {
  checkTokenSecrets(ctx, object);
  const pod = podSpecOf(doc, object);
  if (!pod) return;
  const readsToken = checkSecretReads(ctx, pod);
  const projectsToken = checkProjectedTokens(ctx, pod);
  checkAutomount(ctx, pod, readsToken || projectsToken);
  checkDeprecatedField(ctx, pod);
}

function reporter(options: LintOptions, findings: ManifestFinding[]): RuleContext['report'] {
  const suppressed = new WeakMap<KubeObject, Set<RuleId>>();
  // A node shared through an alias is reached once per user; one diagnostic is enough.
  const reported = new Set<string>();
  return (object: KubeObject, finding: Finding) => {
    const key = `${finding.rule}:${finding.start}:${finding.end}`;
    if (reported.has(key)) return;
    const setting = options.rules?.[finding.rule];
    if (!(setting?.enabled ?? !OFF_BY_DEFAULT.has(finding.rule))) return;
    let skipped = suppressed.get(object);
    if (!skipped) suppressed.set(object, (skipped = suppressedRules(object.annotations)));
    if (skipped.has(finding.rule)) return;
    reported.add(key);
    let fixes: ManifestFix[] | undefined;
    findings.push({
      rule: finding.rule,
      severity: setting?.severity ?? finding.severity,
      start: finding.start,
      end: finding.end,
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
