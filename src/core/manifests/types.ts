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

export interface ManifestFix {
  title: string;
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
}

/** What the workspace says about a ServiceAccount: declared with its automount setting, or named by a binding. */
export interface ServiceAccountEntry extends ObjectRef {
  /** true when a ServiceAccount object was seen (not only a RoleBinding subject). */
  declared: boolean;
  /** The ServiceAccount's automountServiceAccountToken, when it says. */
  automount?: boolean;
  /** A RoleBinding or ClusterRoleBinding names it: something is meant to use its token. */
  hasRoleBinding: boolean;
  fileName?: string;
  /** Its cloud workload identity annotations (eks.amazonaws.com/…, azure.workload.identity/…, iam.gke.io/…). */
  identityAnnotations?: Record<string, string>;
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
}

export interface LintOptions {
  fileName?: string;
  rules?: RuleSettings;
  /** Token Secrets known from other files or the cluster (this file's own are always used). */
  tokenSecrets?: TokenSecretIndex;
  serviceAccounts?: ServiceAccountIndex;
  /** Roles and ClusterRoles known from other files. */
  roles?: readonly RoleEntry[];
  fix?: FixOptions;
}

/** A YAML syntax problem; the engine lints what still parses. */
export interface ParseProblem {
  start: number;
  end: number;
  message: string;
}

export interface ManifestAnalysis {
  findings: ManifestFinding[];
  parseProblems: ParseProblem[];
}
