// fast-check generators for Kubernetes manifests that exercise every rule (token Secret reads, projected tokens,
// automount, deprecated fields, suppressions), rendered in every style a repository might use: indent 2 or 4,
// flush or indented sequences, flow collections, comments on any node, several documents, CRLF and a BOM.
import fc from 'fast-check';
import { Document, isCollection, isNode, visit } from 'yaml';

const WORKLOAD_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

const secretName = fc.constantFrom('app-token-x7k2p', 'ci-robot', 'db', 'default-token-abcde');
const serviceAccount = fc.constantFrom('default', 'app', 'ci');
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const envEntry = fc.oneof(
  fc.record({ name: fc.constantFrom('LOG', 'MODE'), value: fc.constantFrom('debug', 'x y', '') }),
  fc.record({
    name: fc.constantFrom('TOKEN', 'CA'),
    valueFrom: fc.record({
      secretKeyRef: fc.record({ name: secretName, key: fc.constantFrom('token', 'ca.crt', 'namespace', 'password') }),
    }),
  }),
);

const volumeMount = fc.record({
  name: fc.constantFrom('legacy', 'projected', 'data'),
  mountPath: fc.constantFrom('/var/run/secrets/kubernetes.io/serviceaccount', '/tokens', '/data'),
});

const container = fc.record(
  {
    name: fc.constantFrom('main', 'sidecar', 'init'),
    image: fc.constant('example/app:1'),
    env: fc.array(envEntry, { maxLength: 3 }),
    envFrom: fc.array(fc.record({ secretRef: fc.record({ name: secretName }) }), { maxLength: 1 }),
    volumeMounts: fc.array(volumeMount, { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'image'] },
);

const volume = fc.oneof(
  fc.record({ name: fc.constant('legacy'), secret: fc.record({ secretName }) }),
  fc.record({
    name: fc.constant('projected'),
    projected: fc.record({
      sources: fc.array(
        fc.record({
          serviceAccountToken: fc.record(
            {
              path: fc.constantFrom('token', 'other'),
              expirationSeconds: fc.constantFrom(-1, 0, 599, 600, 3600, 172800, 4294967297),
              audience: fc.constantFrom('vault', 'https://kubernetes.default.svc'),
            },
            { requiredKeys: [] },
          ),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  }),
  fc.record({ name: fc.constant('data'), emptyDir: fc.constant({}) }),
);

const podSpec = fc.record(
  {
    serviceAccountName: serviceAccount,
    serviceAccount,
    automountServiceAccountToken: fc.boolean(),
    containers: fc.array(container, { minLength: 1, maxLength: 2 }),
    initContainers: fc.array(container, { maxLength: 1 }),
    volumes: fc.array(volume, { maxLength: 3 }),
  },
  { requiredKeys: ['containers'] },
);

const metadata = fc.record(
  {
    name: fc.constantFrom('app', 'web', 'ci'),
    namespace: fc.constantFrom('default', 'shop'),
    annotations: fc.record({ 'sa-token.io/ignore': fc.constantFrom('SAT005', 'SAT001,SAT006') }),
  },
  { requiredKeys: ['name'] },
);

const workload = fc
  .record({ kind: fc.constantFrom(...Object.keys(WORKLOAD_PATHS)), metadata, pod: podSpec })
  .map(({ kind, metadata: meta, pod }) => {
    const object: Record<string, unknown> = {
      apiVersion: kind === 'Pod' || kind === 'PodTemplate' ? 'v1' : 'apps/v1',
      kind,
      metadata: meta,
    };
    let at = object;
    const path = WORKLOAD_PATHS[kind];
    path.forEach((key, i) => {
      const next = i === path.length - 1 ? pod : {};
      at[key] = next;
      at = next as Record<string, unknown>;
    });
    return object;
  });

const tokenSecret = fc.record({ metadata, sa: serviceAccount }).map(({ metadata: meta, sa }) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { ...meta, name: 'app-token-x7k2p', annotations: { 'kubernetes.io/service-account.name': sa } },
  type: 'kubernetes.io/service-account-token',
}));

const serviceAccountObject = fc
  .record({
    name: serviceAccount,
    automount: optional(fc.boolean()),
    secrets: fc.array(fc.record({ name: secretName }), { maxLength: 2 }),
  })
  .map(({ name, automount, secrets }) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name },
    ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
    ...(secrets.length ? { secrets } : {}),
  }));

const configMap = fc.constant({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data: { mode: 'fast' },
});

export const manifestObject = fc.oneof(
  { arbitrary: workload, weight: 4 },
  tokenSecret,
  serviceAccountObject,
  configMap,
);

export interface RenderStyle {
  indent: 2 | 4;
  indentSeq: boolean;
  /** Per collection, in visiting order: render in flow style. */
  flow: boolean[];
  /** Per node, in visiting order: a comment before it, after it, or none. */
  comments: (0 | 1 | 2)[];
  crlf: boolean;
  bom: boolean;
}

export const renderStyle: fc.Arbitrary<RenderStyle> = fc.record({
  indent: fc.constantFrom(2 as const, 4 as const),
  indentSeq: fc.boolean(),
  flow: fc.array(fc.constantFrom(false, false, false, true), { maxLength: 60 }),
  comments: fc.array(fc.constantFrom(0 as const, 0 as const, 0 as const, 1 as const, 2 as const), { maxLength: 80 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
});

/** One YAML file of `objects` in `style`. Comments are numbered so that a lost one is named. */
export function renderManifest(objects: object[], style: RenderStyle): string {
  let commentNumber = 0;
  const documents = objects.map((object) => {
    const doc = new Document(object);
    let collection = 0;
    let node = 0;
    visit(doc, (_key, visited, path) => {
      if (!isNode(visited)) return;
      const inFlow = path.some((ancestor) => isCollection(ancestor) && ancestor.flow);
      if (isCollection(visited) && style.flow[collection++]) visited.flow = true;
      const comment = style.comments[node++];
      // Comments in flow collections are not all representable; keep them on block nodes.
      if (inFlow || (isCollection(visited) && visited.flow)) return;
      if (comment === 1) visited.commentBefore = ` before ${++commentNumber}`;
      if (comment === 2) visited.comment = ` after ${++commentNumber}`;
    });
    return doc.toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 });
  });
  const text = documents.join('---\n');
  return `${style.bom ? '\uFEFF' : ''}${style.crlf ? text.replace(/\n/g, '\r\n') : text}`;
}

/** Small edits a person (or a bad merge) makes to a file. */
export type Mutation =
  | {
      type: 'delete-line' | 'duplicate-line' | 'indent-line' | 'tab-indent' | 'comment-line' | 'document-marker';
      at: number;
    }
  | { type: 'insert'; at: number; text: string }
  | { type: 'truncate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    type: fc.constantFrom(
      'delete-line' as const,
      'duplicate-line' as const,
      'indent-line' as const,
      'tab-indent' as const,
      'comment-line' as const,
      'document-marker' as const,
    ),
    at: fc.nat(),
  }),
  fc.record({
    type: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      ':',
      '- ',
      '{',
      '[',
      '"',
      "'",
      '\t',
      '&a ',
      '*a',
      '# x',
      '\n',
      '|',
      '\u0000',
      '\uFEFF',
      '{{ .Values.x }}',
      ': ',
    ),
  }),
  fc.record({ type: fc.constant('truncate' as const), at: fc.nat() }),
);

export function mutate(text: string, change: Mutation): string {
  if (change.type === 'insert') {
    const at = change.at % (text.length + 1);
    return text.slice(0, at) + change.text + text.slice(at);
  }
  if (change.type === 'truncate') return text.slice(0, change.at % (text.length + 1));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const i = change.at % lines.length;
  const line = lines[i];
  const replacement: Record<typeof change.type, string[]> = {
    'delete-line': [],
    'duplicate-line': [line, line],
    'indent-line': [`  ${line}`],
    'tab-indent': [`\t${line}`],
    'comment-line': [`${line.match(/^\s*/)?.[0] ?? ''}# mutation comment`, line],
    'document-marker': ['---', line],
  };
  lines.splice(i, 1, ...replacement[change.type]);
  return lines.join(eol);
}
