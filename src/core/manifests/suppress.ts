// Per-object suppression through annotations: ours, and the equivalent skips of other linters.
import { RULE_IDS } from './rules/catalog';
import type { RuleId } from './types';

export const IGNORE_ANNOTATION = 'sa-token.io/ignore';

// Other linters' checks that overlap ours. Only overlaps are honoured: skipping a generic "secret in env" check
// elsewhere does not hide SAT001 (a workload that breaks on upgrade), only the informational SAT009.
const KUBE_LINTER: Record<string, RuleId> = {
  'default-service-account': 'SAT006',
  'deprecated-service-account-field': 'SAT007',
  'env-var-secret': 'SAT009',
  'read-secret-from-env-var': 'SAT009',
};
// Polaris' automountServiceAccountToken check fails where the token is mounted, whatever the ServiceAccount.
const POLARIS: Record<string, RuleId[]> = { automountServiceAccountToken: ['SAT005', 'SAT006'] };
const POLARIS_EXEMPT = 'polaris.fairwinds.com/exempt';
// kubeaudit's asat auditor (default ServiceAccount with automount, deprecated serviceAccount) and its override label.
const KUBEAUDIT_ASAT: RuleId[] = ['SAT005', 'SAT006', 'SAT007'];
const KUBEAUDIT_OVERRIDE = 'allow-automount-service-account-token';
const KUBEAUDIT_LABELS = [
  `kubeaudit.io/${KUBEAUDIT_OVERRIDE}`,
  `audit.kubernetes.io/pod.${KUBEAUDIT_OVERRIDE}`,
  `audit.kubernetes.io/namespace.${KUBEAUDIT_OVERRIDE}`,
];
const CHECKOV: Record<string, RuleId> = {
  CKV_K8S_35: 'SAT009', // prefer secrets as files over environment variables
  CKV_K8S_38: 'SAT005', // service account tokens only mounted where necessary
  CKV_K8S_41: 'SAT006', // default service accounts not actively used
};

/**
 * Rules an object's annotations (and kubeaudit's labels) switch off. `sa-token.io/ignore: "all"` switches off every
 * rule. Polaris counts only the value "true" (any case), as Polaris does; kubeaudit any value (its reason).
 */
export function suppressedRules(
  annotations: ReadonlyMap<string, string>,
  labels: ReadonlyMap<string, string> = new Map(),
): Set<RuleId> {
  const rules = new Set<RuleId>();
  if (KUBEAUDIT_LABELS.some((label) => labels.has(label))) KUBEAUDIT_ASAT.forEach((id) => rules.add(id));
  if (annotations.get(POLARIS_EXEMPT)?.toLowerCase() === 'true') {
    Object.values(POLARIS).forEach((ids) => ids.forEach((id) => rules.add(id)));
  }
  for (const [key, value] of annotations) {
    if (key === IGNORE_ANNOTATION) {
      for (const word of value.split(/[\s,]+/)) {
        if (word.toLowerCase() === 'all') RULE_IDS.forEach((id) => rules.add(id));
        else if ((RULE_IDS as readonly string[]).includes(word.toUpperCase())) rules.add(word.toUpperCase() as RuleId);
      }
    } else if (key.startsWith('ignore-check.kube-linter.io/')) {
      addMapped(rules, KUBE_LINTER[key.slice('ignore-check.kube-linter.io/'.length)]);
    } else if (key.startsWith('polaris.fairwinds.com/') && key.endsWith('-exempt') && value.toLowerCase() === 'true') {
      POLARIS[key.slice('polaris.fairwinds.com/'.length, -'-exempt'.length)]?.forEach((id) => rules.add(id));
    } else if (/^checkov\.io\/skip\d+$/.test(key)) {
      // Value: CKV_K8S_38=optional comment
      addMapped(rules, CHECKOV[value.split('=')[0].trim()]);
    }
  }
  return rules;
}

function addMapped(rules: Set<RuleId>, rule: RuleId | undefined): void {
  if (rule) rules.add(rule);
}
