// Every failure of cluster access becomes a ClusterError: a kind the UI can branch on and one line a user can act on.
// Messages never contain token values: server text is passed through `redactTokens` and request bodies are never quoted.
import { formatMillisecondsAsSeconds } from '../core/time';

export type ClusterErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'timeout'
  | 'unreachable'
  | 'tls'
  | 'server'
  /** 429 Too Many Requests, still after the retries Retry-After allowed (API Priority and Fairness). */
  | 'throttled'
  | 'malformed'
  | 'cancelled'
  /** No kubeconfig, an unreadable one, or a context that does not exist. */
  | 'config';

export class ClusterError extends Error {
  override readonly name = 'ClusterError';

  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    /** HTTP status when the API server answered. */
    readonly status?: number,
  ) {
    super(oneLine(redactTokens(message)));
  }
}

/** Duck-typed check so callers that only `import type` this module can still recognise the error. */
export function isClusterError(value: unknown): value is ClusterError {
  return value instanceof Error && value.name === 'ClusterError' && typeof (value as ClusterError).kind === 'string';
}

/** Any failure as a ClusterError: a ClusterError as it is, anything else as a 'server' error with its message. */
export function toClusterError(error: unknown): ClusterError {
  return isClusterError(error)
    ? error
    : new ClusterError('server', error instanceof Error ? error.message : String(error));
}

const JWT_LIKE = /eyJ[\w-]*\.[\w-]*\.?[\w-]*/g;
const BASE64_JWT_LIKE = /ZXlK[A-Za-z0-9+/=]{16,}/g;

export function redactTokens(text: string): string {
  return text.replace(JWT_LIKE, '<redacted token>').replace(BASE64_JWT_LIKE, '<redacted token>');
}

function oneLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** What a request was doing, for messages: "list secrets in namespace team-a". */
export interface RequestPurpose {
  verb: string;
  resource: string;
  namespace?: string | null;
  name?: string;
}

export function describePurpose({ verb, resource, namespace, name }: RequestPurpose): string {
  const target = name ? `${resource} ${name}` : resource;
  const where = namespace ? ` in namespace ${namespace}` : namespace === null ? ' in all namespaces' : '';
  return `${verb} ${target}${where}`;
}

/** Maps a non-2xx answer of the API server to a ClusterError. `body` is the raw response text (a Status object, usually). */
export function errorFromStatus(status: number, body: string, purpose: RequestPurpose): ClusterError {
  const what = describePurpose(purpose);
  const serverMessage = statusMessage(body);
  const detail = serverMessage ? `: ${serverMessage}` : '';
  if (status === 401) {
    return new ClusterError(
      'unauthorized',
      `the cluster rejected the credentials (401) while trying to ${what}; log in again or refresh the kubeconfig`,
      status,
    );
  }
  if (status === 403) return new ClusterError('forbidden', `forbidden: cannot ${what}`, status);
  if (status === 404) return new ClusterError('not-found', `not found: ${what}${detail}`, status);
  if (status === 429) {
    return new ClusterError(
      'throttled',
      `the API server is throttling requests (429 Too Many Requests) and still refused after retries to ${what}`,
      status,
    );
  }
  if (status >= 500) return new ClusterError('server', `the API server failed (${status}) to ${what}${detail}`, status);
  return new ClusterError('server', `the API server refused (${status}) to ${what}${detail}`, status);
}

function statusMessage(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string') {
      return (parsed as { message: string }).message;
    }
  } catch {
    // Not a Status object (a proxy's HTML page, "404 page not found"): say nothing rather than quote it.
  }
  return null;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
};

/** Maps a transport failure (no HTTP answer) to a ClusterError. */
export function errorFromNetwork(error: unknown, server: string, purpose: RequestPurpose): ClusterError {
  if (isClusterError(error)) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const what = describePurpose(purpose);
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new ClusterError(
      'tls',
      `TLS verification of ${server} failed (${code}) while trying to ${what}; check the cluster's certificate-authority in the kubeconfig`,
    );
  }
  const reason = NETWORK_REASONS[code] ?? (code || (error instanceof Error ? error.message : 'unknown network error'));
  return new ClusterError('unreachable', `cannot reach ${server} (${reason}) while trying to ${what}`);
}

export function timeoutError(server: string, timeoutMs: number, purpose: RequestPurpose): ClusterError {
  return new ClusterError(
    'timeout',
    `${server} did not answer within ${formatMillisecondsAsSeconds(timeoutMs)} while trying to ${describePurpose(purpose)}`,
  );
}

export function cancelledError(purpose: RequestPurpose): ClusterError {
  return new ClusterError('cancelled', `cancelled: ${describePurpose(purpose)}`);
}
