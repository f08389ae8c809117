// Kubernetes facts the product relies on: names, paths, limits, annotations and labels. Each has this one home and a
// comment naming where Kubernetes defines it (paths are in kubernetes/kubernetes unless said otherwise). More context:
// /work/shared/docs/kubernetes-token-facts.md. Pure constants: usable from the core, the kube layer and the CLI.
import { DAY_SECONDS } from './time';

/** Secret type of legacy token Secrets (staging/src/k8s.io/api/core/v1/types.go `SecretTypeServiceAccountToken`). */
export const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

/** Annotation naming a token Secret's service account (core/v1/types.go `ServiceAccountNameKey`). */
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** Annotation with that service account's uid (core/v1/types.go `ServiceAccountUIDKey`). */
export const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';

/** Label the API server sets on a legacy token Secret when its token is used (pkg/serviceaccount/legacy.go `LastUsedLabelKey`). */
export const LAST_USED_LABEL = 'kubernetes.io/legacy-token-last-used';

/**
 * Label the legacy token cleaner sets when it invalidates a token
 * (pkg/controller/serviceaccount/legacy_serviceaccount_token_cleaner.go, pkg/serviceaccount/legacy.go `InvalidSinceLabelKey`).
 */
export const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';
/**
 * kube-apiserver's legacytokentracking controller writes `data.since` (YYYY-MM-DD) here when it starts labelling
 * legacy token use; the cleaner acts only from the day after `since` plus one clean-up period.
 */
export const LEGACY_TOKEN_TRACKING_CONFIGMAP = {
  namespace: 'kube-system',
  name: 'kube-apiserver-legacy-service-account-token-tracking',
  key: 'since',
} as const;

/**
 * Where the ServiceAccount admission plugin mounts the token, CA and namespace in every container
 * (plugin/pkg/admission/serviceaccount/admission.go `DefaultAPITokenMountPath`).
 */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Name prefix of the projected volume admission injects (admission.go `ServiceAccountVolumeName` + generateName). */
export const INJECTED_VOLUME_PREFIX = 'kube-api-access-';

/**
 * Annotation the kubelet sets on the API server's copy (mirror) of a static pod (pkg/kubelet/types
 * `ConfigMirrorAnnotationKey`, core `MirrorPodAnnotationKey`); ServiceAccount admission skips such pods and forbids
 * them a service account, Secrets and token projections (plugin/pkg/admission/serviceaccount/admission.go).
 */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** Longest object name (DNS-1123 subdomain) the API server accepts: Secrets, Pods, RBAC objects
 * (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go `DNS1123SubdomainMaxLength`). */
export const MAX_OBJECT_NAME_LENGTH = 253;

/** The service account a pod runs as when it names none (plugin/pkg/admission/serviceaccount `DefaultServiceAccountName`). */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/**
 * Shortest token lifetime the API server accepts, for projected volumes and TokenRequest alike: 10 minutes
 * (pkg/apis/core/validation/validation.go `ValidateServiceAccountTokenProjection`,
 * pkg/apis/authentication/validation/validation.go `ValidateTokenRequest`).
 */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;

/** Longest token lifetime the API server accepts: 2^32 seconds (same validation functions as the minimum). */
export const MAX_TOKEN_EXPIRATION_SECONDS = 2 ** 32;

/** `serviceAccountToken.expirationSeconds` when a projected source does not set it (core/v1/types.go, defaulted in pkg/apis/core/v1/defaults.go). */
export const DEFAULT_PROJECTED_EXPIRATION_SECONDS = 3600;

/**
 * What the kubelet asks for the injected `kube-api-access-*` volume; the API server may issue those with about a
 * year of `exp` and this as `warnafter` (pkg/serviceaccount/claims.go `WarnOnlyBoundTokenExpirationSeconds`).
 */
export const INJECTED_TOKEN_EXPIRATION_SECONDS = 3607;

/**
 * The `exp` such a token gets when kube-apiserver's `--service-account-extend-token-expiration` is on (the default):
 * one year (`ExpirationExtensionSeconds`; pkg/registry/core/serviceaccount/storage/token.go extends only pod-bound
 * requests of exactly 3607 s for the API server's own audiences). Past `warnafter` the token still works, and the
 * API server records the use as stale (audit annotation `authentication.k8s.io/stale-token`).
 */
export const EXTENDED_TOKEN_EXPIRATION_SECONDS = 365 * DAY_SECONDS;

/**
 * Providers that cap extended tokens below a year, recognised by their issuer, with the documentation saying so.
 * EKS: "the extended expiry period is 90 days … rejects requests with tokens older than 90 days".
 */
export const PROVIDER_EXTENDED_TOKEN_CAPS: readonly {
  provider: string;
  issuer: RegExp;
  maxAgeSeconds: number;
  source: string;
}[] = [
  {
    provider: 'Amazon EKS',
    issuer: /^https:\/\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//,
    maxAgeSeconds: 90 * DAY_SECONDS,
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html',
  },
];

/** `iss` of legacy (Secret-based) tokens (pkg/serviceaccount/legacy.go `LegacyIssuer`). */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

/** Prefix of the private claims of legacy tokens (pkg/serviceaccount/legacy.go `legacyPrivateClaims`). */
export const LEGACY_CLAIM_PREFIX = 'kubernetes.io/serviceaccount/';

/**
 * The JWS algorithms the API server signs service account tokens with: RS256 for RSA keys, ES256/ES384/ES512 for
 * P-256/P-384/P-521 keys (pkg/serviceaccount/jwt.go `signerFromRSAPrivateKey`, `signerFromECDSAPrivateKey`; the
 * KEP-740 external signer allows the same four), with the signature size each gives (RFC 7518 §3.4: R||S for ECDSA;
 * an RSA signature is as long as the key's modulus, and Go refuses RSA keys under 1024 bits).
 */
export const SERVICE_ACCOUNT_SIGNATURE_BYTES: Readonly<Record<string, { min: number; max: number }>> = {
  RS256: { min: 128, max: 2048 },
  ES256: { min: 64, max: 64 },
  ES384: { min: 96, max: 96 },
  ES512: { min: 132, max: 132 },
};

/** A ServiceAccount's username is `system:serviceaccount:<namespace>:<name>` (k8s.io/apiserver serviceaccount.MakeUsername). */
export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

/** Every ServiceAccount token carries these groups, plus `system:serviceaccounts:<namespace>`. */
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
export const ALL_AUTHENTICATED_GROUP = 'system:authenticated';
