// "Why does this pod's token fail?" in one step: the troubleshooting checklist (ServiceAccount → automount → token
// mounted → legacy Secret reads → audience → TokenRequest API → expiry → RBAC → signing keys) run on a snapshot of
// cluster objects and/or manifests. Pure: src/kube (or the manifest reader) builds the snapshot. A check says only
// what its inputs prove; without the input it needs it says `skip` and why.
import { tokenSecretState } from '../cluster/judgements';
import { leanTokenSecret } from '../cluster/lean';
import { projectedTokens, readPodSpec, secretReads, type PodSpecView, type ProjectedToken } from '../cluster/podSpec';
import { describeAudience } from '../identity/workloadIdentity';
import {
  DEFAULT_PROJECTED_EXPIRATION_SECONDS,
  DEFAULT_SERVICE_ACCOUNT,
  EXTENDED_TOKEN_EXPIRATION_SECONDS,
  INJECTED_TOKEN_EXPIRATION_SECONDS,
  INJECTED_VOLUME_PREFIX,
  MIN_TOKEN_EXPIRATION_SECONDS,
  PROVIDER_EXTENDED_TOKEN_CAPS,
  SA_NAME_ANNOTATION,
  SA_UID_ANNOTATION,
  SERVICE_ACCOUNT_MOUNT_PATH,
  TOKEN_SECRET_TYPE,
} from '../kubernetes';
import { isDoctorTarget, podShapeOf } from '../podKinds';
import { isObjectName } from '../cluster/names';
import type { RuleId } from '../manifests/types';
import {
  canI,
  describeAttributes,
  describeGrantSource,
  parseQuestion,
  QuestionError,
  rbacInputFrom,
  type RbacObjects,
  type RequestAttributes,
  scaffoldGrant,
} from '../rbac';
import { DAY_MS, utcDate } from '../time';
import { inspectMatch, isTokenError, matchTokenInput } from '../tokens/inspect';
import { verifySignature, type VerificationKey } from '../tokens/verify';
import { explainAuthErrors } from './authErrors';

export type CheckId =
  | 'serviceaccount-exists'
  | 'automount'
  | 'token-mounted'
  | 'legacy-token-secret'
  | 'audience'
  | 'token-request-api'
  | 'expiry'
  | 'rbac'
  | 'signing-keys';

export const CHECK_IDS: readonly CheckId[] = [
  'serviceaccount-exists',
  'automount',
  'token-mounted',
  'legacy-token-secret',
  'audience',
  'token-request-api',
  'expiry',
  'rbac',
  'signing-keys',
];

/** The manifest rules whose quick fixes mend what a check finds (the editor offers them from the report). */
export const CHECK_RULES: Partial<Record<CheckId, readonly RuleId[]>> = {
  'legacy-token-secret': ['SAT001'],
  audience: ['SAT004'],
  expiry: ['SAT003'],
  'token-mounted': ['SAT008'],
};

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckFix {
  /** What the extension offers; the CLI prints `command` (and `text`, e.g. an RBAC scaffold). */
  action: 'create-secret' | 'rbac-scaffold' | 'request-token' | 'set-automount' | 'command';
  label: string;
  /** A shell command line to copy (see `kubectlLine`); null when there is none, or no safe one. */
  command: string | null;
  /** A manifest to apply (RBAC scaffold). */
  text?: string;
  /** What the action acts on (create-secret, request-token): the ServiceAccount, and the Secret to create. */
  serviceAccount?: string;
  secretName?: string;
}

export interface DoctorCheck {
  id: CheckId;
  status: CheckStatus;
  title: string;
  detail: string;
  evidence: string[];
  fix: CheckFix | null;
}

export interface DoctorTarget {
  kind: string;
  namespace: string;
  name: string;
}

export interface DoctorReport {
  target: DoctorTarget;
  checks: DoctorCheck[];
  summary: Record<CheckStatus, number>;
}

export { DOCTOR_KINDS, doctorKind } from '../podKinds';

/** The snapshot: what is known. `undefined` = unknown (offline, not fetched); `null` = known to be missing. */
export interface DoctorInput {
  target: DoctorTarget;
  /** Where the objects come from: a cluster, or manifests only (offline). */
  mode: 'cluster' | 'manifests';
  /** The target object (pod, workload or ServiceAccount); null when the cluster says it does not exist. */
  object: unknown | null;
  /** The ServiceAccount the pod runs as (or the target itself). */
  serviceAccount: unknown | null | undefined;
  /** Secrets by name; a name absent from the map is unknown; null = does not exist. */
  secrets: ReadonlyMap<string, unknown | null>;
  rbac?: { objects: RbacObjects; from: string } | null;
  /** Why `rbac` is missing, e.g. "forbidden: cannot list rolebindings". */
  rbacUnavailable?: string;
  tokenRequest?: { served: boolean; detail: string };
  /** The cluster's service account signing keys (its JWKS). */
  clusterKeys?: { keys: VerificationKey[]; source: string; issuer?: string | null } | { unavailable: string };
  /** A token the user supplied (never shown back). */
  token?: string;
  /** "VERB RESOURCE" questions. */
  for: string[];
  errorText?: string;
  now: Date;
  /** kube-controller-manager --legacy-service-account-token-clean-up-period; Kubernetes' default is one year. */
  cleanupPeriodDays?: number;
}

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => value !== null && typeof value === 'object' && !Array.isArray(value);
const rec = (value: unknown): Raw => (isRecord(value) ? value : {});
const arr = (value: unknown): Raw[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

function at(object: unknown, path: string[]): unknown {
  let node: unknown = object;
  for (const key of path) node = rec(node)[key];
  return node;
}

interface PodView extends PodSpecView {
  projected: ProjectedToken[];
  /** Volume name → the Secret it carries (secret volumes and projected secret sources; the first of a volume). */
  secretVolumes: Map<string, string>;
  /** Admission has run (a pod from the cluster), or not (a template/manifest). */
  admitted: boolean;
  createdAt: string | undefined;
}

function podView(input: DoctorInput): PodView | undefined {
  if (!isRecord(input.object)) return undefined;
  const shape = podShapeOf(input.target.kind, str(input.object.apiVersion));
  if (!shape) return undefined;
  const spec = at(input.object, [...shape.path]);
  const view = readPodSpec(shape.workflow ? workflowPodSpec(rec(spec)) : spec);
  const secretVolumes = new Map<string, string>();
  for (const volume of view.volumes)
    for (const source of volume.sources)
      if (source.kind === 'secret' && !secretVolumes.has(volume.name)) secretVolumes.set(volume.name, source.secret);
  return {
    ...view,
    containers: view.containers.map((container) => ({ ...container, name: container.name || '?' })),
    projected: projectedTokens(view),
    secretVolumes,
    admitted: input.mode === 'cluster' && input.target.kind === 'Pod',
    createdAt: str(rec(rec(input.object).metadata).creationTimestamp),
  };
}

/**
 * An Argo workflow spec as the pod spec its steps run with: the workflow's serviceAccountName, automount and volumes,
 * and the containers of every template (container, script, containerSet, sidecars; initContainers as init
 * containers), as core/manifests/objects.ts reads them for the linter.
 */
function workflowPodSpec(spec: Raw): Raw {
  const templates = arr(spec.templates);
  return {
    serviceAccountName: spec.serviceAccountName,
    automountServiceAccountToken: spec.automountServiceAccountToken,
    volumes: spec.volumes,
    containers: templates.flatMap((template) => [
      ...['container', 'script'].flatMap((key) => (isRecord(template[key]) ? [template[key]] : [])),
      ...arr(rec(template.containerSet).containers),
      ...arr(template.sidecars),
    ]),
    initContainers: templates.flatMap((template) => arr(template.initContainers)),
  };
}

const meta = (object: unknown): Raw => rec(rec(object).metadata);

interface Context {
  input: DoctorInput;
  pod: PodView | undefined;
  saName: string;
  ns: string;
  sa: Raw | null | undefined;
  /** Effective automount and who decided it. */
  automount: { mounted: boolean; decidedBy: string } | undefined;
}

const check = (
  id: CheckId,
  status: CheckStatus,
  title: string,
  detail: string,
  evidence: string[] = [],
  fix: CheckFix | null = null,
): DoctorCheck => ({ id, status, title, detail, evidence, fix });

const offline = 'no cluster connected: checked from the manifests only';

function serviceAccountExists(c: Context): DoctorCheck {
  const title = `ServiceAccount ${c.ns}/${c.saName}`;
  if (c.sa === undefined)
    return check('serviceaccount-exists', 'skip', title, `${offline}, and they do not define this ServiceAccount`);
  if (c.sa === null)
    return check(
      'serviceaccount-exists',
      'fail',
      title,
      `The ServiceAccount does not exist${c.input.mode === 'manifests' ? ' in the manifests' : ''}: new pods are rejected ("error looking up service account ${c.ns}/${c.saName}") and tokens naming it fail.`,
      [],
      {
        action: 'command',
        label: 'Create the ServiceAccount',
        command: kubectlLine([c.saName, c.ns], () => `kubectl create serviceaccount ${c.saName} -n ${c.ns}`),
      },
    );
  const uid = str(meta(c.sa).uid);
  const created = str(meta(c.sa).creationTimestamp);
  const evidence = [`uid ${uid ?? '(none)'}`, ...(created ? [`created ${created}`] : [])];
  // A pod older than its ServiceAccount was admitted for a previous ServiceAccount of that name.
  if (c.pod?.admitted && created && c.pod.createdAt && Date.parse(created) > Date.parse(c.pod.createdAt))
    return check(
      'serviceaccount-exists',
      'fail',
      title,
      'The ServiceAccount was recreated after this pod started: the tokens the pod holds carry the old uid and are rejected ("service account UID … does not match claim"). Restart the pod.',
      [...evidence, `pod created ${c.pod.createdAt}`],
      {
        action: 'command',
        label: 'Restart the workload',
        command: kubectlLine([c.input.target.name, c.ns], () => `kubectl delete pod ${c.input.target.name} -n ${c.ns}`),
      },
    );
  const claimed = tokenClaims(c.input.token);
  if (claimed?.serviceAccountUid && uid && claimed.serviceAccountUid !== uid)
    return check(
      'serviceaccount-exists',
      'fail',
      title,
      'The token you supplied was issued to an earlier ServiceAccount of this name (its uid differs): it is rejected. Get a new token.',
      [...evidence, `token's service-account uid ${claimed.serviceAccountUid}`],
      requestTokenFix(c),
    );
  return check('serviceaccount-exists', 'pass', title, 'The ServiceAccount exists.', evidence);
}

function tokenClaims(token: string | undefined) {
  if (!token) return undefined;
  const match = matchTokenInput(token);
  if (isTokenError(match)) return undefined;
  const report = inspectMatch(match);
  return isTokenError(report) ? undefined : { ...report, jwt: match.jwt };
}

const requestTokenFix = (c: Context): CheckFix => ({
  action: 'request-token',
  label: 'Request a new token',
  command: kubectlLine([c.saName, c.ns], () => `kubectl create token ${c.saName} -n ${c.ns}`),
  serviceAccount: c.saName,
});

/**
 * A command line for the user's shell, built from names that come from manifests or the cluster — hostile input
 * (`serviceAccountName: "x; curl … | sh"`). Only names Kubernetes accepts (isObjectName: letters, digits, - and .)
 * go into one; any other name cannot exist in a cluster, so there is no command to give for it.
 */
function kubectlLine(names: string[], line: () => string): string | null {
  return names.every(isObjectName) ? line() : null;
}

function effectiveAutomount(pod: PodView | undefined, sa: Raw | null | undefined): Context['automount'] {
  if (!pod) return undefined;
  if (pod.automount !== undefined)
    return { mounted: pod.automount, decidedBy: `the pod says automountServiceAccountToken: ${pod.automount}` };
  const fromSa = isRecord(sa) ? bool(sa.automountServiceAccountToken) : undefined;
  if (fromSa !== undefined)
    return { mounted: fromSa, decidedBy: `the pod does not say; its ServiceAccount says ${fromSa}` };
  if (sa === undefined)
    return { mounted: true, decidedBy: 'the pod does not say; its ServiceAccount is unknown (default true)' };
  return { mounted: true, decidedBy: 'neither the pod nor its ServiceAccount says (default true)' };
}

function automountCheck(c: Context): DoctorCheck {
  if (!c.automount)
    return check('automount', 'skip', 'Automount', 'A ServiceAccount has no pod spec: diagnose a pod or workload.');
  const { mounted, decidedBy } = c.automount;
  const hasOwnToken = c.pod!.projected.some((token) => !token.volume.startsWith(INJECTED_VOLUME_PREFIX));
  if (mounted) return check('automount', 'pass', 'Automount: on', `The token is mounted automatically: ${decidedBy}.`);
  return check(
    'automount',
    hasOwnToken ? 'pass' : 'warn',
    'Automount: off',
    hasOwnToken
      ? `No automatic token (${decidedBy}); the pod projects its own token.`
      : `No automatic token (${decidedBy}) and no projected token volume: in-cluster clients find no token file. Fine if the app never calls the API.`,
    [decidedBy],
    hasOwnToken
      ? null
      : {
          action: 'set-automount',
          label: 'Mount a token (automountServiceAccountToken: true)',
          command: null,
        },
  );
}

/** Which token each container sees at the default path, and every other projected token it mounts. */
function tokenMounted(c: Context): DoctorCheck {
  if (!c.pod) return check('token-mounted', 'skip', 'Token in each container', 'A ServiceAccount has no containers.');
  const pod = c.pod;
  const projectedByVolume = new Map<string, ProjectedToken[]>();
  for (const token of pod.projected)
    projectedByVolume.set(token.volume, [...(projectedByVolume.get(token.volume) ?? []), token]);
  const evidence: string[] = [];
  const without: string[] = [];
  for (const container of pod.containers) {
    const label = `${container.kind} ${container.name}`;
    const seen: string[] = [];
    let atDefault = false;
    for (const mount of container.mounts) {
      for (const token of projectedByVolume.get(mount.volume) ?? []) {
        const file = `${mount.path}/${token.path}`;
        const injected = mount.volume.startsWith(INJECTED_VOLUME_PREFIX);
        seen.push(
          `${injected ? 'injected' : 'projected'} ${mount.volume} at ${file}${token.audience ? ` (audience ${token.audience})` : ''}`,
        );
        if (mount.path === SERVICE_ACCOUNT_MOUNT_PATH) atDefault = true;
      }
      const secret = pod.secretVolumes.get(mount.volume);
      if (secret && mount.path === SERVICE_ACCOUNT_MOUNT_PATH) {
        seen.push(`legacy Secret ${secret} at ${mount.path}/token`);
        atDefault = true;
      } else if (mount.path === SERVICE_ACCOUNT_MOUNT_PATH && !projectedByVolume.has(mount.volume)) {
        seen.push(`volume ${mount.volume} (no token) over ${SERVICE_ACCOUNT_MOUNT_PATH}`);
        atDefault = true;
      }
    }
    // A template (or a manifest) has not been through admission: say what admission will add.
    const claimsDefault = container.mounts.some((mount) => mount.path === SERVICE_ACCOUNT_MOUNT_PATH);
    if (!pod.admitted && c.automount?.mounted && !claimsDefault) {
      seen.push(`injected kube-api-access-* at ${SERVICE_ACCOUNT_MOUNT_PATH}/token (added at admission)`);
      atDefault = true;
    }
    if (!atDefault) without.push(label);
    evidence.push(`${label}: ${seen.length ? seen.join('; ') : 'no token'}`);
  }
  if (without.length === 0)
    return check(
      'token-mounted',
      'pass',
      'Token in each container',
      `Every container has a token at ${SERVICE_ACCOUNT_MOUNT_PATH}/token.`,
      evidence,
    );
  return check(
    'token-mounted',
    'warn',
    'Token in each container',
    `No token at ${SERVICE_ACCOUNT_MOUNT_PATH}/token in ${without.join(', ')}: an in-cluster client there fails with "token file … does not exist" / "unable to load in-cluster configuration".`,
    evidence,
    c.automount?.mounted === false
      ? { action: 'set-automount', label: 'Mount a token (automountServiceAccountToken: true)', command: null }
      : null,
  );
}

/** Each Secret the pod reads, and how (`container: env NAME (key K)`, `envFrom`, `volume V at PATH`). */
function secretUses(pod: PodView): { secret: string; how: string }[] {
  return secretReads(pod).map(({ secret, container, via }) => ({
    secret,
    how:
      'env' in via
        ? `${container.name}: env ${via.env} (key ${via.key ?? ''})`
        : 'envFrom' in via
          ? `${container.name}: envFrom`
          : `${container.name}: volume ${via.volume} at ${via.path}`,
  }));
}

function legacyTokenSecret(c: Context): DoctorCheck {
  const title = 'Legacy token Secrets read';
  if (!c.pod) {
    const listed = isRecord(c.sa) ? arr(c.sa.secrets).flatMap((entry) => str(entry.name) ?? []) : [];
    return check(
      'legacy-token-secret',
      listed.length ? 'warn' : 'pass',
      title,
      listed.length
        ? `The ServiceAccount lists Secrets: ${listed.join(', ')}.`
        : 'The ServiceAccount lists no Secrets.',
      listed,
    );
  }
  const reads = secretUses(c.pod);
  if (reads.length === 0) return check('legacy-token-secret', 'pass', title, 'No container reads a Secret.');
  const evidence: string[] = [];
  let worst = 'pass' as CheckStatus;
  const raise = (status: CheckStatus) => {
    const order: CheckStatus[] = ['pass', 'skip', 'warn', 'fail'];
    if (order.indexOf(status) > order.indexOf(worst)) worst = status;
  };
  let fix: CheckFix | null = null;
  const listedBySa = new Set(isRecord(c.sa) ? arr(c.sa.secrets).flatMap((entry) => str(entry.name) ?? []) : []);
  let tokenReads = 0;
  for (const name of [...new Set(reads.map((read) => read.secret))]) {
    const how = reads
      .filter((read) => read.secret === name)
      .map((read) => read.how)
      .join('; ');
    if (!c.input.secrets.has(name)) {
      // Unknown: only a name that looks like an auto-generated token Secret is worth a word.
      if (/-token-[a-z0-9]{5}$/.test(name)) {
        raise('skip');
        evidence.push(
          `${name}: looks like an auto-generated token Secret; ${c.input.mode === 'manifests' ? offline : 'not readable'} (${how})`,
        );
      }
      continue;
    }
    const raw = c.input.secrets.get(name);
    if (raw === null) {
      if (/-token-[a-z0-9]{5}$/.test(name) || listedBySa.has(name)) {
        tokenReads++;
        raise('fail');
        evidence.push(
          `${name}: does not exist (${how}) — since Kubernetes 1.24 no token Secret is generated; the pod cannot start or reads nothing`,
        );
        fix = {
          action: 'create-secret',
          label: 'Create an explicit token Secret (or switch to a projected token)',
          // A quoted here-document delimiter: the shell expands nothing inside.
          command: kubectlLine(
            [name, c.ns, c.saName],
            () =>
              `kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${c.ns}\n  annotations:\n    ${SA_NAME_ANNOTATION}: ${c.saName}\ntype: ${TOKEN_SECRET_TYPE}\nEOF`,
          ),
          serviceAccount: c.saName,
          secretName: name,
        };
      }
      continue;
    }
    const lean = leanTokenSecret(raw);
    if (!lean) continue;
    tokenReads++;
    const info = { ...lean, namespace: c.ns };
    const state = tokenSecretState(info, c.input.now);
    const generated = listedBySa.has(name) ? "auto-generated (in the ServiceAccount's .secrets)" : 'explicit';
    const used = info.lastUsed ? `last used ${info.lastUsed}` : 'no last-used label';
    const uidAnnotation = str(rec(meta(raw).annotations)[SA_UID_ANNOTATION]);
    const saUid = isRecord(c.sa) ? str(meta(c.sa).uid) : undefined;
    if (state === 'empty') {
      raise('fail');
      evidence.push(
        `${name}: empty — the token controller has not filled it (does its ServiceAccount ${info.serviceAccount} exist?) (${how})`,
      );
    } else if (state === 'invalidated') {
      raise('fail');
      const deletion = new Date(Date.parse(info.invalidSince!) + (c.input.cleanupPeriodDays ?? 365) * DAY_MS);
      evidence.push(
        `${name}: invalidated since ${info.invalidSince} by the legacy token cleaner (rejected); deleted around ${Number.isNaN(deletion.getTime()) ? 'one clean-up period later' : utcDate(deletion)}; ${generated} (${how})`,
      );
      fix = requestTokenFix(c);
    } else if (uidAnnotation && saUid && uidAnnotation !== saUid) {
      raise('fail');
      evidence.push(
        `${name}: issued for an earlier ServiceAccount ${info.serviceAccount} (uid ${uidAnnotation}, now ${saUid}): rejected (${how})`,
      );
    } else {
      raise('warn');
      evidence.push(
        `${name}: ${generated}, populated, ${used}${state === 'stale' ? ' (unused for long: a cleanup candidate)' : ''} — a non-expiring legacy token (${how})`,
      );
    }
  }
  if (tokenReads === 0 && worst === 'pass')
    return check('legacy-token-secret', 'pass', title, 'No container reads a service account token Secret.');
  const detail =
    worst === 'fail'
      ? 'A token Secret this pod reads is missing, empty or invalidated: the token is rejected or the pod cannot start.'
      : worst === 'warn'
        ? 'The pod reads legacy non-expiring tokens from Secrets; they work, but a projected token is safer and is never invalidated by the cleaner.'
        : 'Some Secrets read could not be checked.';
  return check('legacy-token-secret', worst, title, detail, evidence, fix);
}

/**
 * The API server's own audience as its service account issuer discovery says (`--api-audiences` defaults to the
 * issuer; a server may accept more, which no API shows).
 */
function apiAudience(c: Context): string | undefined {
  const keys = c.input.clusterKeys;
  return keys && 'keys' in keys && keys.issuer ? keys.issuer : undefined;
}

/** The supplied token's audiences against the API server's: accepted, or rejected unless --api-audiences lists one. */
function suppliedAudience(c: Context): { status: CheckStatus; text: string } | undefined {
  const claims = tokenClaims(c.input.token);
  const api = apiAudience(c);
  if (!claims || claims.kind === 'legacy') return undefined;
  if (!api)
    return {
      status: 'pass',
      text: `the token you supplied is for ${claims.audience.join(', ') || '(no audience)'}; the API server's audience is unknown (its service account issuer discovery was not readable)`,
    };
  if (claims.audience.includes(api))
    return { status: 'pass', text: `the token you supplied is for the API server's audience ${api}` };
  const known = claims.audience.map((audience) => describeAudience(audience)).find(Boolean);
  return {
    status: 'warn',
    text: `the token you supplied is for ${claims.audience.join(', ') || '(no audience)'}${known ? ` (${known})` : ''}, not the API server's ${api} (its issuer): the API server rejects it ("token audiences … is invalid for the target audiences") unless its --api-audiences lists one of them`,
  };
}

function audienceCheck(c: Context): DoctorCheck {
  const title = 'Token audiences';
  const api = apiAudience(c);
  const supplied = suppliedAudience(c);
  const context = [
    ...(api ? [`API server audience: ${api} (the issuer its discovery document names)`] : []),
    ...(supplied ? [supplied.text] : []),
  ];
  const suppliedStatus = supplied?.status ?? 'pass';
  const suppliedDetail =
    suppliedStatus === 'warn' ? " The token you supplied is not for the API server's audience." : '';
  if (!c.pod)
    return supplied
      ? check('audience', suppliedStatus, title, `Checked the token you supplied.${suppliedDetail}`, context)
      : check('audience', 'skip', title, 'A ServiceAccount has no projected tokens.');
  // An explicit audience equal to the API server's is the API server's token, wherever it is mounted.
  const custom = c.pod.projected.filter((token) => token.audience && token.audience !== api);
  if (custom.length === 0)
    return check(
      'audience',
      suppliedStatus,
      title,
      `Every projected token is for the API server's own audience.${suppliedDetail}`,
      context,
    );
  const mountsAtDefault = (token: ProjectedToken) =>
    c.pod!.containers.some((container) =>
      container.mounts.some((mount) => mount.volume === token.volume && mount.path === SERVICE_ACCOUNT_MOUNT_PATH),
    );
  const evidence = [
    ...custom.map((token) => {
      const known = describeAudience(token.audience!);
      return `${token.volume}/${token.path}: audience ${token.audience}${known ? ` (${known})` : ''}${mountsAtDefault(token) ? ` — mounted at ${SERVICE_ACCOUNT_MOUNT_PATH}` : ''}`;
    }),
    ...context,
  ];
  const atDefault = custom.filter(mountsAtDefault);
  if (atDefault.length)
    return check(
      'audience',
      'fail',
      title,
      `A token for another audience (${atDefault.map((token) => token.audience).join(', ')}) is mounted at the default path: in-cluster clients send it to the API server, which rejects it ("token audiences … is invalid for the target audiences"). Mount it elsewhere (e.g. /var/run/secrets/tokens).`,
      evidence,
    );
  return check(
    'audience',
    suppliedStatus,
    title,
    `Custom-audience tokens are mounted apart from the API server token.${suppliedDetail}`,
    evidence,
  );
}

function tokenRequestCheck(c: Context): DoctorCheck {
  const title = 'TokenRequest API';
  if (!c.input.tokenRequest)
    return check('token-request-api', 'skip', title, c.input.mode === 'manifests' ? offline : 'not checked');
  return c.input.tokenRequest.served
    ? check('token-request-api', 'pass', title, 'authentication.k8s.io/v1 and serviceaccounts/token are served.', [
        c.input.tokenRequest.detail,
      ])
    : check(
        'token-request-api',
        'fail',
        title,
        'The cluster does not serve the TokenRequest API: the kubelet cannot get projected tokens and `kubectl create token` fails.',
        [c.input.tokenRequest.detail],
      );
}

/** The provider whose cap on extended tokens applies to a token of this issuer, if one is known. */
const providerCap = (issuer: string | null | undefined) =>
  issuer ? PROVIDER_EXTENDED_TOKEN_CAPS.find((cap) => cap.issuer.test(issuer)) : undefined;

const days = (seconds: number) => `${Math.round(seconds / 86_400)} days`;

function expiryCheck(c: Context): DoctorCheck {
  const title = 'Token expiry';
  const claims = tokenClaims(c.input.token);
  if (!c.pod && !claims) return check('expiry', 'skip', title, 'A ServiceAccount has no projected tokens.');
  const evidence: string[] = [];
  let status = 'pass' as CheckStatus;
  const raise = (to: CheckStatus) => {
    if (to === 'fail' || (to === 'warn' && status === 'pass')) status = to;
  };
  for (const token of c.pod?.projected ?? []) {
    const seconds = token.expirationSeconds ?? DEFAULT_PROJECTED_EXPIRATION_SECONDS;
    const where = `${token.volume}/${token.path}`;
    if (seconds < MIN_TOKEN_EXPIRATION_SECONDS) {
      raise('fail');
      evidence.push(
        `${where}: expirationSeconds ${seconds} is under ${MIN_TOKEN_EXPIRATION_SECONDS}: the pod is rejected`,
      );
    } else if (seconds === INJECTED_TOKEN_EXPIRATION_SECONDS && !token.audience) {
      // pkg/registry/core/serviceaccount/storage/token.go: pod-bound, exactly 3607 s, the API server's audiences.
      evidence.push(
        `${where}: ${seconds} s — with --service-account-extend-token-expiration (on by default) the API server issues it for ${days(EXTENDED_TOKEN_EXPIRATION_SECONDS)} with warnafter at ${seconds} s: an app that keeps the token in memory keeps working, recorded as stale (audit annotation authentication.k8s.io/stale-token), until the extension ends (Amazon EKS: after ${days(PROVIDER_EXTENDED_TOKEN_CAPS[0].maxAgeSeconds)}); the kubelet rewrites the file hourly`,
      );
    } else {
      if (seconds > 86_400) raise('warn');
      evidence.push(
        `${where}: ${seconds} s${seconds > 86_400 ? ' (over a day: a leaked token lasts long)' : ''}; rotated by the kubelet at 80% of its life; not extended`,
      );
    }
  }
  if (c.pod && !c.pod.projected.length && c.automount?.mounted && !c.pod.admitted)
    evidence.push(
      `kube-api-access-* (at admission): ${INJECTED_TOKEN_EXPIRATION_SECONDS} s, extended to ${days(EXTENDED_TOKEN_EXPIRATION_SECONDS)} (warn-only) unless the API server turns extension off`,
    );
  const supplied = suppliedTokenExpiry(claims, c.input.now);
  for (const finding of supplied) {
    raise(finding.status);
    evidence.push(finding.text);
  }
  const detail =
    status === 'fail'
      ? 'A token is (or will be) expired or invalid in lifetime.'
      : supplied.some((finding) => finding.stale)
        ? 'The token you supplied is past its warnafter: the API server still accepts it only because of extended expiration. The app is not re-reading the rotated token file — it breaks when the extension ends or is turned off.'
        : 'Projected tokens are rotated by the kubelet: the app must re-read the file (client-go ≥ 0.15.7, Python ≥ 12.0.0, Java ≥ 9.0.0, JavaScript ≥ 0.10.3 do); a token kept in memory fails after an hour, or — with extended expiration — after the extension.';
  return check('expiry', status, title, detail, evidence, status !== 'pass' && claims ? requestTokenFix(c) : null);
}

/** What the supplied token's own claims say: expired, past warnafter (extended), over a provider's cap. */
function suppliedTokenExpiry(
  claims: ReturnType<typeof tokenClaims>,
  now: Date,
): { status: CheckStatus; text: string; stale?: boolean }[] {
  if (!claims) return [];
  const findings: { status: CheckStatus; text: string; stale?: boolean }[] = [];
  const at = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);
  const expires = at(claims.expiresAt);
  const issued = at(claims.issuedAt);
  const warnAfter = at(claims.warnAfter);
  if (expires <= now.getTime())
    findings.push({ status: 'fail', text: `the token you supplied expired at ${claims.expiresAt}` });
  else if (warnAfter <= now.getTime())
    findings.push({
      status: 'warn',
      stale: true,
      text: `the token you supplied is past its warnafter (${claims.warnAfter}): an extended token, accepted until ${claims.expiresAt} and recorded as stale`,
    });
  const cap = providerCap(claims.issuer);
  if (cap && Number.isFinite(warnAfter) && Number.isFinite(issued)) {
    const age = (now.getTime() - issued) / 1000;
    if (age > cap.maxAgeSeconds)
      findings.push({
        status: 'fail',
        text: `${cap.provider} rejects extended tokens older than ${days(cap.maxAgeSeconds)}; this one was issued ${days(age)} ago (${cap.source})`,
      });
    else if (expires - issued > cap.maxAgeSeconds * 1000)
      findings.push({
        status: 'pass',
        text: `${cap.provider} accepts it only until ${new Date(issued + cap.maxAgeSeconds * 1000).toISOString()}, not its exp (${cap.source})`,
      });
  }
  return findings;
}

function rbacQuestions(c: Context): { question: string; attributes?: RequestAttributes; error?: string }[] {
  const questions = [...c.input.for];
  if (c.input.errorText) {
    for (const error of explainAuthErrors(c.input.errorText))
      if (error.kind === 'forbidden' && error.verb && error.resource && !error.resource.startsWith('/'))
        questions.push(
          `${error.verb} ${error.apiGroup ? `${error.resource.split('/')[0]}.${error.apiGroup}${error.resource.includes('/') ? `/${error.resource.split('/')[1]}` : ''}` : error.resource}${error.namespace ? ` -n ${error.namespace}` : ' -A'}`,
        );
  }
  return [...new Set(questions)].map((question) => {
    try {
      return { question, attributes: parseQuestion(question, c.ns) };
    } catch (error) {
      return { question, error: error instanceof QuestionError ? error.message : String(error) };
    }
  });
}

function rbacCheck(c: Context): DoctorCheck {
  const title = 'RBAC';
  const questions = rbacQuestions(c);
  if (questions.length === 0)
    return check(
      'rbac',
      'skip',
      title,
      'No question asked: pass --for "VERB RESOURCE" (or --error-text with a Forbidden message).',
    );
  if (!c.input.rbac)
    return check(
      'rbac',
      'skip',
      title,
      c.input.rbacUnavailable ??
        (c.input.mode === 'manifests' ? `${offline}, and they hold no RBAC objects` : 'RBAC objects not readable'),
      questions.map((q) => q.question),
    );
  const account = { namespace: c.ns, name: c.saName };
  const evidence: string[] = [];
  let fix: CheckFix | null = null;
  let denied = 0;
  for (const question of questions) {
    if (!question.attributes) {
      evidence.push(`${question.question}: ${question.error}`);
      continue;
    }
    const decision = canI(account, question.attributes, c.input.rbac.objects);
    const what = describeAttributes(question.attributes);
    if (decision.allowed) {
      const grant = decision.grants[0];
      evidence.push(`${what}: allowed${grant ? ` by ${describeGrantSource(grant.binding)}` : ''}`);
    } else {
      denied++;
      evidence.push(
        `${what}: DENIED — ${decision.reason}${decision.errors.length ? ` (${decision.errors.join('; ')})` : ''}`,
      );
      fix ??= {
        action: 'rbac-scaffold',
        label: `Grant ${what}`,
        command: 'kubectl apply -f -',
        text: scaffoldGrant(account, question.attributes),
      };
    }
  }
  return check(
    'rbac',
    denied ? 'fail' : 'pass',
    title,
    denied
      ? `${denied} of ${questions.length} requests are not allowed for ServiceAccount ${c.ns}/${c.saName} (RBAC, per ${c.input.rbac.from}); other authorizers (webhook, Node) are not seen.`
      : `Allowed for ServiceAccount ${c.ns}/${c.saName} (RBAC, per ${c.input.rbac.from}).`,
    evidence,
    fix,
  );
}

async function signingKeys(c: Context): Promise<DoctorCheck> {
  const title = 'Signing keys';
  if (!c.input.token)
    return check('signing-keys', 'skip', title, "No token supplied to check against the cluster's keys.");
  const keys = c.input.clusterKeys;
  if (!keys)
    return check(
      'signing-keys',
      'skip',
      title,
      c.input.mode === 'manifests' ? offline : "the cluster's keys were not fetched",
    );
  if ('unavailable' in keys) return check('signing-keys', 'skip', title, keys.unavailable);
  const claims = tokenClaims(c.input.token);
  if (!claims) return check('signing-keys', 'fail', title, 'The supplied text is not a token.');
  const result = await verifySignature(claims.jwt, keys.keys, 'the cluster');
  if (result.checked && result.valid)
    return check(
      'signing-keys',
      'pass',
      title,
      `The token verifies with a current key of the cluster (${keys.source}).`,
      [`kid ${result.keyId ?? '(none)'}`],
    );
  return check(
    'signing-keys',
    'fail',
    title,
    'The token does not verify with any key the cluster publishes: it comes from another cluster or was signed before a key change (control-plane rebuild). Get a new token.',
    [
      result.checked ? (result.reason ?? 'no matching key') : 'not checked',
      `${keys.keys.length} cluster keys (${keys.source})`,
    ],
    requestTokenFix(c),
  );
}

export async function diagnose(input: DoctorInput): Promise<DoctorReport> {
  const pod = podView(input);
  const ns = input.target.namespace;
  const saName =
    input.target.kind === 'ServiceAccount' ? input.target.name : (pod?.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT);
  const sa =
    input.target.kind === 'ServiceAccount'
      ? (input.object as Raw | null)
      : (input.serviceAccount as Raw | null | undefined);
  const c: Context = { input, pod, ns, saName, sa, automount: effectiveAutomount(pod, sa) };
  const checks = [
    serviceAccountExists(c),
    automountCheck(c),
    tokenMounted(c),
    legacyTokenSecret(c),
    audienceCheck(c),
    tokenRequestCheck(c),
    expiryCheck(c),
    rbacCheck(c),
    await signingKeys(c),
  ];
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const entry of checks) summary[entry.status]++;
  return { target: input.target, checks, summary };
}

/** The pod view of a bare object, with nothing else known: what the snapshot builder asks before fetching. */
function podViewOf(kind: string, object: unknown): ReturnType<typeof podView> {
  return podView({
    target: { kind, namespace: '', name: '' },
    mode: 'manifests',
    object,
    serviceAccount: undefined,
    secrets: new Map(),
    for: [],
    now: new Date(),
  });
}

/** Secret names a pod spec reads (so the snapshot builder can fetch just those). */
export function secretsReadBy(kind: string, object: unknown): string[] {
  const view = podViewOf(kind, object);
  return view ? [...new Set(secretReads(view).map((read) => read.secret))] : [];
}

/** The ServiceAccount a pod spec runs as. */
export function serviceAccountOf(kind: string, object: unknown): string {
  const view = podViewOf(kind, object);
  return view?.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT;
}

/** What src/kube's doctorSnapshot returns (structurally; core does not import src/kube). */
export interface ClusterSnapshot {
  object: unknown | null;
  serviceAccount: unknown | null | undefined;
  secrets: Map<string, unknown | null>;
  rbacLists: unknown[] | { unavailable: string };
  tokenRequest: { served: boolean; detail: string };
}

export interface DoctorQuestions {
  for: string[];
  errorText?: string;
  token?: string;
  now?: Date;
}

export function inputFromCluster(
  target: DoctorTarget,
  snapshot: ClusterSnapshot,
  context: string,
  questions: DoctorQuestions,
  clusterKeys?: DoctorInput['clusterKeys'],
): DoctorInput {
  const rbac = Array.isArray(snapshot.rbacLists)
    ? { objects: rbacInputFrom(snapshot.rbacLists).objects, from: `the RBAC objects of cluster ${context}` }
    : null;
  return {
    target,
    mode: 'cluster',
    object: snapshot.object,
    serviceAccount: snapshot.serviceAccount,
    secrets: snapshot.secrets,
    rbac,
    rbacUnavailable: Array.isArray(snapshot.rbacLists) ? undefined : snapshot.rbacLists.unavailable,
    tokenRequest: snapshot.tokenRequest,
    clusterKeys,
    token: questions.token,
    for: questions.for,
    errorText: questions.errorText,
    now: questions.now ?? new Date(),
  };
}

/**
 * Offline: the target and whatever else the manifests define (its ServiceAccount, Secrets, RBAC). `documents` are the
 * manifests' documents as plain data; a List's items count one by one. Objects without a namespace are taken to be in
 * the target's. Returns undefined when the manifests do not define the target.
 */
export function inputFromManifests(
  target: DoctorTarget,
  documents: unknown[],
  questions: DoctorQuestions,
): DoctorInput | undefined {
  const objects = documents.flatMap((document) => {
    const items = (document as { items?: unknown } | null)?.items;
    return Array.isArray(items) ? (items as unknown[]) : [document];
  });
  const inNamespace = (object: unknown) => (str(meta(object).namespace) ?? target.namespace) === target.namespace;
  // A custom kind only from its own API group (a Knative Service, not a core Service of that name).
  const ofKind = (object: unknown, kind: string) =>
    str(rec(object).kind) === kind && (kind === 'Secret' || isDoctorTarget(kind, str(rec(object).apiVersion)));
  const find = (kind: string, name: string) =>
    objects.find((object) => ofKind(object, kind) && str(meta(object).name) === name && inNamespace(object));
  const object = find(target.kind, target.name);
  if (!object) return undefined;
  const saName = target.kind === 'ServiceAccount' ? target.name : serviceAccountOf(target.kind, object);
  const secrets = new Map<string, unknown | null>();
  for (const secret of objects)
    if (str(rec(secret).kind) === 'Secret' && inNamespace(secret)) secrets.set(str(meta(secret).name) ?? '', secret);
  const rbacInput = rbacInputFrom(
    objects.map((item) =>
      isRecord(item) && !meta(item).namespace
        ? { ...item, metadata: { ...meta(item), namespace: target.namespace } }
        : item,
    ),
  );
  const { roleBindings, clusterRoleBindings } = rbacInput.objects;
  const hasRbac = roleBindings.length + clusterRoleBindings.length > 0;
  return {
    target,
    mode: 'manifests',
    object,
    serviceAccount: find('ServiceAccount', saName) ?? undefined,
    secrets,
    rbac: hasRbac ? { objects: rbacInput.objects, from: 'the manifests' } : null,
    for: questions.for,
    errorText: questions.errorText,
    token: questions.token,
    now: questions.now ?? new Date(),
  };
}
