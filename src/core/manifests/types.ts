// Shared shapes of the manifest engine. Offsets are UTF-16 offsets into the linted text (end exclusive).
import type { Role } from '../rbac/types';
import type { Severity } from '../tokens/types';

export type { Severity } from '../tokens/types';

export type RuleId =
  | 'SAT001'
  | 'SAT002'
  | 'SAT003'
  | 'SAT004'
  | 'SAT005'
  | 'SAT006'
  | 'SAT007'
  | 'SAT008'
  | 'SAT009'
  // RBAC bindings (SAT101–SAT104).
  | 'SAT101'
  | 'SAT102'
  | 'SAT103'
  | 'SAT104'
  // Dependency files (SAT201), application code (SAT202), cloud workload identity in manifests (SAT203).
  | 'SAT201'
  | 'SAT202'
  | 'SAT203'
  // Tokens in any text file: a committed service account token (SAT301), an expired kubeconfig token (SAT302).
  | 'SAT301'
  | 'SAT302';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * `migration`: keeps what the workload can do (SAT001 rewrite, SAT007 rename, SAT003 clamp); applied by default.
 * `hardening`: takes something away (automount off, a new ServiceAccount); only when asked, its detail says what.
 */
export type FixKind = 'migration' | 'hardening';

export interface ManifestFix {
  /** At most 8 words (the lightbulb menu); what it changes for the workload is its `detail`. */
  title: string;
  /** What applying it means for the workload or the app (shown in the diagnostic), when there is more to say. */
  detail?: string;
  kind: FixKind;
  edits: TextEdit[];
}

export interface ManifestFinding {
  rule: RuleId;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  fixes: ManifestFix[];
  /** The object the finding is about, when the editor can do more with it (SAT002: show consumers). */
  subject?: ObjectRef & { kind: string };
}

export interface ObjectRef {
  name: string;
  /** Absent when the manifest does not say (it then matches any namespace). */
  namespace?: string;
}

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
}

export type RuleSettings = Partial<Record<RuleId, RuleSetting>>;

export interface FixOptions {
  /** serviceAccountToken.expirationSeconds written by fixes; default 3600. */
  expirationSeconds?: number;
  /** Where the projected token volume is mounted; default /var/run/secrets/kubernetes.io/serviceaccount. */
  mountPath?: string;
  /** Audience of the projected token; omitted (API server default) unless set. */
  audience?: string;
}

/** A Secret of type kubernetes.io/service-account-token seen in the workspace or the cluster. */
export interface TokenSecretEntry extends ObjectRef {
  serviceAccount?: string;
  fileName?: string;
  /** A Secret object of the manifests (explicitly created), not only known from the cluster. */
  declared?: boolean;
}

/** What the workspace says about a ServiceAccount: declared with its automount setting, or named by a binding. */
export interface ServiceAccountEntry extends ObjectRef {
  /** true when a ServiceAccount object was seen (not only a RoleBinding subject). */
  declared: boolean;
  /** The ServiceAccount's automountServiceAccountToken, when it says ('unknown': templated). */
  automount?: boolean | 'unknown';
  /** A RoleBinding or ClusterRoleBinding names it: something is meant to use its token. */
  hasRoleBinding: boolean;
  fileName?: string;
  /** Its cloud workload identity annotations (eks.amazonaws.com/…, azure.workload.identity/…, iam.gke.io/…). */
  identityAnnotations?: Record<string, string>;
}

/** A RoleBinding or ClusterRoleBinding subject of kind Group that takes in ServiceAccounts (system:serviceaccounts…). */
export interface GroupBindingEntry {
  group: string;
  fileName?: string;
}

export type TokenSecretIndex = readonly TokenSecretEntry[];
export type ServiceAccountIndex = readonly ServiceAccountEntry[];

/** A Role or ClusterRole seen in the workspace, with the file that defines it. */
export interface RoleEntry extends Role {
  fileName?: string;
}

export interface WorkspaceIndex {
  tokenSecrets: TokenSecretEntry[];
  serviceAccounts: ServiceAccountEntry[];
  /** Roles and ClusterRoles, for the RBAC binding rules. */
  roles?: RoleEntry[];
  groupBindings: GroupBindingEntry[];
  /** Files a kustomization.yaml names as patches (absolute or as given, with `/` separators). */
  patchFiles: string[];
  /** Kustomizations that set `namespace:` (their paths). */
  namespaceSetters: string[];
}

export interface LintOptions {
  fileName?: string;
  rules?: RuleSettings;
  /** Token Secrets known from other files or the cluster (this file's own are always used). */
  tokenSecrets?: TokenSecretIndex;
  serviceAccounts?: ServiceAccountIndex;
  /** Roles and ClusterRoles known from other files. */
  roles?: readonly RoleEntry[];
  groupBindings?: readonly GroupBindingEntry[];
  /** Kustomizations of the file's scope that set `namespace:` (their paths). */
  namespaceSetters?: readonly string[];
  fix?: FixOptions;
  /**
   * A Kustomize patch (named by a kustomization.yaml): it holds only what it changes, so rules that conclude from a
   * field's absence (SAT005, SAT006, SAT008, a projected token without path) stay quiet.
   */
  patch?: boolean;
}

/** A YAML syntax problem; the engine lints what still parses. */
export interface ParseProblem {
  start: number;
  end: number;
  message: string;
  /** `warning`: the document is still linted (duplicate keys: the last one wins, as in Kubernetes). */
  severity?: 'warning';
}

export interface ManifestAnalysis {
  findings: ManifestFinding[];
  parseProblems: ParseProblem[];
}
