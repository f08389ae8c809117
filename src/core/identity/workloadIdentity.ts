// Cloud workload identity: which system a token audience or issuer belongs to, and what each provider's webhook
// expects of a ServiceAccount and its pods. Pure; shared by the hover, the decoded view, rule SAT203 and the doctor.
// Every fact names its source (README rule table, docs/kubernetes-token-facts.md).

export type IdentitySystem =
  | 'kubernetes'
  | 'aws-irsa'
  | 'eks-pod-identity'
  | 'azure-workload-identity'
  | 'gke-workload-identity'
  | 'google-wif'
  | 'vault'
  | 'spiffe';

/** What an audience or issuer string says about the system that consumes (or issued) the token. */
export interface SystemMatch {
  system: IdentitySystem;
  /** Human name, e.g. "AWS STS (EKS IAM Roles for Service Accounts)". */
  name: string;
  /** Exact shapes are certain; `likely` ones are a naming convention (e.g. an audience "vault"). */
  confidence: 'exact' | 'likely';
}

const SYSTEM_NAMES: Record<IdentitySystem, string> = {
  kubernetes: 'Kubernetes API server',
  'aws-irsa': 'AWS STS (EKS IAM Roles for Service Accounts)',
  'eks-pod-identity': 'EKS Pod Identity',
  'azure-workload-identity': 'Microsoft Entra ID (Azure Workload Identity)',
  'gke-workload-identity': 'GKE Workload Identity',
  'google-wif': 'Google Cloud Workload Identity Federation',
  vault: "HashiCorp Vault's Kubernetes/JWT auth",
  spiffe: 'SPIFFE / SPIRE',
};

const match = (system: IdentitySystem, confidence: SystemMatch['confidence'] = 'exact'): SystemMatch => ({
  system,
  name: SYSTEM_NAMES[system],
  confidence,
});

// Shapes, most specific first. Sources: amazon-eks-pod-identity-webhook (default audience sts.amazonaws.com),
// EKS Pod Identity agent (pods.eks.amazonaws.com), azure-workload-identity pkg/webhook/consts.go (DefaultAudience
// api://AzureADTokenExchange; the sovereign clouds' federated credentials use …USGov / …China), GKE (workload pool
// PROJECT.svc.id.goog; fleet pools PROJECT.hub.id.goog), Google WIF (//iam.googleapis.com/projects/N/locations/
// global/workloadIdentityPools/POOL/providers/PROVIDER), SPIRE k8s_psat (default audience spire-server).
const AUDIENCE_SHAPES: [RegExp, SystemMatch][] = [
  [/^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/i, match('aws-irsa')],
  [/^pods\.eks\.amazonaws\.com$/i, match('eks-pod-identity')],
  [/^api:\/\/AzureADTokenExchange(USGov|China)?$/i, match('azure-workload-identity')],
  [/^[a-z][a-z0-9-]{4,28}[a-z0-9]\.(svc|hub)\.id\.goog$/, match('gke-workload-identity')],
  [
    /^(https:)?\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/,
    match('google-wif'),
  ],
  [/^https:\/\/kubernetes\.default\.svc(\.[a-z0-9.-]+)?\/?$|^kubernetes\.default\.svc$/i, match('kubernetes')],
  [/^spiffe:\/\//i, match('spiffe')],
  [/^spire-server$/i, match('spiffe', 'likely')],
  [/(^|[/.:])vault([.:/-]|$)/i, match('vault', 'likely')],
];

/** The system an audience is meant for, from its shape; undefined when nothing is recognisable. */
export function audienceSystem(audience: string): SystemMatch | undefined {
  return AUDIENCE_SHAPES.find(([shape]) => shape.test(audience.trim()))?.[1];
}

export type ClusterIssuer = 'eks' | 'aks' | 'gke';

const ISSUER_NAMES: Record<ClusterIssuer, string> = {
  eks: 'Amazon EKS cluster OIDC issuer',
  aks: 'Azure AKS cluster OIDC issuer',
  gke: 'Google GKE cluster issuer',
};

// EKS: https://oidc.eks.REGION.amazonaws.com/id/ID; AKS: https://REGION.oic.prod-aks.azure.com/TENANT/UUID/;
// GKE: https://container.googleapis.com/v1/projects/P/locations/L/clusters/C.
const ISSUER_SHAPES: [RegExp, ClusterIssuer][] = [
  [/^https:\/\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+\/?$/, 'eks'],
  [/^https:\/\/[a-z0-9-]+\.oic\.prod-aks\.azure\.com\/[0-9a-f-]+\/[0-9a-f-]+\/?$/i, 'aks'],
  [/^https:\/\/container\.googleapis\.com\/v1\/projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+\/?$/, 'gke'],
];

/** The managed Kubernetes service whose cluster issued a token, from the `iss` shape. */
export function issuerSystem(issuer: string): { issuer: ClusterIssuer; name: string } | undefined {
  const found = ISSUER_SHAPES.find(([shape]) => shape.test(issuer.trim()))?.[1];
  return found && { issuer: found, name: ISSUER_NAMES[found] };
}

/** One line for people: "AWS STS (EKS IAM Roles for Service Accounts)", "likely HashiCorp Vault's …". */
export function describeAudience(audience: string): string | undefined {
  const found = audienceSystem(audience);
  if (!found) return undefined;
  return found.confidence === 'exact' ? found.name : `likely ${found.name}`;
}

// ---- What each provider expects of a ServiceAccount and its pods (rule SAT203, the doctor's audience check) ----

export type CloudProvider = 'aws' | 'azure' | 'gcp';

export interface CloudIdentityProvider {
  provider: CloudProvider;
  name: string;
  /** The ServiceAccount annotation that opts the account in. */
  accountAnnotation: string;
  /** Audience the provider's token exchange accepts by default (GKE exchanges through its metadata server). */
  defaultAudience?: string;
  /** Systems whose audiences fit this provider. */
  systems: readonly IdentitySystem[];
  /** Where the provider's webhook mounts its projected token. */
  tokenDirectory?: string;
  /** Annotation (ServiceAccount or pod) with the projected token's lifetime, and the range its webhook accepts. */
  expiration?: { annotation: string; min: number; max: number; below: string; above: string; notNumber: string };
  /** A label the pod itself must carry to be mutated. */
  podLabel?: { key: string; value: string };
  source: string;
}

export const AWS_AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';
export const AWS_ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** amazon-eks-pod-identity-webhook pkg/cache/cache.go: the webhook only warns ("arn is invalid") and goes on. */
export const AWS_ROLE_ARN_SHAPE = /^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w\-/.@+=,]+$/;

export const CLOUD_IDENTITY_PROVIDERS: readonly CloudIdentityProvider[] = [
  {
    provider: 'aws',
    name: 'EKS IAM Roles for Service Accounts',
    accountAnnotation: AWS_ROLE_ARN_ANNOTATION,
    defaultAudience: 'sts.amazonaws.com',
    systems: ['aws-irsa'],
    tokenDirectory: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    // pkg/constants.go: MinTokenExpiration 600 (values below are raised to it), MaxTokenExpiration 86400 ("max for
    // EKS"); a value that is not an integer is ignored (default 86400).
    expiration: {
      annotation: 'eks.amazonaws.com/token-expiration',
      min: 600,
      max: 86400,
      below: 'the webhook raises values under 600 to 600',
      above: "86400 (24 h) is the EKS maximum (the webhook's MaxTokenExpiration)",
      notNumber: 'the webhook ignores it and uses its default (86400)',
    },
    source: 'aws/amazon-eks-pod-identity-webhook pkg/constants.go, pkg/cache/cache.go, pkg/validation.go',
  },
  {
    provider: 'azure',
    name: 'Azure Workload Identity',
    accountAnnotation: 'azure.workload.identity/client-id',
    defaultAudience: 'api://AzureADTokenExchange',
    systems: ['azure-workload-identity'],
    tokenDirectory: '/var/run/secrets/azure/tokens',
    // pkg/webhook/consts.go: Min/MaxServiceAccountTokenExpiration 3600/86400; validServiceAccountTokenExpiry rejects
    // anything outside.
    expiration: {
      annotation: 'azure.workload.identity/service-account-token-expiration',
      min: 3600,
      max: 86400,
      below: 'the webhook accepts only 3600 to 86400 seconds',
      above: 'the webhook accepts only 3600 to 86400 seconds',
      notNumber: 'the webhook accepts only whole seconds from 3600 to 86400',
    },
    // docs/book/src/topics/service-account-labels-and-annotations.md: "This label is required in the pod template
    // spec. Only pods with this label will be mutated".
    podLabel: { key: 'azure.workload.identity/use', value: 'true' },
    source:
      'Azure/azure-workload-identity pkg/webhook/consts.go, docs/book/src/topics/service-account-labels-and-annotations.md',
  },
  {
    provider: 'gcp',
    name: 'GKE Workload Identity',
    accountAnnotation: 'iam.gke.io/gcp-service-account',
    systems: ['gke-workload-identity', 'google-wif'],
    source: 'GKE Workload Identity documentation (annotation iam.gke.io/gcp-service-account)',
  },
];

/** The cloud identity a ServiceAccount's annotations opt into (the first, in table order). */
export function cloudIdentityOf(annotations: ReadonlyMap<string, string>): CloudIdentityProvider | undefined {
  return CLOUD_IDENTITY_PROVIDERS.find((provider) => annotations.has(provider.accountAnnotation));
}

export function cloudProvider(provider: CloudProvider): CloudIdentityProvider {
  return CLOUD_IDENTITY_PROVIDERS.find((entry) => entry.provider === provider)!;
}

/** The audience a provider's token must carry for this ServiceAccount (AWS lets an annotation change it). */
export function expectedAudience(
  provider: CloudIdentityProvider,
  annotations: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  if (provider.provider === 'aws') return annotations.get(AWS_AUDIENCE_ANNOTATION) ?? provider.defaultAudience;
  return provider.defaultAudience;
}

/**
 * Whether an audience fits the provider: undefined when we cannot tell (an audience of no recognisable system may
 * be the provider's configured one), false when it is recognisably another system's, true when it fits.
 */
export function audienceFitsProvider(
  audience: string,
  provider: CloudIdentityProvider,
  annotations?: ReadonlyMap<string, string>,
): boolean | undefined {
  const expected = expectedAudience(provider, annotations);
  if (expected !== undefined && audience === expected) return true;
  const found = audienceSystem(audience);
  if (!found || found.confidence !== 'exact') return undefined;
  return provider.systems.includes(found.system);
}

/** Whether an expiration annotation's value is a whole number of seconds within the provider's range. */
export function expirationProblem(provider: CloudIdentityProvider, value: string): string | undefined {
  if (!provider.expiration) return undefined;
  const { annotation, min, max, below, above, notNumber } = provider.expiration;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (Number.isNaN(seconds)) return `${annotation} is not a whole number of seconds: ${notNumber}.`;
  if (seconds < min) return `${annotation} is ${seconds}: ${below}.`;
  if (seconds > max) return `${annotation} is ${seconds}: ${above}.`;
  return undefined;
}
