// "Who am I, and what may I do?" asked *as a given token*: SelfSubjectReview and SelfSubjectRulesReview sent with
// that token as the only credential (no client certificate, no exec plugin, no impersonation). The TLS material
// (CA, server name) still comes from the kubeconfig's cluster, and verification stays on unless the kubeconfig
// itself says insecure-skip-tls-verify.
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { LoadedKubeconfig } from './config';
import { ClusterError, isClusterError } from './errors';
import { KubeHttp, type KubeRequest } from './http';

export interface TokenRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

export interface TokenNonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface TokenSelfReview {
  /** False when the cluster rejected the token (401): nothing else is known. */
  authenticated: boolean;
  user: { username: string; uid: string | null; groups: string[]; extra: Record<string, string[]> } | null;
  /** Why `user` is null although the token was accepted (SelfSubjectReview not served before 1.28). */
  userUnavailable: string | null;
  namespace: string;
  resourceRules: TokenRule[];
  nonResourceRules: TokenNonResourceRule[];
  /** The authorizer could not list everything (webhook authorizers, errors): rules may be missing. */
  incomplete: boolean;
  evaluationError: string | null;
}

/** KubeHttp whose only credential is `token`. */
class TokenHttp extends KubeHttp {
  private tokenAgent: https.Agent | undefined;

  constructor(
    private readonly cluster: LoadedKubeconfig,
    timeoutMs: number,
    private readonly token: string,
  ) {
    super(cluster, timeoutMs);
  }

  override async requestOptions(request: KubeRequest, signal: AbortSignal): Promise<https.RequestOptions> {
    if (new URL(this.cluster.cluster.server).protocol !== 'https:')
      throw new ClusterError('config', 'refusing to send a token to a server that is not https://');
    if (this.cluster.cluster.proxyUrl)
      throw new ClusterError('config', 'this cluster is reached through a proxy-url, which token checks do not use');
    const headers: http.OutgoingHttpHeaders = {
      accept: 'application/json',
      'user-agent': 'sa-token-inspector',
      authorization: `Bearer ${this.token}`,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return { method: request.method ?? 'GET', headers, agent: this.tokenOnlyAgent(), signal };
  }

  private tokenOnlyAgent(): https.Agent {
    const { caData, caFile, skipTLSVerify, tlsServerName } = this.cluster.cluster;
    this.tokenAgent ??= new https.Agent({
      keepAlive: false,
      ca: caData ? Buffer.from(caData, 'base64') : caFile ? readFileSync(caFile) : undefined,
      rejectUnauthorized: !skipTLSVerify,
      servername: tlsServerName || undefined,
    });
    return this.tokenAgent;
  }

  override close(): void {
    this.tokenAgent?.destroy();
  }
}

export async function selfReviewWithToken(
  loaded: LoadedKubeconfig,
  timeoutMs: number,
  token: string,
  namespace: string,
  signal?: AbortSignal,
): Promise<TokenSelfReview> {
  const http = new TokenHttp(loaded, timeoutMs, token);
  try {
    const rules = await http
      .json<{ status?: RawRulesStatus }>({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
        purpose: { verb: 'create', resource: 'selfsubjectrulesreviews', namespace },
        signal,
      })
      .catch((error: unknown) => {
        if (isClusterError(error) && error.kind === 'unauthorized') return undefined;
        throw error;
      });
    if (!rules) return rejected(namespace);
    const identity = await http
      .json<{ status?: { userInfo?: RawUser } }>({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        purpose: { verb: 'create', resource: 'selfsubjectreviews' },
        signal,
      })
      .then((review) => ({ user: userOf(review?.status?.userInfo), unavailable: null }))
      .catch((error: unknown) => {
        // Before 1.28 (or with the API disabled) there is no SelfSubjectReview; the rules still answer.
        if (isClusterError(error) && error.kind === 'not-found')
          return { user: null, unavailable: 'the cluster does not serve SelfSubjectReview (Kubernetes < 1.28)' };
        throw error;
      });
    const status = rules.status ?? {};
    return {
      authenticated: true,
      user: identity.user,
      userUnavailable: identity.unavailable,
      namespace,
      resourceRules: (Array.isArray(status.resourceRules) ? status.resourceRules : []).map((rule) => ({
        verbs: strings(rule?.verbs),
        apiGroups: strings(rule?.apiGroups),
        resources: strings(rule?.resources),
        resourceNames: strings(rule?.resourceNames),
      })),
      nonResourceRules: (Array.isArray(status.nonResourceRules) ? status.nonResourceRules : []).map((rule) => ({
        verbs: strings(rule?.verbs),
        nonResourceURLs: strings(rule?.nonResourceURLs),
      })),
      incomplete: status.incomplete === true,
      evaluationError: typeof status.evaluationError === 'string' ? status.evaluationError : null,
    };
  } finally {
    http.close();
  }
}

interface RawUser {
  username?: unknown;
  uid?: unknown;
  groups?: unknown;
  extra?: unknown;
}
interface RawRulesStatus {
  resourceRules?: { verbs?: unknown; apiGroups?: unknown; resources?: unknown; resourceNames?: unknown }[];
  nonResourceRules?: { verbs?: unknown; nonResourceURLs?: unknown }[];
  incomplete?: unknown;
  evaluationError?: unknown;
}

const rejected = (namespace: string): TokenSelfReview => ({
  authenticated: false,
  user: null,
  userUnavailable: null,
  namespace,
  resourceRules: [],
  nonResourceRules: [],
  incomplete: false,
  evaluationError: null,
});

function userOf(raw: RawUser | undefined): TokenSelfReview['user'] {
  if (!raw || typeof raw.username !== 'string') return null;
  const extra: Record<string, string[]> = {};
  if (raw.extra && typeof raw.extra === 'object')
    for (const [key, value] of Object.entries(raw.extra as Record<string, unknown>)) extra[key] = strings(value);
  return {
    username: raw.username,
    uid: typeof raw.uid === 'string' && raw.uid ? raw.uid : null,
    groups: strings(raw.groups),
    extra,
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
