// One cluster's upgrade readiness from its picture (lists fetched once): the inventory's judgements (legacy reads,
// the cleaner's timeline), the doctor's checklist per pod, RBAC token-escalation risks, and the verdict.
// Pure and deterministic: every list is sorted, so the JSON of a report is stable (golden-tested).
import {
  cleanupUsage,
  DEFAULT_CLEAN_UP_PERIOD_DAYS,
  isRiskyRead,
  legacyCleanup,
  podsReadingSecret,
  tokenSecretState,
} from '../cluster/judgements';
import type { Inventory, ServiceAccountInfo, TokenSecretInfo } from '../cluster/model';
import { describeAudience } from '../identity/workloadIdentity';
import { SERVICE_ACCOUNT_MOUNT_PATH } from '../kubernetes';
import { bindingsFor, RbacIndex, tokenRisks } from '../rbac/index';
import { diagnose, type DoctorInput } from '../troubleshoot/doctor';
import type {
  AudienceToken,
  ClusterPicture,
  ClusterReport,
  FailingCheck,
  LegacyTokenRead,
  ReportError,
  RiskEntry,
  SecretState,
  TokenNeed,
  TokenSecretEntry,
  Verdict,
  WorkloadRef,
} from './model';

type Raw = Record<string, unknown>;
const record = (value: unknown): Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
const records = (value: unknown): Raw[] => (Array.isArray(value) ? value.map(record) : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const key = (...parts: string[]) => JSON.stringify(parts);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byWorkload = (a: WorkloadRef, b: WorkloadRef) =>
  compare(a.namespace, b.namespace) || compare(a.kind, b.kind) || compare(a.workload, b.workload);

export interface AnalyzeOptions {
  now: Date;
  /** kube-controller-manager --legacy-service-account-token-clean-up-period (default one year). */
  cleanupPeriodDays?: number;
}

/**
 * The workload a pod belongs to, as far as its controller reference proves it: a ReplicaSet whose name is
 * `<deployment>-<pod-template-hash>` (the label the Deployment controller sets) is the Deployment's.
 */
export function workloadOf(pod: unknown): WorkloadRef {
  const metadata = record(record(pod).metadata);
  const namespace = text(metadata.namespace) ?? '';
  const name = text(metadata.name) ?? '';
  const owner = records(metadata.ownerReferences).find((reference) => reference.controller === true);
  const ownerKind = text(owner?.kind);
  const ownerName = text(owner?.name);
  if (!ownerKind || !ownerName) return { namespace, workload: name, kind: 'Pod' };
  const hash = text(record(metadata.labels)['pod-template-hash']);
  if (ownerKind === 'ReplicaSet' && hash && ownerName.endsWith(`-${hash}`))
    return { namespace, workload: ownerName.slice(0, -hash.length - 1), kind: 'Deployment' };
  return { namespace, workload: ownerName, kind: ownerKind };
}

/** Namespaces where a list of `resource` was read (null namespace errors: nowhere). */
function listedIn(inventory: Inventory, resource: string): (namespace: string) => boolean {
  const failed = inventory.errors.filter((error) => error.resource === resource);
  if (failed.some((error) => error.namespace === null)) return () => false;
  const namespaces = new Set(failed.map((error) => error.namespace));
  return (namespace) => !namespaces.has(namespace);
}

/** Groups entries by key, keeping the first and collecting pod names. */
class Grouped<T extends { pods: string[] }> {
  private readonly entries = new Map<string, T>();

  add(groupKey: string, pod: string, make: () => T): void {
    const entry = this.entries.get(groupKey) ?? make();
    if (!entry.pods.includes(pod)) entry.pods.push(pod);
    this.entries.set(groupKey, entry);
  }

  values(): T[] {
    return [...this.entries.values()].map((entry) => ({ ...entry, pods: entry.pods.sort(compare) }));
  }
}

export async function analyzeCluster(picture: ClusterPicture, options: AnalyzeOptions): Promise<ClusterReport> {
  const { inventory } = picture;
  const period = options.cleanupPeriodDays ?? DEFAULT_CLEAN_UP_PERIOD_DAYS;
  const podsByKey = new Map<string, unknown>();
  for (const pod of picture.pods) {
    const metadata = record(record(pod).metadata);
    podsByKey.set(key(text(metadata.namespace) ?? '', text(metadata.name) ?? ''), pod);
  }
  const workload = (namespace: string, pod: string): WorkloadRef =>
    podsByKey.has(key(namespace, pod))
      ? workloadOf(podsByKey.get(key(namespace, pod)))
      : { namespace, workload: pod, kind: 'Pod' };
  const workloadName = (ref: WorkloadRef) => `${ref.kind}/${ref.workload}`;

  const secrets = new Map<string, { secret: TokenSecretInfo; account: ServiceAccountInfo }>();
  for (const account of inventory.serviceAccounts)
    for (const secret of account.tokenSecrets) secrets.set(key(secret.namespace, secret.name), { secret, account });
  const secretsListed = listedIn(inventory, 'secrets');
  const accountsListed = listedIn(inventory, 'serviceaccounts');
  const index = picture.rbac ? new RbacIndex(picture.rbac) : undefined;

  // Workloads reading legacy token Secrets, and pods without a token that look like they need one.
  const reads = new Grouped<LegacyTokenRead>();
  const needs = new Grouped<TokenNeed>();
  const audiences = new Grouped<AudienceToken>();
  for (const account of inventory.serviceAccounts) {
    const directlyBound =
      index !== undefined &&
      bindingsFor(account, index).some((applied) => applied.via === 'serviceaccount' || applied.via === 'user');
    for (const pod of account.pods) {
      const ref = workload(account.namespace, pod.name);
      for (const source of pod.tokenSources) {
        if (source.kind === 'projected') {
          if (source.audience)
            audiences.add(key(workloadName(ref), source.audience), pod.name, () => ({
              ...ref,
              serviceAccount: account.name,
              audience: source.audience!,
              system: describeAudience(source.audience!) ?? null,
              expirationSeconds: source.expirationSeconds,
              pods: [],
            }));
          continue;
        }
        const found = secrets.get(key(account.namespace, source.secretName));
        // A name the inventory knows as a token Secret (in `.secrets`) where Secrets could not be listed: unknown.
        const state: SecretState = found
          ? tokenSecretState(found.secret, options.now)
          : secretsListed(account.namespace)
            ? 'missing'
            : 'unknown';
        const timeline = found
          ? legacyCleanup(found.secret, cleanupUsage(inventory, found.account, found.secret), period)
          : undefined;
        reads.add(key(workloadName(ref), source.secretName), pod.name, () => ({
          ...ref,
          secret: source.secretName,
          secretState: state,
          autoGenerated: found
            ? found.account.secretsList.includes(source.secretName)
            : account.secretsList.includes(source.secretName) || null,
          lastUsed: found?.secret.lastUsed ?? null,
          invalidSince: found?.secret.invalidSince ?? null,
          deletedOnOrAfter: timeline?.deletedOnOrAfter ?? null,
          pods: [],
          breaks: state === 'missing' || state === 'empty' || state === 'invalidated',
        }));
      }
      const hasToken = pod.automount || pod.tokenSources.some((source) => source.kind === 'projected');
      if (!hasToken && !pod.tokenSources.some(isRiskyRead)) {
        const why = needsToken(podsByKey.get(key(account.namespace, pod.name)), directlyBound);
        if (why)
          needs.add(key(workloadName(ref)), pod.name, () => ({ ...ref, serviceAccount: account.name, why, pods: [] }));
      }
    }
  }

  const tokenSecrets: TokenSecretEntry[] = [...secrets.values()].map(({ secret, account }) => {
    const timeline = legacyCleanup(secret, cleanupUsage(inventory, account, secret), period);
    const readers = podsReadingSecret(inventory, secret.namespace, secret.name).map((pod) =>
      workloadName(workload(secret.namespace, pod)),
    );
    return {
      namespace: secret.namespace,
      name: secret.name,
      serviceAccount: secret.serviceAccount,
      state: tokenSecretState(secret, options.now) as TokenSecretEntry['state'],
      autoGenerated: account.secretsList.includes(secret.name),
      createdAt: secret.createdAt,
      lastUsed: secret.lastUsed,
      invalidSince: secret.invalidSince,
      readBy: [...new Set(readers)].sort(compare),
      cleanup: {
        exempt: timeline.exempt,
        invalidatedOnOrAfter: timeline.invalidatedOnOrAfter,
        deletedOnOrAfter: timeline.deletedOnOrAfter,
      },
    };
  });

  const failingChecks = await doctorFailures(picture, options.now, period, workload, accountsListed, secretsListed);
  const risks = index ? riskEntries(inventory, index) : [];
  const errors: ReportError[] = [
    ...inventory.errors.map((error) => ({ source: error.resource, message: error.reason })),
    ...picture.rbacErrors.map((message) => ({ source: 'rbac', message })),
  ];
  const legacyTokenReads = reads.values().sort((a, b) => byWorkload(a, b) || compare(a.secret, b.secret));
  const report: ClusterReport = {
    context: picture.context,
    server: picture.server,
    version: picture.version,
    verdict: 'ready',
    reasons: [],
    complete: errors.length === 0,
    counts: countsOf(inventory, secrets.size),
    legacyTokenReads,
    tokenSecrets: tokenSecrets.sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name)),
    tokensNeeded: needs.values().sort(byWorkload),
    audienceTokens: audiences.values().sort((a, b) => byWorkload(a, b) || compare(a.audience, b.audience)),
    failingChecks,
    risks,
    errors,
  };
  const verdict = verdictOf(report);
  // Pods listed nowhere: no workload was seen, so nothing says the cluster is ready (a gate must not pass on it).
  const podsUnread = inventory.errors.find((error) => error.resource === 'pods' && error.namespace === null);
  if (podsUnread && verdict.verdict !== 'will-break')
    return {
      ...report,
      verdict: 'unreachable',
      reasons: [`no pod could be read (${podsUnread.reason}): no workload could be judged with these credentials`],
    };
  if (!report.complete)
    verdict.reasons.push(
      `incomplete: ${plural(errors.length, 'list')} could not be read (see below); the verdict covers what could`,
    );
  return { ...report, ...verdict };
}

/** Why a pod without a token looks like it needs one, or undefined. */
function needsToken(pod: unknown, directlyBound: boolean): string | undefined {
  const spec = record(record(pod).spec);
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((field) => records(spec[field]));
  const overDefault = containers.find((container) =>
    records(container.volumeMounts).some(
      (mount) => (text(mount.mountPath) ?? '').replace(/\/+$/, '') === SERVICE_ACCOUNT_MOUNT_PATH,
    ),
  );
  if (overDefault)
    return `container ${text(overDefault.name) ?? '?'} mounts a volume without a token at ${SERVICE_ACCOUNT_MOUNT_PATH}`;
  if (directlyBound) return 'its ServiceAccount is granted permissions by RBAC bindings naming it';
  return undefined;
}

/** The doctor's checklist for every pod; failures grouped per workload and check. */
async function doctorFailures(
  picture: ClusterPicture,
  now: Date,
  cleanupPeriodDays: number,
  workload: (namespace: string, pod: string) => WorkloadRef,
  accountsListed: (namespace: string) => boolean,
  secretsListed: (namespace: string) => boolean,
): Promise<FailingCheck[]> {
  const accounts = new Map<string, unknown>();
  for (const account of picture.serviceAccounts) {
    const metadata = record(record(account).metadata);
    accounts.set(key(text(metadata.namespace) ?? '', text(metadata.name) ?? ''), account);
  }
  const secretsByNamespace = new Map<string, Map<string, unknown | null>>();
  const namespaceSecrets = (namespace: string) => {
    let map = secretsByNamespace.get(namespace);
    if (!map) secretsByNamespace.set(namespace, (map = new Map()));
    return map;
  };
  for (const secret of picture.tokenSecrets) {
    const metadata = record(record(secret).metadata);
    namespaceSecrets(text(metadata.namespace) ?? '').set(text(metadata.name) ?? '', secret);
  }
  // A name in `.secrets` that is not there is known to be missing (where Secrets could be listed).
  for (const account of picture.inventory.serviceAccounts)
    for (const name of account.missingSecrets)
      if (secretsListed(account.namespace)) namespaceSecrets(account.namespace).set(name, null);

  const failures = new Grouped<FailingCheck>();
  const rbac = picture.rbac ? { objects: picture.rbac, from: `the RBAC objects of cluster ${picture.context}` } : null;
  const mirrors = new Set(picture.inventory.staticPods.map((pod) => key(pod.namespace, pod.name)));
  for (const pod of picture.pods) {
    const metadata = record(record(pod).metadata);
    const namespace = text(metadata.namespace) ?? '';
    const name = text(metadata.name) ?? '';
    if (mirrors.has(key(namespace, name))) continue;
    const spec = record(record(pod).spec);
    const accountName = text(spec.serviceAccountName) || text(spec.serviceAccount) || 'default';
    const account = accounts.get(key(namespace, accountName));
    const input: DoctorInput = {
      target: { kind: 'Pod', namespace, name },
      mode: 'cluster',
      object: pod,
      serviceAccount: account ?? (accountsListed(namespace) ? null : undefined),
      secrets: secretsByNamespace.get(namespace) ?? new Map(),
      rbac,
      // Once per cluster below, not once per pod.
      tokenRequest: undefined,
      for: [],
      now,
      cleanupPeriodDays,
    };
    const report = await diagnose(input);
    const ref = workload(namespace, name);
    for (const check of report.checks) {
      if (check.status !== 'fail') continue;
      failures.add(key(ref.namespace, ref.kind, ref.workload, check.id), name, () => ({
        ...ref,
        check: check.id,
        title: check.title,
        detail: check.detail,
        evidence: check.evidence,
        pods: [],
      }));
    }
  }
  const found = failures.values().sort((a, b) => byWorkload(a, b) || compare(a.check, b.check));
  if (picture.tokenRequest && !picture.tokenRequest.served)
    found.unshift({
      namespace: '',
      workload: picture.context,
      kind: 'Cluster',
      check: 'token-request-api',
      title: 'TokenRequest API',
      detail:
        'The cluster does not serve the TokenRequest API: the kubelet cannot get projected tokens and `kubectl create token` fails.',
      evidence: [picture.tokenRequest.detail],
      pods: [],
    });
  return found;
}

/** Each binding's risks once, with every ServiceAccount of the cluster it applies to. */
function riskEntries(inventory: Inventory, index: RbacIndex): RiskEntry[] {
  const entries = new Map<string, RiskEntry>();
  for (const account of inventory.serviceAccounts) {
    for (const risk of tokenRisks(account, index)) {
      const grantedBy = {
        kind: risk.grantedBy.kind,
        ...(risk.grantedBy.namespace ? { namespace: risk.grantedBy.namespace } : {}),
        name: risk.grantedBy.name,
      };
      const riskKey = key(risk.code, risk.scope, grantedBy.kind, grantedBy.namespace ?? '', grantedBy.name);
      const entry = entries.get(riskKey) ?? {
        code: risk.code,
        scope: risk.scope,
        grantedBy,
        message: risk.message,
        serviceAccounts: [],
      };
      entry.serviceAccounts.push(`${account.namespace}/${account.name}`);
      entries.set(riskKey, entry);
    }
  }
  return [...entries.values()].sort(
    (a, b) =>
      compare(a.grantedBy.namespace ?? '', b.grantedBy.namespace ?? '') ||
      compare(a.grantedBy.kind, b.grantedBy.kind) ||
      compare(a.grantedBy.name, b.grantedBy.name) ||
      compare(a.code, b.code),
  );
}

function countsOf(inventory: Inventory, tokenSecrets: number): ClusterReport['counts'] {
  const namespaces = new Set(inventory.serviceAccounts.map((account) => account.namespace));
  const pods = inventory.serviceAccounts.reduce((sum, account) => sum + account.pods.length, 0);
  return {
    namespaces: namespaces.size,
    serviceAccounts: inventory.serviceAccounts.length,
    pods: pods + inventory.staticPods.length,
    tokenSecrets,
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const earliest = (dates: (string | null)[]) =>
  dates.filter((date): date is string => date !== null).sort(compare)[0] ?? null;

/**
 * will-break: a workload reads a missing, empty or invalidated token Secret, or a doctor check fails;
 * cleanup-pending: the legacy token cleaner will invalidate or delete token Secrets (dates in the reasons);
 * ready otherwise. A report with errors says so in `complete`; its verdict covers what could be read.
 */
export function verdictOf(report: ClusterReport): { verdict: Verdict; reasons: string[] } {
  const breaking = report.legacyTokenReads.filter((read) => read.breaks);
  const breaks: string[] = [];
  for (const state of ['missing', 'empty', 'invalidated'] as const) {
    const reads = breaking.filter((read) => read.secretState === state);
    if (reads.length)
      breaks.push(
        `${plural(new Set(reads.map((read) => key(read.namespace, read.kind, read.workload))).size, 'workload')} read ${state} token Secrets: ${reads.map((read) => `${read.namespace}/${read.workload} → ${read.secret}`).join(', ')}`,
      );
  }
  const otherFailures = report.failingChecks.filter((failure) => failure.check !== 'legacy-token-secret');
  if (otherFailures.length)
    breaks.push(
      `${plural(otherFailures.length, 'failing check')}: ${otherFailures.map((failure) => `${failure.namespace ? `${failure.namespace}/` : ''}${failure.workload} ${failure.check}`).join(', ')}`,
    );
  if (breaks.length === 0 && report.failingChecks.length)
    breaks.push(`${plural(report.failingChecks.length, 'failing check')}`);
  const cleanup: string[] = [];
  const pending = report.tokenSecrets.filter(
    (secret) => !secret.cleanup.exempt && (secret.invalidSince || secret.cleanup.invalidatedOnOrAfter),
  );
  const invalidated = pending.filter((secret) => secret.invalidSince);
  const upcoming = pending.filter((secret) => !secret.invalidSince);
  if (invalidated.length)
    cleanup.push(
      `${plural(invalidated.length, 'invalidated token Secret')}, deleted on or after ${earliest(invalidated.map((secret) => secret.cleanup.deletedOnOrAfter)) ?? 'a clean-up period later'}`,
    );
  if (upcoming.length)
    cleanup.push(
      `${plural(upcoming.length, 'unused auto-generated token Secret')}, invalidated on or after ${earliest(upcoming.map((secret) => secret.cleanup.invalidatedOnOrAfter))}`,
    );
  const unknown = report.legacyTokenReads.filter((read) => read.secretState === 'unknown');
  const unchecked = unknown.length
    ? [`${plural(unknown.length, 'token Secret read')} could not be checked (Secrets not readable)`]
    : [];
  if (breaks.length) return { verdict: 'will-break', reasons: [...breaks, ...cleanup, ...unchecked] };
  if (cleanup.length) return { verdict: 'cleanup-pending', reasons: [...cleanup, ...unchecked] };
  return {
    verdict: 'ready',
    reasons: ['no workload reads a legacy token Secret that breaks, no failing check', ...unchecked],
  };
}

/** The report of a cluster that could not be read at all. */
export function unreachableReport(context: string, server: string, message: string): ClusterReport {
  return {
    context,
    server,
    version: null,
    verdict: 'unreachable',
    reasons: [message],
    complete: false,
    counts: { namespaces: 0, serviceAccounts: 0, pods: 0, tokenSecrets: 0 },
    legacyTokenReads: [],
    tokenSecrets: [],
    tokensNeeded: [],
    audienceTokens: [],
    failingChecks: [],
    risks: [],
    errors: [{ source: 'connection', message }],
  };
}
