// What each rule is about: names, one-line summaries and help, for SARIF, settings and documentation.
import type { RuleId, Severity } from '../types';

export interface RuleInfo {
  id: RuleId;
  name: string;
  summary: string;
  help: string;
  /** The severity of its main finding (some findings of a rule are milder or stronger). */
  severity: Severity;
  enabledByDefault: boolean;
}

const rule = (
  id: RuleId,
  name: string,
  severity: Severity,
  summary: string,
  help: string,
  enabledByDefault = true,
): RuleInfo => ({
  id,
  name,
  severity,
  summary,
  help,
  enabledByDefault,
});

export const RULES: readonly RuleInfo[] = [
  rule(
    'SAT001',
    'LegacyTokenSecretRead',
    'error',
    'A container reads a legacy service account token Secret.',
    'Since Kubernetes 1.24 token Secrets are no longer created for ServiceAccounts and since 1.30 unused ones are deleted. Mount a projected serviceAccountToken volume instead; the application must read the token file and re-read it, because projected tokens rotate.',
  ),
  rule(
    'SAT002',
    'LongLivedTokenSecret',
    'info',
    'A long-lived service account token Secret.',
    'Tokens in Secrets of type kubernetes.io/service-account-token never expire. Prefer TokenRequest tokens (kubectl create token, projected volumes) and find who still consumes the Secret.',
  ),
  rule(
    'SAT003',
    'ProjectedTokenExpiration',
    'error',
    'Projected token expirationSeconds out of bounds.',
    'The API server rejects expirationSeconds under 600 or over 2^32; more than 24 hours keeps a leaked token usable for long.',
  ),
  rule(
    'SAT004',
    'ProjectedTokenPlacement',
    'warning',
    'Projected token with a custom audience at the API path, or a missing/duplicate path.',
    'A token for another audience mounted at /var/run/secrets/kubernetes.io/serviceaccount is rejected by the API server; every projected source needs its own path.',
  ),
  rule(
    'SAT005',
    'UnusedAutomountedToken',
    'info',
    'Service account token automounted where nothing shows it is used (off by default).',
    'Nothing in the linted manifests shows the workload calls the API server: no RoleBinding or ClusterRoleBinding for its ServiceAccount or its groups, no reference to the token path or KUBERNETES_SERVICE_HOST, no kubectl or token-using sidecar. Manifests cannot prove an app never calls the API, so this is a hint: if it does not, set automountServiceAccountToken: false.',
    false,
  ),
  rule(
    'SAT006',
    'DefaultServiceAccount',
    'warning',
    'Workload runs as the default ServiceAccount with its token mounted.',
    'The pod names no ServiceAccount (or an empty one), and nothing turns automount off: it shares the identity and permissions of every pod in the namespace that does the same. Give the workload its own ServiceAccount, or turn automount off if it never calls the API server.',
  ),
  rule(
    'SAT007',
    'DeprecatedServiceAccountField',
    'warning',
    'Deprecated serviceAccount field.',
    'Use serviceAccountName; serviceAccount is a deprecated alias.',
  ),
  rule(
    'SAT008',
    'MixedTokenMounts',
    'warning',
    'Two different credentials at the default token path in one pod.',
    'A container mounts something other than an API server token (a Secret, another audience) at /var/run/secrets/kubernetes.io/serviceaccount while automount gives the other containers the automatic token: the pod mixes two credentials at one path. Set automountServiceAccountToken: false, or mount the same token everywhere.',
  ),
  rule(
    'SAT009',
    'SecretInEnvironment',
    'info',
    'A container reads a Secret into an environment variable.',
    'Environment variables leak into logs and child processes; prefer mounting Secrets as files.',
    false,
  ),
  rule(
    'SAT101',
    'BindingMissesServiceAccount',
    'warning',
    'A binding names a ServiceAccount in the wrong namespace, or without the namespace it needs.',
    "A RoleBinding subject without namespace means the binding's namespace; a ClusterRoleBinding subject needs one. When the manifests define the ServiceAccount only elsewhere, the binding grants nothing to the account that was meant.",
  ),
  rule(
    'SAT102',
    'BindingGrantsTokenEscalation',
    'warning',
    'A binding gives ServiceAccounts a way to other tokens or more power.',
    'Reading Secrets yields every legacy token of the namespace; creating pods or workloads runs as any ServiceAccount there; serviceaccounts/token create mints tokens; impersonate, escalate/bind, wildcards and cluster-admin go further. Grant the narrowest rule the workload needs.',
  ),
  rule(
    'SAT103',
    'BindingReferenceMistake',
    'error',
    'A roleRef names a Role of another namespace, or a ServiceAccount subject has an apiGroup.',
    'A RoleBinding only uses Roles of its own namespace (use a ClusterRole to share rules). ServiceAccount subjects take apiGroup "" — the API server rejects any other.',
  ),
  rule(
    'SAT104',
    'BindingGrantsDefaultServiceAccount',
    'warning',
    'A binding grants permissions to the default ServiceAccount.',
    'Every pod of the namespace that names no serviceAccountName runs as default and gets these permissions. Create a dedicated ServiceAccount and bind that.',
  ),
  rule(
    'SAT201',
    'ClientLibraryReadsTokenOnce',
    'warning',
    'A Kubernetes client library older than the first version that reloads a rotated token.',
    'Dependency manifests and lock files: the resolved version (or every version the range allows) reads the service account token once, and API calls fail with 401 after it expires. Upgrade to the first version that reloads the token file.',
  ),
  rule(
    'SAT202',
    'TokenReadOnce',
    'info',
    'Application code reads the service account token once and keeps it.',
    'A token file (or a token env var) read at module level, in init/main, a constructor or a field initializer is kept after the kubelet rotates the file. Read it per request, or use the client library in-cluster configuration.',
  ),
  rule(
    'SAT203',
    'WorkloadIdentityMismatch',
    'warning',
    'A ServiceAccount annotated for cloud workload identity whose pods or annotations contradict it.',
    'Azure pods need the label azure.workload.identity/use: "true"; a projected token must carry the provider\'s audience; EKS and Azure token-expiration annotations must be in the webhook\'s range.',
  ),
  rule(
    'SAT301',
    'CommittedServiceAccountToken',
    'error',
    'A real service account token in a file (information once it has expired, unless it is a legacy token).',
    'Any text file: a legacy token (from a token Secret) or a bound token with the kubernetes.io claims, signed the way an API server signs. A legacy token works until its Secret is deleted and a bound one until it expires: revoke it (delete the Secret, or the bound pod or Secret), remove it from the file and its history, and read tokens from where Kubernetes puts them (a projected volume, kubectl create token in CI).',
  ),
  rule(
    'SAT302',
    'ExpiredKubeconfigToken',
    'warning',
    'A kubeconfig user presents a token that has expired.',
    'The API server answers 401 Unauthorized to every request with an expired token, so kubectl and every client using this kubeconfig fail. Request a new token (kubectl create token) or use an exec credential plugin that renews it.',
  ),
];

export const RULE_IDS: readonly RuleId[] = RULES.map((info) => info.id);
