// Every request authenticated with a legacy (Secret-based) token counts as a use — a TokenReview of it, and a
// SelfSubjectReview sent as it: the API server's legacy token authenticator labels the Secret with the day of use
// (pkg/serviceaccount/legacy.go, KEP-2799), which resets the staleness the tree shows and postpones the legacy token
// cleaner. These texts say so before a check and show the change after.
import { LAST_USED_LABEL } from '../kubernetes';
import { inspectToken, isTokenError } from './inspect';

export interface SecretRef {
  namespace: string;
  name: string;
}

/** The Secret a legacy token names in its claims (its namespace and secret.name), if it is one. */
export function legacySecretOf(token: string): SecretRef | undefined {
  const report = inspectToken(token);
  if (isTokenError(report) || report.kind !== 'legacy' || !report.namespace || !report.secretName) return undefined;
  return { namespace: report.namespace, name: report.secretName };
}

/**
 * `lastUsed`: the label's value, null when absent, undefined when it could not be read. `use`: what sends the token
 * (a TokenReview, or requests made as the token).
 */
export function legacyReviewWarning(
  secret: SecretRef,
  lastUsed: string | null | undefined,
  use = 'A TokenReview',
): string {
  const current =
    lastUsed === undefined
      ? 'its current value could not be read'
      : lastUsed === null
        ? 'it has no last-used date yet'
        : `last used ${lastUsed}`;
  return (
    `${use} counts as a use of this legacy token: the API server sets ${LAST_USED_LABEL} on Secret ` +
    `${secret.namespace}/${secret.name} to today (${current}). That resets the staleness shown here and postpones ` +
    'the legacy token cleaner.'
  );
}

/** After the check: what the label became. */
export function legacyReviewChange(before: string | null | undefined, after: string | null | undefined): string {
  if (after === undefined) return `${LAST_USED_LABEL} could not be read after the check.`;
  if (before === after) return `${LAST_USED_LABEL} unchanged (${after ?? 'none'}).`;
  return `${LAST_USED_LABEL}: ${before ?? 'none'} → ${after ?? 'none'}.`;
}
