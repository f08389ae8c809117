// A generated corpus shaped like real repositories, for lint_realistic_vs_parse_ratio. Its shape follows what made
// the 6,800 real files of issue 17 slower to lint than the synthetic corpus (1.64× vs 1.09×): thousands of small
// files, a few CRDs whose OpenAPI schemas carry most of the bytes, Helm templates, kustomize trees (bases, overlays,
// patches without `kind`), multi-document bundles, `kind: List` files and YAML that is not Kubernetes at all. The
// proportions below are those of public chart and kustomize repositories (by file count); nothing is fetched.
import { createRng, type Rng } from '../lib/prng';
import type { CorpusFile } from './corpus';

export interface RealisticCorpus {
  files: CorpusFile[];
  bytes: number;
  /** Files per shape. */
  shapes: Record<string, number>;
}

/** Share of files per shape (sums to 1). */
const SHAPES: [shape: string, share: number, make: (rng: Rng, i: number) => string][] = [
  ['small', 0.34, (rng, i) => smallObject(rng, i)],
  ['helm-template', 0.24, (rng, i) => helmTemplate(rng, i)],
  ['kustomize', 0.14, (rng, i) => kustomizeFile(rng, i)],
  [
    'multi-document',
    0.1,
    (rng, i) => Array.from({ length: rng.int(3, 20) }, (_, d) => smallObject(rng, i * 100 + d)).join('---\n'),
  ],
  ['not-kubernetes', 0.1, (rng, i) => valuesFile(rng, i)],
  ['list', 0.04, (rng, i) => listFile(rng, i)],
  ['crd', 0.04, (rng, i) => crd(rng, i)],
];

export function generateRealisticCorpus(fileCount: number, seed = 17): RealisticCorpus {
  const rng = createRng(seed);
  const files: CorpusFile[] = [];
  const shapes: Record<string, number> = {};
  for (const [shape, share, make] of SHAPES) {
    const count = Math.max(1, Math.round(fileCount * share));
    shapes[shape] = count;
    for (let i = 0; i < count; i++) {
      const text = make(rng, i);
      const name = shape === 'helm-template' ? `charts/app-${i % 40}/templates/t${i}.yaml` : `${shape}/f${i}.yaml`;
      files.push({ name, text, documents: text.split(/^---$/m).length });
    }
  }
  return { files, bytes: files.reduce((sum, file) => sum + file.text.length, 0), shapes };
}

function containers(rng: Rng, i: number): string {
  const env = rng.chance(0.3)
    ? `\n        env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db-${i}\n              key: password`
    : '';
  return (
    `      containers:\n      - name: app\n        image: registry.example.com/team/app-${i}:1.${rng.int(0, 40)}.0\n` +
    `        ports:\n        - containerPort: ${rng.int(1000, 9000)}\n        resources:\n          limits: {cpu: 500m, memory: 256Mi}${env}\n`
  );
}

function smallObject(rng: Rng, i: number): string {
  switch (rng.int(0, 5)) {
    case 0:
    case 1:
      return (
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  labels: {app: app-${i}}\nspec:\n` +
        `  replicas: ${rng.int(1, 5)}\n  selector:\n    matchLabels: {app: app-${i}}\n  template:\n    metadata:\n` +
        `      labels: {app: app-${i}}\n    spec:\n${rng.chance(0.5) ? `      serviceAccountName: app-${i}\n` : ''}${containers(rng, i)}`
      );
    case 2:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\nspec:\n  selector: {app: app-${i}}\n  ports:\n  - port: 80\n    targetPort: 8080\n`;
    case 3:
      return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-${i}\n${rng.chance(0.3) ? 'automountServiceAccountToken: false\n' : ''}`;
    case 4:
      return (
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: app-${i}\nroleRef:\n` +
        `  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: ServiceAccount\n  name: app-${i}\n`
      );
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-${i}\ndata:\n${Array.from({ length: rng.int(2, 30) }, (_, k) => `  key${k}: "value ${k} of ${i}"`).join('\n')}\n`;
  }
}

function helmTemplate(rng: Rng, i: number): string {
  return (
    `{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}\n` +
    `  labels:\n    {{- include "app.labels" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  selector:\n` +
    `    matchLabels:\n      {{- include "app.selectorLabels" . | nindent 6 }}\n  template:\n    spec:\n` +
    `      serviceAccountName: {{ include "app.serviceAccountName" . }}\n      containers:\n      - name: {{ .Chart.Name }}\n` +
    `        image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"\n` +
    `        {{- with .Values.env }}\n        env:\n          {{- toYaml . | nindent 10 }}\n        {{- end }}\n` +
    `        resources:\n          {{- toYaml .Values.resources | nindent 12 }}\n{{- end }}\n` +
    (rng.chance(0.4)
      ? `---\n{{- if .Values.serviceAccount.create -}}\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ include "app.serviceAccountName" . }}\nautomountServiceAccountToken: {{ .Values.serviceAccount.automount }}\n{{- end }}\n`
      : '') +
    `# chart ${i}\n`
  );
}

function kustomizeFile(rng: Rng, i: number): string {
  if (rng.chance(0.4))
    return `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: team-${i % 30}\nresources:\n- ../../base\n- sa.yaml\npatches:\n- path: replicas.yaml\nimages:\n- name: app\n  newTag: 1.${i}.0\n`;
  // A strategic-merge patch: a partial object (no selector, no image) that the linter must take as it is.
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: ${rng.int(2, 9)}\n  template:\n    spec:\n      containers:\n      - name: app\n        resources:\n          limits: {memory: 512Mi}\n`;
}

function valuesFile(rng: Rng, i: number): string {
  return (
    `replicaCount: ${rng.int(1, 3)}\nimage:\n  repository: registry.example.com/app-${i}\n  pullPolicy: IfNotPresent\n` +
    `serviceAccount:\n  create: true\n  automount: true\n  annotations: {}\n  name: ""\nresources:\n  limits:\n    cpu: 100m\n` +
    `ingress:\n  enabled: false\n  hosts:\n  - host: chart-example.local\n    paths:\n    - path: /\n      pathType: ImplementationSpecific\n` +
    `nodeSelector: {}\ntolerations: []\naffinity: {}\n`
  );
}

function listFile(rng: Rng, i: number): string {
  const items = Array.from({ length: rng.int(2, 12) }, (_, k) =>
    smallObject(rng, i * 50 + k)
      .trimEnd()
      .split('\n')
      .map((line, n) => (n === 0 ? `- ${line}` : `  ${line}`))
      .join('\n'),
  );
  return `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
}

/** A CustomResourceDefinition whose OpenAPI v3 schema is most of its bytes (hundreds of described properties). */
function crd(rng: Rng, i: number): string {
  const lines: string[] = [];
  const property = (depth: number, indent: string) => {
    const fields = depth > 3 ? 0 : rng.int(4, 9);
    for (let f = 0; f < fields; f++) {
      lines.push(`${indent}field${f}:`);
      lines.push(
        `${indent}  description: ${'Describes how the operator reconciles this field; see the upstream API reference for the defaults and the allowed values. '.repeat(rng.int(1, 3)).trim()}`,
      );
      if (depth < 3 && rng.chance(0.5)) {
        lines.push(`${indent}  type: object`, `${indent}  properties:`);
        property(depth + 1, `${indent}    `);
      } else lines.push(`${indent}  type: ${rng.pick(['string', 'integer', 'boolean'])}`);
    }
  };
  property(0, '              ');
  return (
    `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets${i}.example.com\nspec:\n` +
    `  group: example.com\n  names:\n    kind: Widget${i}\n    plural: widgets${i}\n  scope: Namespaced\n  versions:\n` +
    `  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n` +
    `        properties:\n          spec:\n            type: object\n            properties:\n${lines.join('\n')}\n`
  );
}
