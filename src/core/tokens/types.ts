// Shared shapes of the token core. The JSON printed by `sa-token decode --json` is `TokenReport`.

/** How the token was written where we found it. */
export type TokenSource = 'jwt' | 'bearer' | 'base64';

/** A token located in text. Offsets are UTF-16 code unit offsets into the searched text (end exclusive). */
export interface TokenMatch {
  /** Start of the whole match, including a `Bearer ` prefix or the base64 wrapping. */
  start: number;
  end: number;
  source: TokenSource;
  /** The compact JWT (`header.payload.signature`), unwrapped from base64 when source is `base64`. */
  jwt: string;
}

export type TokenKind = 'legacy' | 'bound' | 'jwt';
export type Severity = 'error' | 'warning' | 'info';

export type TokenFindingCode =
  | 'legacy-non-expiring'
  | 'expired'
  | 'not-yet-valid'
  | 'past-warnafter'
  | 'extended-expiration'
  | 'long-lived'
  | 'unsigned'
  | 'audience'
  | 'malformed';

export interface TokenFinding {
  code: TokenFindingCode;
  severity: Severity;
  message: string;
}

export interface BoundObject {
  kind: 'pod' | 'secret' | 'node';
  name: string;
  uid: string | null;
}

export type SignatureResult =
  | { checked: false }
  | {
      checked: true;
      valid: boolean;
      keyId: string | null;
      reason: string | null;
      /** Where the matching key came from (a key file's path, "cluster <context>"); only when valid. */
      keySource?: string;
    };

/** Everything we can say about one token, without its signature. */
export interface TokenReport {
  source: TokenSource;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  kind: TokenKind;
  namespace: string | null;
  serviceAccount: string | null;
  serviceAccountUid: string | null;
  boundTo: BoundObject | null;
  /** A pod-bound token may also name the node the pod ran on. */
  node: { name: string; uid: string | null } | null;
  secretName: string | null;
  issuer: string | null;
  audience: string[];
  issuedAt: string | null;
  notBefore: string | null;
  expiresAt: string | null;
  warnAfter: string | null;
  expired: boolean | null;
  jti: string | null;
  findings: TokenFinding[];
  signature: SignatureResult;
}

/** Returned instead of a report when the input is not a decodable JWT. Never thrown. */
export interface TokenError {
  error: string;
}
