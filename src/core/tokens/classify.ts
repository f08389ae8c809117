// Tells legacy secret-based, bound (TokenRequest) and other JWTs apart and extracts who the token speaks for.
// Claim layouts follow Kubernetes' pkg/serviceaccount (legacy.go, claims.go).
import {
  LEGACY_CLAIM_PREFIX as LEGACY_CLAIM,
  LEGACY_ISSUER,
  SERVICE_ACCOUNT_USER_PREFIX as SUBJECT_PREFIX,
} from '../kubernetes';
import { fromNumericDate } from '../time';
import type { BoundObject, TokenReport } from './types';

const BOUND_CLAIM = 'kubernetes.io';
/** The legacy claim names, built once: a name concatenated per lookup is hashed anew on every decode (bench). */
const LEGACY_NAMESPACE = `${LEGACY_CLAIM}namespace`;
const LEGACY_ACCOUNT_NAME = `${LEGACY_CLAIM}service-account.name`;
const LEGACY_ACCOUNT_UID = `${LEGACY_CLAIM}service-account.uid`;
const LEGACY_SECRET_NAME = `${LEGACY_CLAIM}secret.name`;

/** Who the token speaks for: the report's identity fields, with warnafter still a Date. */
export type Identity = Pick<
  TokenReport,
  'kind' | 'namespace' | 'serviceAccount' | 'serviceAccountUid' | 'boundTo' | 'node' | 'secretName'
> & {
  warnAfter: Date | undefined;
};

type Claims = Record<string, unknown>;

export const asObject = (value: unknown): Claims | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Claims) : undefined;
const asString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** `problems` collects claims of the wrong shape; they become `malformed` findings. */
export function identify(claims: Claims, problems: string[]): Identity {
  const bound = asObject(claims[BOUND_CLAIM]);
  if (claims[BOUND_CLAIM] !== undefined && !bound) problems.push(`Claim "${BOUND_CLAIM}" is not an object.`);
  if (bound) return identifyBound(claims, bound, problems);
  if (claims.iss === LEGACY_ISSUER || typeof claims[LEGACY_NAMESPACE] === 'string') {
    return identifyLegacy(claims);
  }
  return { ...fromSubject(claims), kind: 'jwt', boundTo: null, node: null, secretName: null, warnAfter: undefined };
}

function identifyLegacy(claims: Claims): Identity {
  const subject = fromSubject(claims);
  return {
    kind: 'legacy',
    namespace: asString(claims[LEGACY_NAMESPACE]) ?? subject.namespace,
    serviceAccount: asString(claims[LEGACY_ACCOUNT_NAME]) ?? subject.serviceAccount,
    serviceAccountUid: asString(claims[LEGACY_ACCOUNT_UID]),
    boundTo: null,
    node: null,
    secretName: asString(claims[LEGACY_SECRET_NAME]),
    warnAfter: undefined,
  };
}

function identifyBound(claims: Claims, bound: Claims, problems: string[]): Identity {
  const subject = fromSubject(claims);
  const serviceAccount = asObject(bound.serviceaccount);
  const pod = boundObject('pod', bound.pod);
  const secret = boundObject('secret', bound.secret);
  const node = boundObject('node', bound.node);
  const boundTo = pod ?? secret ?? node;
  const warnAfter = fromNumericDate(bound.warnafter);
  if (bound.warnafter !== undefined && !warnAfter)
    problems.push(`Claim "${BOUND_CLAIM}.warnafter" is not a numeric date.`);
  return {
    kind: 'bound',
    namespace: asString(bound.namespace) ?? subject.namespace,
    serviceAccount: asString(serviceAccount?.name) ?? subject.serviceAccount,
    serviceAccountUid: asString(serviceAccount?.uid),
    boundTo,
    // The node a pod-bound token names is where the pod ran; a node-only binding is already in boundTo.
    node: node && boundTo !== node ? { name: node.name, uid: node.uid } : null,
    secretName: secret?.name ?? null,
    warnAfter,
  };
}

function boundObject(kind: BoundObject['kind'], value: unknown): BoundObject | null {
  const object = asObject(value);
  const name = asString(object?.name);
  return name === null ? null : { kind, name, uid: asString(object?.uid) };
}

/** `system:serviceaccount:<namespace>:<name>`, read with indexOf: this runs on every decode (no split array). */
function fromSubject(claims: Claims): {
  namespace: string | null;
  serviceAccount: string | null;
  serviceAccountUid: null;
} {
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const start = SUBJECT_PREFIX.length;
  const colon = sub.startsWith(SUBJECT_PREFIX) ? sub.indexOf(':', start) : -1;
  const valid = colon > start && colon < sub.length - 1 && sub.indexOf(':', colon + 1) === -1;
  return {
    namespace: valid ? sub.slice(start, colon) : null,
    serviceAccount: valid ? sub.slice(colon + 1) : null,
    serviceAccountUid: null,
  };
}
