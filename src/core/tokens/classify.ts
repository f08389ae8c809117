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
  if (claims.iss === LEGACY_ISSUER || typeof claims[`${LEGACY_CLAIM}namespace`] === 'string') {
    return identifyLegacy(claims);
  }
  return { ...fromSubject(claims), kind: 'jwt', boundTo: null, node: null, secretName: null, warnAfter: undefined };
}

function identifyLegacy(claims: Claims): Identity {
  const subject = fromSubject(claims);
  return {
    kind: 'legacy',
    namespace: asString(claims[`${LEGACY_CLAIM}namespace`]) ?? subject.namespace,
    serviceAccount: asString(claims[`${LEGACY_CLAIM}service-account.name`]) ?? subject.serviceAccount,
    serviceAccountUid: asString(claims[`${LEGACY_CLAIM}service-account.uid`]),
    boundTo: null,
    node: null,
    secretName: asString(claims[`${LEGACY_CLAIM}secret.name`]),
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

/** `system:serviceaccount:<namespace>:<name>` */
function fromSubject(claims: Claims): {
  namespace: string | null;
  serviceAccount: string | null;
  serviceAccountUid: null;
} {
  const parts = typeof claims.sub === 'string' && claims.sub.startsWith(SUBJECT_PREFIX) ? claims.sub.split(':') : [];
  const valid = parts.length === 4 && parts[2] !== '' && parts[3] !== '';
  return { namespace: valid ? parts[2] : null, serviceAccount: valid ? parts[3] : null, serviceAccountUid: null };
}
