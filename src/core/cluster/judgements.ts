// What the cluster model means for the user: which token Secrets are live legacy tokens or cleanup candidates, which
// token sources are risky, why a service account deserves a look. Shared by the tree (features/cluster/present.ts)
// and `sa-token inventory`, so both say the same about the same cluster.
import { daysSince } from '../time';
import type { PodTokenSource, ServiceAccountInfo, TokenSecretInfo } from './model';

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

/** Invalidated by the cleaner, or unused for STALE_DAYS: deleting it is likely safe and removes a live credential. */
export function isCleanupCandidate(secret: TokenSecretInfo, now: Date): boolean {
  const state = tokenSecretState(secret, now);
  return state === 'invalidated' || state === 'stale';
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
