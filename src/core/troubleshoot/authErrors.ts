// Recognises the authentication and authorization errors Kubernetes, its client libraries and the workload-identity
// providers print, and explains them. Every pattern names the source its wording comes from. Pure and linear: one
// trigger scan over the text, and the detailed patterns only on the (bounded) lines it lands on.
import { printable } from '../printable';
import { AUTH_ERROR_TRIGGER } from './authErrorTrigger';

export type AuthErrorKind =
  | 'forbidden'
  | 'unauthorized'
  | 'token-expired'
  | 'token-invalidated'
  | 'serviceaccount-missing'
  | 'key-mismatch'
  | 'audience-mismatch'
  | 'token-file-missing'
  | 'cloud-audience';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** One recognised error. `serviceAccount`, `verb`, … are what the text says, in Kubernetes' name alphabet only. */
export interface AuthErrorExplanation {
  /** 1-based line of the text. */
  line: number;
  /** 0-based columns of the recognised part on that line. */
  start: number;
  end: number;
  kind: AuthErrorKind;
  serviceAccount: ServiceAccountRef | null;
  /** The username when it is not a service account (`demo-viewer`, `system:anonymous`). */
  user: string | null;
  verb: string | null;
  resource: string | null;
  apiGroup: string | null;
  namespace: string | null;
  /** Audiences named by an audience error (the token's, then the expected ones). */
  audiences: { token: string[]; expected: string[] } | null;
  /** The recognised error text, as it appears (bounded; may hold anything: display it escaped). */
  message: string;
  /** Which pattern matched, and where its wording comes from. */
  source: string;
  title: string;
  meaning: string;
  /** Most likely first. */
  causes: string[];
  /** Commands to run next (kubectl and sa-token), with the names the text gave. */
  next: string[];
}

// Kubernetes names: DNS subdomains (namespaces and ServiceAccounts are a subset). Captures use only these
// characters, so a name from a log can go into a command line, a command link or markdown as it is.
const NAME = '[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?';
const VERB = '[a-z*][a-zA-Z*-]{0,40}';
const RESOURCE = '[a-z0-9*][a-z0-9.*/-]{0,250}';
const GROUP = '[a-z0-9.-]{0,253}';
const SA_USER = new RegExp(`^system:serviceaccount:(${NAME}):(${NAME})$`);

/** Longest stretch of a line looked at around a trigger: bounds the work on a megabyte-long line. */
const WINDOW = 4096;
const MESSAGE_LIMIT = 500;

interface Pattern {
  kind: AuthErrorKind;
  regex: RegExp;
  source: string;
  /** Higher wins when several patterns match one line (an inner reason beats the generic wrapper). */
  priority: number;
  fields?: (match: RegExpExecArray) => Partial<AuthErrorExplanation>;
}

const serviceAccountOf = (username: string | undefined): Pick<AuthErrorExplanation, 'serviceAccount' | 'user'> => {
  if (username === undefined) return { serviceAccount: null, user: null };
  const sa = SA_USER.exec(username);
  return sa
    ? { serviceAccount: { namespace: sa[1], name: sa[2] }, user: null }
    : { serviceAccount: null, user: username };
};

/** Go's %q of a []string: ["a" "b"]. */
const goStrings = (text: string): string[] => [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]);

const FORBIDDEN_SOURCE =
  'k8s.io/apiserver pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage (via apierrors.NewForbidden)';

const PATTERNS: Pattern[] = [
  {
    kind: 'forbidden',
    source: FORBIDDEN_SOURCE,
    priority: 10,
    regex: new RegExp(
      `User "([^"\\n]{1,300})" cannot (${VERB}) resource "(${RESOURCE})" in API group "(${GROUP})" (?:in the namespace "(${NAME})"|at the cluster scope)`,
    ),
    fields: (m) => ({
      ...serviceAccountOf(m[1]),
      verb: m[2],
      resource: m[3],
      apiGroup: m[4],
      namespace: m[5] ?? null,
    }),
  },
  {
    // Before Kubernetes 1.14 (and the plain-text Forbidden writer): `cannot list pods.apps/scale in the namespace "x"`.
    kind: 'forbidden',
    source: `${FORBIDDEN_SOURCE}, pre-1.14 format "User %q groups %v cannot %s %s in the namespace %q."`,
    priority: 9,
    regex: new RegExp(
      `User "([^"\\n]{1,300})"(?: groups \\[[^\\]\\n]{0,500}\\])? cannot (${VERB}) (${RESOURCE}) (?:in the namespace "(${NAME})"|at the cluster scope)`,
    ),
    fields: (m) => {
      const [qualified, subresource] = m[3].split('/', 2);
      const dot = qualified.indexOf('.');
      const resource = dot < 0 ? qualified : qualified.slice(0, dot);
      return {
        ...serviceAccountOf(m[1]),
        verb: m[2],
        resource: subresource ? `${resource}/${subresource}` : resource,
        apiGroup: dot < 0 ? '' : qualified.slice(dot + 1),
        namespace: m[4] ?? null,
      };
    },
  },
  {
    kind: 'forbidden',
    source: `${FORBIDDEN_SOURCE} (non-resource request)`,
    priority: 8,
    regex: /User "([^"\n]{1,300})" cannot ([a-z*]{1,40}) path "([^"\n]{0,300})"/,
    fields: (m) => ({ ...serviceAccountOf(m[1]), verb: m[2], resource: m[3] }),
  },
  {
    kind: 'unauthorized',
    source:
      'k8s.io/apiserver pkg/endpoints/filters/authentication.go (401 Status "Unauthorized"); kubectl "You must be logged in to the server"',
    priority: 1,
    regex: /You must be logged in to the server|(?<![\w-])Unauthorized(?![\w-])/,
  },
  {
    kind: 'unauthorized',
    source: 'k8s.io/apiserver pkg/authentication/request/bearertoken/bearertoken.go invalidToken',
    priority: 2,
    regex: /invalid bearer token/,
  },
  {
    kind: 'token-expired',
    source: 'kubernetes pkg/serviceaccount/claims.go (jwt.ErrExpired)',
    priority: 20,
    regex: /service account token has expired/,
  },
  {
    kind: 'token-expired',
    source: 'go-jose jwt ErrExpired, as printed by clients and token reviewers',
    priority: 19,
    regex: /token is expired \(exp\)/,
  },
  {
    kind: 'token-invalidated',
    source: 'kubernetes pkg/serviceaccount/legacy.go (legacy-token-invalid-since label set by the cleaner)',
    priority: 22,
    regex: new RegExp(
      `the token in secret (${NAME})/(${NAME}) for service account (${NAME})/(${NAME}) has been marked invalid`,
    ),
    fields: (m) => ({ serviceAccount: { namespace: m[3], name: m[4] }, namespace: m[1], resource: `secrets/${m[2]}` }),
  },
  {
    kind: 'token-invalidated',
    source:
      'kubernetes pkg/serviceaccount/claims.go and legacy.go (bound Pod/Secret or legacy token Secret deleted or changed)',
    priority: 21,
    regex:
      /(?:service account token|Token) has been invalidated|Token does not match server's copy|(?:pod|secret|Secret) UID \([^)\n]{0,80}\) does not match (?:service account (?:pod|secret) ref )?claim/,
  },
  {
    kind: 'serviceaccount-missing',
    source: 'kubernetes plugin/pkg/admission/serviceaccount/admission.go (pod rejected: its ServiceAccount is missing)',
    priority: 23,
    regex: new RegExp(
      `error looking up service account (${NAME})/(${NAME}): serviceaccounts? "[^"\\n]{0,253}" not found`,
    ),
    fields: (m) => ({ serviceAccount: { namespace: m[1], name: m[2] }, namespace: m[1] }),
  },
  {
    kind: 'serviceaccount-missing',
    source: 'kubernetes pkg/serviceaccount/claims.go and legacy.go (ServiceAccount recreated: uid differs)',
    priority: 22,
    regex: /(?:service account|ServiceAccount) UID \([^)\n]{0,80}\) does not match claim/,
  },
  {
    kind: 'serviceaccount-missing',
    source: 'kubernetes pkg/serviceaccount/claims.go and legacy.go (ServiceAccount deleted)',
    priority: 22,
    regex: new RegExp(`(?:service account|ServiceAccount) (${NAME})/(${NAME}) has been deleted`),
    fields: (m) => ({ serviceAccount: { namespace: m[1], name: m[2] }, namespace: m[1] }),
  },
  {
    kind: 'serviceaccount-missing',
    source: 'kubernetes pkg/serviceaccount/claims.go (GetServiceAccount NotFound, inside "invalid bearer token")',
    priority: 21,
    regex: new RegExp(`serviceaccounts? "${NAME}" not found`),
  },
  {
    kind: 'key-mismatch',
    source: 'kubernetes pkg/serviceaccount/jwt.go (no key verifies the signature: go-jose ErrCryptoFailure / no keys)',
    priority: 20,
    regex:
      /(?:square|go-jose)\/go-jose: error in cryptographic primitive|invalid signature, no keys found|crypto\/rsa: verification error/,
  },
  {
    kind: 'audience-mismatch',
    source: "kubernetes pkg/serviceaccount/jwt.go (token audiences vs the API server's --api-audiences)",
    priority: 20,
    regex: /token audiences (\[[^\]\n]{0,1000}\]) is invalid for the target audiences (\[[^\]\n]{0,1000}\])/,
    fields: (m) => ({ audiences: { token: goStrings(m[1]), expected: goStrings(m[2]) } }),
  },
  {
    kind: 'token-file-missing',
    source: 'k8s.io/client-go rest/config.go InClusterConfig (ErrNotInCluster)',
    priority: 15,
    regex: /unable to load in-cluster configuration/,
  },
  {
    kind: 'token-file-missing',
    source:
      'client libraries reading /var/run/secrets/kubernetes.io/serviceaccount/token: client-go os.ReadFile, Node ENOENT, Python kubernetes incluster_config.py',
    priority: 16,
    regex:
      /\/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token'?: no such file or directory|no such file or directory, open '\/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token'|[Ss]ervice token file does not exists?|token file \S{1,300} does not exist/,
  },
  {
    kind: 'cloud-audience',
    source: 'AWS STS AssumeRoleWithWebIdentity error InvalidIdentityToken (IAM OIDC provider audience)',
    priority: 18,
    regex: /InvalidIdentityToken\)?:? [^\n]{0,80}?Incorrect token audience|Incorrect token audience/,
  },
  {
    kind: 'cloud-audience',
    source: 'Microsoft Entra ID error AADSTS700213 (federated identity credential subject)',
    priority: 18,
    regex: /AADSTS700213\b/,
  },
  {
    kind: 'cloud-audience',
    source: 'Microsoft Entra ID error AADSTS70021 (no federated identity credential matches issuer/subject/audience)',
    priority: 18,
    regex: /AADSTS70021\b/,
  },
  {
    kind: 'cloud-audience',
    source: 'HashiCorp Vault Kubernetes auth (jose claim validation: ErrInvalidAUDClaim)',
    priority: 18,
    regex: /claim "aud" is invalid/,
  },
  {
    kind: 'cloud-audience',
    source: 'HashiCorp Vault Kubernetes auth path_login.go (role bound_service_account_names)',
    priority: 18,
    regex: /service account name not authorized|namespace not authorized/,
  },
];

interface Description {
  title: string;
  meaning: string;
  causes: string[];
}

const DESCRIPTIONS: Record<AuthErrorKind, Description> = {
  forbidden: {
    title: 'Forbidden (RBAC)',
    meaning:
      'The request was authenticated (the token is fine) but no Role or ClusterRole bound to this identity allows this verb on this resource here.',
    causes: [
      'No RoleBinding/ClusterRoleBinding names this ServiceAccount for that verb and resource.',
      'The binding exists in another namespace, or names the ServiceAccount with the wrong namespace (a RoleBinding only grants in its own namespace).',
      'The role lists the resource without its API group, a subresource (e.g. pods/log), or a different verb (list vs get vs watch).',
      'The pod runs as another ServiceAccount than the one that was bound (often `default`).',
    ],
  },
  unauthorized: {
    title: 'Unauthorized (401)',
    meaning:
      'The API server could not authenticate the request: the token is missing, malformed, expired, revoked, signed by a key it does not trust, or meant for another audience.',
    causes: [
      'The application cached the token at start-up and keeps using it after it expired (bound tokens last about an hour; re-read the file).',
      "The token's Secret, pod or ServiceAccount was deleted or recreated since the token was issued.",
      'The token was issued by another cluster, or before the signing keys changed.',
      'The token carries another audience (a token for Vault or a cloud provider sent to the API server).',
      'No token was sent at all (automount off, wrong file path, empty environment variable).',
    ],
  },
  'token-expired': {
    title: 'Service account token expired',
    meaning:
      'The token is past its exp claim. Bound tokens from projected volumes expire and the kubelet rotates the file.',
    causes: [
      'The application read the token file once and keeps the old token in memory: re-read it (client libraries do since client-go 0.15.7, Python 12.0.0, Java 9.0.0, JavaScript 0.10.3).',
      'A token from `kubectl create token` or a TokenRequest was used after its --duration.',
      'The node clock or the API server clock is off.',
    ],
  },
  'token-invalidated': {
    title: 'Service account token invalidated',
    meaning:
      'The token is signed correctly but the object it is bound to is gone or changed: a deleted or recreated pod or Secret, a legacy token Secret deleted or marked invalid by the legacy token cleaner.',
    causes: [
      'A legacy token Secret was deleted (or labelled kubernetes.io/legacy-token-invalid-since by the cleaner after a year unused).',
      'The pod the token was bound to was deleted or recreated; its successor has a new token in its own volume.',
      'The token was copied out of its Secret and the Secret was regenerated since.',
    ],
  },
  'serviceaccount-missing': {
    title: 'ServiceAccount missing or recreated',
    meaning:
      'The ServiceAccount named by the token or the pod does not exist, or was deleted and recreated (a new uid): tokens issued to the old one are rejected, and pods naming a missing one are refused.',
    causes: [
      'The ServiceAccount was never created in this namespace (typo, or the chart creates it under another name).',
      'It was deleted and recreated (e.g. by a redeploy): old tokens carry the old uid; restart the pods to get new ones.',
      'The workload is deployed before its ServiceAccount (ordering in a GitOps sync).',
    ],
  },
  'key-mismatch': {
    title: 'Signature does not verify (key mismatch)',
    meaning: 'No service account signing key the API server trusts verifies this token.',
    causes: [
      'The control plane was rebuilt or its service-account key rotated, and old tokens (often legacy Secrets or copies) were signed by the old key.',
      'The token comes from another cluster.',
      'The token was altered or truncated.',
    ],
  },
  'audience-mismatch': {
    title: 'Token audience not accepted',
    meaning: "The token's aud claim does not include any audience the API server accepts (--api-audiences).",
    causes: [
      'A projected token with a custom audience (for Vault, a cloud provider, …) is mounted at the default path and used against the API server.',
      'A token requested with `kubectl create token --audience …` is sent to the API server.',
      "The API server's audiences or issuer changed.",
    ],
  },
  'token-file-missing': {
    title: 'No service account token in the container',
    meaning:
      'The in-cluster configuration found no token: the file /var/run/secrets/kubernetes.io/serviceaccount/token is absent, or the KUBERNETES_SERVICE_HOST/PORT variables are not set.',
    causes: [
      'automountServiceAccountToken is false on the pod or its ServiceAccount, and no projected token volume is mounted instead.',
      'The container mounts something else at /var/run/secrets/kubernetes.io/serviceaccount.',
      'The code runs outside a pod (locally, in CI) and should use a kubeconfig.',
    ],
  },
  'cloud-audience': {
    title: 'Workload identity rejected the token',
    meaning:
      'A cloud provider or Vault refused the ServiceAccount token: its audience, issuer or subject does not match what the trust configuration expects.',
    causes: [
      "The projected token has the wrong audience (AWS expects sts.amazonaws.com, Azure api://AzureADTokenExchange, Vault the role's audience).",
      'The trust policy or federated credential names another subject: system:serviceaccount:<namespace>:<name> must match exactly.',
      "The cluster's issuer URL is not the one registered with the provider.",
    ],
  },
};

/** All recognised errors of a text, in order, at most one per line (the most specific). Linear in the text. */
export function explainAuthErrors(text: string): AuthErrorExplanation[] {
  const results: AuthErrorExplanation[] = [];
  const trigger = new RegExp(AUTH_ERROR_TRIGGER.source, 'g');
  let line = 1;
  let counted = 0;
  let match: RegExpExecArray | null;
  while ((match = trigger.exec(text)) !== null) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    let lineEnd = text.indexOf('\n', match.index);
    if (lineEnd < 0) lineEnd = text.length;
    line += countNewlines(text, counted, lineStart);
    counted = lineStart;
    const windowStart = Math.max(lineStart, match.index - WINDOW / 2);
    const windowEnd = Math.min(lineEnd, match.index + WINDOW / 2);
    const found = explainLine(text.slice(windowStart, windowEnd), line, windowStart - lineStart);
    if (found) results.push(found);
    // One explanation per line: continue after it.
    trigger.lastIndex = lineEnd + 1;
  }
  return results;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = text.indexOf('\n', from); index >= 0 && index < to; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** The most specific explanation of one line (or part of one), or undefined. */
export function explainLine(raw: string, line = 1, offset = 0): AuthErrorExplanation | undefined {
  // Errors quoted inside JSON (structured logs, kubectl -v) have their quotes escaped.
  const text = raw.includes('\\"') ? raw.replace(/\\"/g, '"') : raw;
  let best: { pattern: Pattern; match: RegExpExecArray } | undefined;
  for (const pattern of PATTERNS) {
    if (best && pattern.priority <= best.pattern.priority) continue;
    const match = pattern.regex.exec(text);
    if (match) best = { pattern, match };
  }
  if (!best) return undefined;
  const { pattern, match } = best;
  // Positions are exact unless quotes were unescaped; then the whole piece is the range.
  const [start, end] = text === raw ? [match.index, match.index + match[0].length] : [0, raw.length];
  const explanation: AuthErrorExplanation = {
    line,
    start: offset + start,
    end: offset + end,
    kind: pattern.kind,
    serviceAccount: null,
    user: null,
    verb: null,
    resource: null,
    apiGroup: null,
    namespace: null,
    audiences: null,
    message: bounded(text.trim()),
    source: pattern.source,
    ...DESCRIPTIONS[pattern.kind],
    next: [],
    ...pattern.fields?.(match),
  };
  // A wrapper line often names the ServiceAccount elsewhere (`system:serviceaccount:ns:name` in an audit or log line).
  if (!explanation.serviceAccount) explanation.serviceAccount = mentionedServiceAccount(text);
  explanation.next = nextSteps(explanation);
  return explanation;
}

function mentionedServiceAccount(text: string): ServiceAccountRef | null {
  const mention = new RegExp(`system:serviceaccount:(${NAME}):(${NAME})(?![a-z0-9.-])`).exec(text);
  return mention ? { namespace: mention[1], name: mention[2] } : null;
}

const bounded = (text: string): string => (text.length <= MESSAGE_LIMIT ? text : `${text.slice(0, MESSAGE_LIMIT)}…`);

/** The resource as `kubectl auth can-i` takes it: resource[.group][/subresource]. */
export function canIResource(resource: string, apiGroup: string | null): string {
  const [base, subresource] = resource.split('/', 2);
  const qualified = apiGroup ? `${base}.${apiGroup}` : base;
  return subresource ? `${qualified}/${subresource}` : qualified;
}

function nextSteps(explanation: AuthErrorExplanation): string[] {
  const sa = explanation.serviceAccount;
  const ns = sa?.namespace ?? explanation.namespace ?? '<namespace>';
  const saName = sa?.name ?? '<serviceaccount>';
  const doctorFor =
    explanation.verb &&
    explanation.resource &&
    explanation.kind === 'forbidden' &&
    !explanation.resource.startsWith('/')
      ? ` --for "${explanation.verb} ${canIResource(explanation.resource, explanation.apiGroup)}"`
      : '';
  const doctor = sa
    ? `sa-token doctor serviceaccount/${saName} -n ${ns}${doctorFor}`
    : `sa-token doctor pod/<pod> -n ${ns}`;
  switch (explanation.kind) {
    case 'forbidden': {
      if (!explanation.verb || !explanation.resource) return [doctor];
      const target = explanation.resource.startsWith('/')
        ? explanation.resource
        : canIResource(explanation.resource, explanation.apiGroup);
      const scope = explanation.namespace ? ` -n ${explanation.namespace}` : '';
      const as = sa ? ` --as=system:serviceaccount:${sa.namespace}:${sa.name}` : '';
      return [
        `kubectl auth can-i ${explanation.verb} ${target}${scope}${as}`,
        doctor,
        `kubectl get rolebindings,clusterrolebindings -A -o wide | grep ${sa ? sa.name : '<subject>'}`,
      ];
    }
    case 'token-expired':
      return ['sa-token decode -   # paste the token: shows exp and warnafter', doctor];
    case 'token-invalidated':
      return [
        `kubectl get secrets -n ${ns} -l kubernetes.io/legacy-token-invalid-since`,
        doctor,
        `kubectl create token ${saName} -n ${ns}`,
      ];
    case 'serviceaccount-missing':
      return [`kubectl get serviceaccount ${saName} -n ${ns} -o jsonpath='{.metadata.uid}'`, doctor];
    case 'key-mismatch':
      return [
        'kubectl get --raw /openid/v1/jwks > jwks.json',
        'sa-token decode --jwks jwks.json -   # paste the token',
      ];
    case 'audience-mismatch':
      return ['sa-token decode -   # paste the token: shows aud', doctor];
    case 'token-file-missing':
      return [doctor, `kubectl get serviceaccount ${saName} -n ${ns} -o jsonpath='{.automountServiceAccountToken}'`];
    case 'cloud-audience':
      return ['sa-token decode -   # paste the token: shows aud, iss and sub', doctor];
    case 'unauthorized':
      return [
        'sa-token decode -   # paste the token the client sends',
        doctor,
        `kubectl create token ${saName} -n ${ns}`,
      ];
  }
}

/** What a user reads when a TokenReview rejects a token: the error's meaning in words, then the API server's own
 * text (printable, bounded), e.g. go-jose's "error in cryptographic primitive" as "no signing key … verifies it". */
export function tokenReviewRejection(context: string, error: string | null | undefined): string {
  const said = error ? bounded(printable(error)) : '';
  const explained = said ? explainLine(said) : undefined;
  if (!explained) return `The API server of ${context} rejects this token${said ? `: ${said}` : ''}.`;
  return `The API server of ${context} rejects this token: ${explained.meaning} (It says: "${said}")`;
}
