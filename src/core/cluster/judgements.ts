// What the cluster model means for the user: which token Secrets are live legacy tokens or cleanup candidates, which
// token sources are risky, why a service account deserves a look. Shared by the tree (features/cluster/present.ts)
// and `sa-token inventory`, so both say the same about the same cluster.
import { DAY_MS, daysSince, utcDate, utcDateOf } from '../time';
import type { Inventory, PodTokenSource, ServiceAccountInfo, TokenSecretInfo } from './model';

/**
 * Unused this long, a legacy token is worth cleaning up. Kubernetes' own cleaner waits a year by default
 * (kube-controller-manager `--legacy-service-account-token-clean-up-period`); we point it out sooner.
 */
export const STALE_DAYS = 90;

export type TokenSecretState = 'empty' | 'legacy' | 'stale' | 'invalidated';

/** A token Secret's state: still empty, invalidated by the cleaner, unused for long, or a live legacy token. */
export function tokenSecretState(secret: TokenSecretInfo, now: Date): TokenSecretState {
  if (!secret.populated) return 'empty';
  if (secret.invalidSince) return 'invalidated';
  const unusedDays = daysSince(secret.lastUsed ?? secret.createdAt, now);
  return unusedDays !== undefined && unusedDays >= STALE_DAYS ? 'stale' : 'legacy';
}

/** Pods of any service account in `namespace` that mount or read `secretName` (sorted, unique). */
export function podsReadingSecret(inventory: Inventory, namespace: string, secretName: string): string[] {
  const readers = new Set<string>();
  for (const account of inventory.serviceAccounts) {
    if (account.namespace !== namespace) continue;
    for (const pod of account.pods) {
      if (pod.tokenSources.some((source) => source.kind !== 'projected' && source.secretName === secretName))
        readers.add(pod.name);
    }
  }
  return [...readers].sort();
}

/** What the cleaner needs to know about `secret` of `account` from the rest of the inventory. */
export function cleanupUsage(inventory: Inventory, account: ServiceAccountInfo, secret: TokenSecretInfo): CleanupUsage {
  return {
    listedInSecrets: account.secretsList.includes(secret.name),
    readBy: podsReadingSecret(inventory, secret.namespace, secret.name),
    trackedSince: inventory.legacyTokenTrackingSince ?? null,
  };
}

/** A cleanup candidate by the legacy token cleaner's own rules (legacyCleanup): the tree and the CLI both ask this. */
export function isCleanupCandidate(
  secret: TokenSecretInfo,
  usage: CleanupUsage,
  now: Date,
  periodDays = DEFAULT_CLEAN_UP_PERIOD_DAYS,
): boolean {
  return isCleanerCandidate(legacyCleanup(secret, usage, periodDays), now);
}

/** Reading a token Secret (volume or env) hands a pod a non-expiring legacy token. */
export function isRiskyRead(source: PodTokenSource): source is Exclude<PodTokenSource, { kind: 'projected' }> {
  return source.kind !== 'projected';
}

/** Why a service account deserves a look, one line per reason (empty when nothing is risky). */
export function accountRisks(account: ServiceAccountInfo): string[] {
  const risks: string[] = [];
  const legacy = account.tokenSecrets.filter((secret) => secret.populated && !secret.invalidSince).length;
  if (legacy) risks.push(`⚠ ${legacy} legacy non-expiring token${legacy === 1 ? '' : 's'} in Secrets`);
  if (account.missingSecrets.length)
    risks.push(`⚠ .secrets names missing Secrets: ${account.missingSecrets.join(', ')}`);
  const readers = account.pods.filter((pod) => pod.tokenSources.some(isRiskyRead)).map((pod) => pod.name);
  if (readers.length) risks.push(`⚠ pods reading token Secrets: ${readers.join(', ')}`);
  return risks;
}

/** kube-controller-manager's `--legacy-service-account-token-clean-up-period` default: one year. */
export const DEFAULT_CLEAN_UP_PERIOD_DAYS = 365;

/** What the legacy token cleaner knows about a token Secret beyond its own labels. */
export interface CleanupUsage {
  /** Named in its ServiceAccount's `.secrets`: the cleaner's sign of an auto-generated token. */
  listedInSecrets: boolean;
  /** Pods of the namespace that mount or read it (podutil.VisitPodSecretNames). */
  readBy: string[];
  /** The tracking ConfigMap's `since`, when known: the cleaner does nothing before it plus a day and a period. */
  trackedSince?: string | null;
}

export interface CleanupTimeline {
  /** Why the cleaner never touches it, if so. */
  exempt: 'not-auto-generated' | 'read-by-pods' | null;
  /** `legacy-token-invalid-since` when set. */
  invalidated: string | null;
  /** When the cleaner invalidates it at the earliest (no label yet, not exempt). */
  invalidatedOnOrAfter: string | null;
  /** When the cleaner deletes it at the earliest (counted from the invalidation, actual or projected). */
  deletedOnOrAfter: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

function addDays(date: string, days: number): string | null {
  if (!DATE.test(date)) return null;
  const time = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(time) ? null : utcDate(new Date(time + days * DAY_MS));
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a > b ? a : b);

/**
 * The legacy token cleaner's rules (pkg/controller/serviceaccount/legacy_serviceaccount_token_cleaner.go
 * evaluateSATokens): only token Secrets listed in their ServiceAccount's `.secrets` and read by no pod; created
 * and last used (the label, else tracking start) more than a period ago get `invalid-since: <today>`, but never
 * before tracking has run a whole period (`now < since + 1 day + period`: the cleaner does nothing); a period after
 * that date (`invalidSince < now - period`) they are deleted.
 */
export function legacyCleanup(secret: TokenSecretInfo, usage: CleanupUsage, periodDays: number): CleanupTimeline {
  const deleteAfter = (invalidated: string | null) => (invalidated ? addDays(invalidated, periodDays + 1) : null);
  if (secret.invalidSince && DATE.test(secret.invalidSince)) {
    const exempt = usage.readBy.length ? 'read-by-pods' : usage.listedInSecrets ? null : 'not-auto-generated';
    // A Secret labelled earlier and read again since is left alone by the cleaner (it skips read Secrets).
    return {
      exempt,
      invalidated: secret.invalidSince,
      invalidatedOnOrAfter: null,
      deletedOnOrAfter: exempt ? null : deleteAfter(secret.invalidSince),
    };
  }
  if (!usage.listedInSecrets || usage.readBy.length || !secret.populated) {
    const exempt = !usage.listedInSecrets ? 'not-auto-generated' : usage.readBy.length ? 'read-by-pods' : null;
    return { exempt, invalidated: null, invalidatedOnOrAfter: null, deletedOnOrAfter: null };
  }
  // created < now - period; lastUsed < format(now - period): both a full period (and a day for the date) ago.
  const created = secret.createdAt ? addDays(secret.createdAt, periodDays + 1) : null;
  const used = secret.lastUsed ? addDays(secret.lastUsed, periodDays + 1) : null;
  const tracked = usage.trackedSince ? addDays(usage.trackedSince, periodDays + 1) : null;
  const invalidatedOnOrAfter = later(later(created, used), tracked);
  return { exempt: null, invalidated: null, invalidatedOnOrAfter, deletedOnOrAfter: deleteAfter(invalidatedOnOrAfter) };
}

/** The cleaner has invalidated it, or would on its next daily run. */
export function isCleanerCandidate(timeline: CleanupTimeline, now: Date): boolean {
  // An invalidated token no longer authenticates, whoever still reads it: deleting it is the clean-up.
  if (timeline.invalidated) return true;
  if (timeline.exempt) return false;
  return timeline.invalidatedOnOrAfter !== null && timeline.invalidatedOnOrAfter <= utcDate(now);
}

/**
 * A token Secret's state in plain words, the essential word first (a narrow sidebar cuts the end), then one date —
 * never an age, which goes stale: `never expires · last used 2025-05-31`, `cleanup candidate · unused since …`,
 * `invalidated 2025-01-10 · deleted from 2026-01-11`, `empty: no token yet`. The tree's row and `sa-token inventory`
 * both say this.
 */
export function tokenSecretSummary(secret: TokenSecretInfo, timeline: CleanupTimeline, now: Date): string {
  const state = tokenSecretState(secret, now);
  if (state === 'empty') return 'empty: no token yet';
  if (state === 'invalidated')
    return joinParts([
      `invalidated ${secret.invalidSince}`,
      timeline.deletedOnOrAfter && `deleted from ${timeline.deletedOnOrAfter}`,
    ]);
  const candidate = isCleanerCandidate(timeline, now);
  const created = utcDateOf(secret.createdAt);
  const unusedSince = secret.lastUsed ?? created;
  return joinParts([
    candidate ? 'cleanup candidate' : 'never expires',
    state === 'stale' || candidate
      ? unusedSince && `unused since ${unusedSince}`
      : secret.lastUsed
        ? `last used ${secret.lastUsed}`
        : created && `created ${created}`,
  ]);
}

const joinParts = (parts: (string | null | undefined)[]): string => parts.filter(Boolean).join(' · ');

/** "invalidated 2026-03-02, deleted on or after 2027-03-03", or why the cleaner leaves it alone. */
export function describeCleanup(timeline: CleanupTimeline): string | undefined {
  if (timeline.exempt === 'not-auto-generated')
    return 'the legacy token cleaner leaves it alone (not listed in its ServiceAccount’s .secrets)';
  if (timeline.exempt === 'read-by-pods') return 'the legacy token cleaner leaves it alone (pods read it)';
  const deleted = timeline.deletedOnOrAfter ? `, deleted on or after ${timeline.deletedOnOrAfter}` : '';
  if (timeline.invalidated) return `invalidated ${timeline.invalidated}${deleted}`;
  if (timeline.invalidatedOnOrAfter) return `invalidated on or after ${timeline.invalidatedOnOrAfter}${deleted}`;
  return undefined;
}
