// The manifest corpus: multi-document YAML files mixing every workload kind, with and without service account
// token problems, comments, flow style and both sequence indentation styles. Deterministic for a given seed.
import { createRng, type Rng } from '../lib/prng';

export interface CorpusFile {
  name: string;
  text: string;
  documents: number;
}

export interface Corpus {
  files: CorpusFile[];
  documents: number;
  lines: number;
  bytes: number;
  /** Top-level documents per kind (List items are counted under `List`). */
  kinds: Record<string, number>;
  /** How many pod specs carry each token problem. */
  problems: Record<TokenProblem, number>;
}

export type TokenProblem =
  | 'legacy-secret-env'
  | 'legacy-secret-envfrom'
  | 'legacy-secret-volume'
  | 'bad-expiration'
  | 'default-service-account'
  | 'deprecated-service-account-field';

type Lines = string[];

/** Style and bookkeeping shared by all documents of one file. */
interface FileStyle {
  rng: Rng;
  /** 0: `- item` flush under its key; 2: indented by two. */
  sequenceIndent: 0 | 2;
  comments: boolean;
  problems: Record<TokenProblem, number>;
}

const WORKLOAD_KINDS = [
  ['Deployment', 22],
  ['Pod', 10],
  ['StatefulSet', 8],
  ['DaemonSet', 6],
  ['ReplicaSet', 4],
  ['ReplicationController', 3],
  ['Job', 6],
  ['CronJob', 6],
  ['PodTemplate', 3],
  ['List', 3],
  ['ServiceAccount', 12],
  ['Secret', 7],
  ['ConfigMap', 6],
  ['Service', 4],
] as const;
type Kind = (typeof WORKLOAD_KINDS)[number][0];

const APPS = ['billing', 'checkout', 'catalog', 'search', 'ledger', 'gateway', 'metrics', 'builder', 'auth', 'mailer'];
const NAMESPACES = ['default', 'payments', 'platform', 'ci', 'observability', 'team-a', 'team-b'];

const indent = (lines: Lines, by: number): Lines => lines.map((line) => ' '.repeat(by) + line);
const asItem = (lines: Lines): Lines => lines.map((line, i) => (i === 0 ? '- ' : '  ') + line);

/** `key:` followed by its sequence items, in the file's sequence style. */
function sequence(key: string, items: Lines[], style: FileStyle): Lines {
  return [`${key}:`, ...items.flatMap((item) => indent(asItem(item), style.sequenceIndent))];
}

function block(key: string, body: Lines): Lines {
  return [`${key}:`, ...indent(body, 2)];
}

function comment(style: FileStyle, text: string): Lines {
  return style.comments && style.rng.chance(0.3) ? [`# ${text}`] : [];
}

function metadata(name: string, namespace: string, app: string, style: FileStyle): Lines {
  const quoted = style.rng.chance(0.3) ? `'${app}'` : app;
  return block('metadata', [
    `name: ${name}`,
    `namespace: ${namespace}`,
    ...block('labels', [`app.kubernetes.io/name: ${quoted}`, `app.kubernetes.io/part-of: shop # owning team: ${app}`]),
  ]);
}

function note(style: FileStyle, problem: TokenProblem): void {
  style.problems[problem]++;
}

interface PodParts {
  env: Lines[];
  envFrom: Lines[];
  mounts: Lines[];
  volumes: Lines[];
  account: Lines;
}

function serviceAccountLines(app: string, style: FileStyle): Lines {
  const { rng } = style;
  const roll = rng.next();
  if (roll < 0.15) {
    note(style, 'default-service-account');
    return rng.chance(0.5) ? [] : ['serviceAccountName: default'];
  }
  if (roll < 0.22) {
    note(style, 'deprecated-service-account-field');
    return [`serviceAccount: ${app}-sa`];
  }
  return [`serviceAccountName: ${app}-sa`, ...(rng.chance(0.3) ? ['automountServiceAccountToken: false'] : [])];
}

/** Adds token reads (legacy Secrets, projected tokens) to a pod, problems and clean variants alike. */
function addTokenReads(parts: PodParts, app: string, style: FileStyle): void {
  const { rng } = style;
  const legacySecret = `${app}-sa-token-${rng.suffix(5)}`;
  if (rng.chance(0.15)) {
    note(style, 'legacy-secret-env');
    parts.env.push([
      'name: KUBE_TOKEN',
      ...block('valueFrom', block('secretKeyRef', [`name: ${legacySecret}`, 'key: token'])),
    ]);
  }
  if (rng.chance(0.05)) {
    note(style, 'legacy-secret-envfrom');
    parts.envFrom.push(block('secretRef', [`name: ${legacySecret}`]));
  }
  if (rng.chance(0.1)) {
    note(style, 'legacy-secret-volume');
    parts.mounts.push(['name: sa-token', 'mountPath: /var/run/secrets/tokens', 'readOnly: true']);
    parts.volumes.push(['name: sa-token', ...block('secret', [`secretName: ${legacySecret}`])]);
  }
  if (rng.chance(0.2)) {
    const bad = rng.chance(0.4);
    if (bad) note(style, 'bad-expiration');
    const seconds = bad ? rng.pick([300, 599, 4294967297]) : rng.pick([3600, 7200]);
    const source = ['path: token', `expirationSeconds: ${seconds}`, ...(rng.chance(0.5) ? ['audience: vault'] : [])];
    parts.mounts.push(['name: bound-token', 'mountPath: /var/run/secrets/bound']);
    parts.volumes.push([
      'name: bound-token',
      ...block('projected', sequence('sources', [block('serviceAccountToken', source)], style)),
    ]);
  }
}

function container(name: string, app: string, parts: PodParts, style: FileStyle): Lines {
  const { rng } = style;
  const env: Lines[] = [['name: LOG_LEVEL', `value: ${rng.pick(['info', 'debug', '"warn"'])}`], ...parts.env];
  return [
    `name: ${name}`,
    `image: "registry.example.com/shop/${app}:1.${rng.int(0, 40)}.${rng.int(0, 9)}"`,
    ...comment(style, 'ports are scraped by the mesh'),
    `ports: [{containerPort: ${rng.pick([8080, 9090, 3000])}, protocol: TCP}]`,
    ...sequence('env', env, style),
    ...(parts.envFrom.length ? sequence('envFrom', parts.envFrom, style) : []),
    ...block('resources', ['limits: {cpu: 500m, memory: 256Mi}', 'requests: {cpu: 100m, memory: 128Mi}']),
    ...sequence('volumeMounts', [['name: data', 'mountPath: /data'], ...parts.mounts], style),
  ];
}

function podSpec(app: string, style: FileStyle): Lines {
  const parts: PodParts = { env: [], envFrom: [], mounts: [], volumes: [], account: serviceAccountLines(app, style) };
  addTokenReads(parts, app, style);
  const sidecar = style.rng.chance(0.25)
    ? [container('proxy', 'envoy', { env: [], envFrom: [], mounts: [], volumes: [], account: [] }, style)]
    : [];
  return [
    ...parts.account,
    ...comment(style, 'keep the main container first: tooling reads containers[0]'),
    ...sequence('containers', [container(app, app, parts, style), ...sidecar], style),
    ...sequence('volumes', [['name: data', 'emptyDir: {}'], ...parts.volumes], style),
  ];
}

function podTemplate(app: string, style: FileStyle): Lines {
  return block('template', [
    ...block('metadata', block('labels', [`app: ${app}`])),
    ...block('spec', podSpec(app, style)),
  ]);
}

function selector(app: string): Lines {
  return block('selector', block('matchLabels', [`app: ${app}`]));
}

/** The kind-specific part of a workload; everything below `metadata`. */
function workloadBody(kind: Kind, app: string, style: FileStyle): Lines {
  const replicas = `replicas: ${style.rng.int(1, 5)}`;
  switch (kind) {
    case 'Pod':
      return block('spec', podSpec(app, style));
    case 'Deployment':
    case 'ReplicaSet':
      return block('spec', [replicas, ...selector(app), ...podTemplate(app, style)]);
    case 'StatefulSet':
      return block('spec', [replicas, `serviceName: ${app}`, ...selector(app), ...podTemplate(app, style)]);
    case 'DaemonSet':
      return block('spec', [...selector(app), ...podTemplate(app, style)]);
    case 'ReplicationController':
      return block('spec', [replicas, ...block('selector', [`app: ${app}`]), ...podTemplate(app, style)]);
    case 'Job':
      return block('spec', ['backoffLimit: 2', ...podTemplate(app, style)]);
    case 'CronJob':
      return block('spec', [
        `schedule: "*/${style.rng.int(5, 59)} * * * *"`,
        ...block('jobTemplate', block('spec', podTemplate(app, style))),
      ]);
    case 'PodTemplate':
      return podTemplate(app, style);
    default:
      return supportingBody(kind, app);
  }
}

function supportingBody(kind: Kind, app: string): Lines {
  switch (kind) {
    case 'ServiceAccount':
      return ['automountServiceAccountToken: false'];
    case 'Secret':
      return ['type: kubernetes.io/service-account-token'];
    case 'ConfigMap':
      return block('data', ['LOG_FORMAT: json', `UPSTREAM: http://${app}.svc:8080`, 'FEATURE_FLAGS: "a,b,c"']);
    default:
      return block('spec', [...block('selector', [`app: ${app}`]), `ports: [{port: 80, targetPort: 8080}]`]);
  }
}

const API_VERSIONS: Partial<Record<Kind, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

function objectLines(kind: Kind, style: FileStyle): Lines {
  const { rng } = style;
  const app = rng.pick(APPS);
  const namespace = rng.pick(NAMESPACES);
  const name =
    kind === 'Secret'
      ? `${app}-sa-token-${rng.suffix(5)}`
      : kind === 'ServiceAccount'
        ? `${app}-sa`
        : `${app}-${rng.suffix(5)}`;
  const head = [`apiVersion: ${API_VERSIONS[kind] ?? 'v1'}`, `kind: ${kind}`, ...metadata(name, namespace, app, style)];
  if (kind === 'Secret')
    head.push(...indent(block('annotations', [`kubernetes.io/service-account.name: ${app}-sa`]), 2));
  if (kind !== 'List') return [...comment(style, `${kind} for ${app}`), ...head, ...workloadBody(kind, app, style)];
  const items = Array.from({ length: rng.int(2, 4) }, () =>
    objectLines(rng.pick(['Pod', 'Deployment', 'ServiceAccount'] as const), style),
  );
  return ['apiVersion: v1', 'kind: List', ...sequence('items', items, style)];
}

function pickKind(rng: Rng): Kind {
  const total = WORKLOAD_KINDS.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng.next() * total;
  for (const [kind, weight] of WORKLOAD_KINDS) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'Deployment';
}

export interface CorpusOptions {
  documents: number;
  seed?: number;
}

export function generateCorpus({ documents, seed = 6 }: CorpusOptions): Corpus {
  const rng = createRng(seed);
  const problems = Object.fromEntries(
    (
      [
        'legacy-secret-env',
        'legacy-secret-envfrom',
        'legacy-secret-volume',
        'bad-expiration',
        'default-service-account',
        'deprecated-service-account-field',
      ] as const
    ).map((p) => [p, 0]),
  ) as Record<TokenProblem, number>;
  const kinds: Record<string, number> = {};
  const files: CorpusFile[] = [];
  for (let made = 0; made < documents;) {
    const style: FileStyle = { rng, sequenceIndent: rng.chance(0.5) ? 0 : 2, comments: rng.chance(0.7), problems };
    const count = Math.min(documents - made, rng.chance(0.3) ? 1 : rng.int(2, 20));
    const docs = Array.from({ length: count }, () => {
      const kind = pickKind(rng);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      return objectLines(kind, style).join('\n');
    });
    const header = style.comments ? '# Generated by the sa-token-inspector bench: do not edit.\n' : '';
    const leadingSeparator = rng.chance(0.3) ? '---\n' : '';
    files.push({
      name: `manifests/file-${files.length}.yaml`,
      text: `${header}${leadingSeparator}${docs.join('\n---\n')}\n`,
      documents: count,
    });
    made += count;
  }
  const lines = files.reduce((sum, file) => sum + file.text.split('\n').length - 1, 0);
  const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
  return { files, documents, lines, bytes, kinds, problems };
}
