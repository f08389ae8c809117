// The engine's contract beyond the goldens: ranges, settings, indexes, suppression, templates, robustness.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { applyEdits, fixAll } from '../../../../src/core/manifests/fix';
import { analyzeManifest, lintManifest, parseProblems } from '../../../../src/core/manifests/lint';
import { suppressedRules } from '../../../../src/core/manifests/suppress';
import { indexWorkspaceFile, mergeIndexes } from '../../../../src/core/manifests/workspace';

const fixtures = join(import.meta.dirname, '../../../fixtures/manifests');
const input = (name: string) => readFileSync(join(fixtures, name, 'input.yaml'), 'utf8');

const pod = (spec: string, metadata = 'name: p') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {${metadata}}\nspec:\n${spec}`;
const tokenEnvPod = (secret: string, key = 'token') =>
  pod(
    `  serviceAccountName: app\n  containers:\n  - name: c\n    image: x\n    env:\n    - name: T\n      valueFrom:\n        secretKeyRef: {name: ${secret}, key: ${key}}\n`,
  );

const rules = (text: string, options = {}) => lintManifest(text, options).map((f) => f.rule);

describe('lintManifest', () => {
  it('points SAT001 at the secretKeyRef, envFrom secretRef and secret volume nodes', () => {
    const text = input('sat001-deployment-env');
    const slices = lintManifest(text)
      .filter((f) => f.rule === 'SAT001')
      .map((f) => text.slice(f.start, f.end));
    assert.deepEqual(slices, [
      'secretKeyRef:\n                  name: app-token-x7k2p # legacy secret\n                  key: token',
      'secretRef:\n                name: app-token-x7k2p',
      'secret:\n            secretName: app-token-x7k2p',
    ]);
  });

  it('tells the truth in the message and the fix: read the file, re-read it', () => {
    const [finding] = lintManifest(tokenEnvPod('app-token-abcde'));
    assert.match(finding.message, /read the token from a file and re-read it, because projected tokens rotate/);
    assert.equal(finding.fixes[0].title, 'Use a projected token volume instead');
    assert.match(finding.fixes[0].detail ?? '', /read the token file and re-read it, as it rotates/);
  });

  it('recognizes legacy names only with token keys, and known token Secrets by any name', () => {
    assert.ok(rules(tokenEnvPod('app-token-abcde')).includes('SAT001'));
    assert.ok(!rules(tokenEnvPod('app-token-abcde', 'password')).includes('SAT001'));
    assert.ok(!rules(tokenEnvPod('robot')).includes('SAT001'));
    assert.ok(rules(tokenEnvPod('robot'), { tokenSecrets: [{ name: 'robot' }] }).includes('SAT001'));
    const elsewhere = { tokenSecrets: [{ name: 'robot', namespace: 'other' }] };
    assert.ok(
      !rules(tokenEnvPod('robot').replace('name: p', 'name: p, namespace: mine'), elsewhere).includes('SAT001'),
    );
  });

  it('honours rule settings: off, severity, SAT009 only when enabled', () => {
    const text = tokenEnvPod('db', 'password');
    assert.ok(!rules(text).includes('SAT009'));
    const [info] = lintManifest(text, { rules: { SAT009: { enabled: true } } }).filter((f) => f.rule === 'SAT009');
    assert.equal(info.severity, 'info');
    const legacy = tokenEnvPod('app-token-abcde');
    assert.ok(!rules(legacy, { rules: { SAT001: { enabled: false } } }).includes('SAT001'));
    assert.equal(lintManifest(legacy, { rules: { SAT001: { severity: 'warning' } } })[0].severity, 'warning');
  });

  it('lets the pod setting win over the ServiceAccount, and ServiceAccounts come from the workspace', () => {
    const workload = pod('  serviceAccountName: web\n  containers:\n  - {name: c, image: x}\n');
    // SAT005 is off by default (a hint); switched on here.
    const on = { rules: { SAT005: { enabled: true } } };
    assert.deepEqual(rules(workload), []);
    assert.deepEqual(rules(workload, on), ['SAT005']);
    const sa = indexWorkspaceFile(
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\nautomountServiceAccountToken: false\n',
    );
    assert.deepEqual(rules(workload, { ...sa, ...on }), []);
    const podOn = workload.replace(
      '  serviceAccountName: web\n',
      '  serviceAccountName: web\n  automountServiceAccountToken: true\n',
    );
    assert.deepEqual(rules(podOn, { ...sa, ...on }), [], 'explicitly on: the pod says it uses the token');
    const binding = indexWorkspaceFile(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nsubjects:\n- {kind: ServiceAccount, name: web, namespace: shop}\n',
    );
    assert.deepEqual(rules(workload, { ...binding, ...on }), [], 'a binding means the token is used');
    // A chart's ServiceAccount is indexed as the linter reads the chart: template actions masked.
    const chartSa = indexWorkspaceFile(
      '{{- if .Values.serviceAccount.create }}\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  labels:\n    {{- include "labels" . | nindent 4 }}\nautomountServiceAccountToken: false\n{{- end }}\n',
      'chart/templates/serviceaccount.yaml',
    );
    assert.deepEqual(
      chartSa.serviceAccounts.map(({ name, automount }) => ({ name, automount })),
      [{ name: 'web', automount: false }],
    );
  });

  it('reports Helm templates where it can, and never offers a fix that rewrites template text', () => {
    const findings = lintManifest(input('sat001-helm-template'), { fileName: 'charts/app/templates/deployment.yaml' });
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['SAT001'],
    );
    assert.deepEqual(findings[0].fixes, []);
    assert.match(findings[0].message, /Helm template: change the chart's values/);
    const underTemplates = lintManifest(tokenEnvPod('app-token-abcde'), { fileName: 'chart/templates/pod.yaml' });
    assert.ok(underTemplates.every((f) => f.fixes.length === 0));
  });

  it('offers a second API server token volume for a custom audience only where automount is off', () => {
    const titles = (automount: string) =>
      lintManifest(
        pod(
          `  automountServiceAccountToken: ${automount}\n  containers:\n  - name: c\n    image: x\n    volumeMounts: [{name: v, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]\n  volumes:\n  - name: v\n    projected: {sources: [{serviceAccountToken: {audience: vault, path: token}}]}\n`,
        ),
      )
        .filter((f) => f.rule === 'SAT004')
        .flatMap((f) => f.fixes.map((fix) => `${fix.title}: ${fix.detail}`));
    assert.deepEqual(titles('false'), [
      'Mount it at /var/run/secrets/tokens instead: the "vault" token moves there, and the app must read it from the new path',
      'Move it, and mount an API server token: the "vault" token moves to /var/run/secrets/tokens (the app must read it there), and a second volume "sa-token" puts an API server token at /var/run/secrets/kubernetes.io/serviceaccount',
    ]);
    assert.deepEqual(
      titles('true'),
      [
        'Mount it at /var/run/secrets/tokens instead: the "vault" token moves there, and the app must read it from the new path',
      ],
      'automount puts the API server token there itself',
    );
  });

  it('reports an alias without an anchor as a parse problem, and fixes nothing in that document', () => {
    const text = `${tokenEnvPod('app-token-abcde')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: *nothing\n`;
    const { parseProblems: problems, findings } = analyzeManifest(text);
    assert.deepEqual(
      problems.map((p) => [text.slice(p.start, p.end), p.message]),
      [['*nothing', 'Unknown alias *nothing: no anchor &nothing comes before it in this document']],
    );
    assert.ok(
      findings.some((f) => f.rule === 'SAT001' && f.fixes.length > 0),
      'the other document is still fixed',
    );
    const later =
      `apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers: *c\nx: &c []\n` +
      tokenEnvPod('app-token-abcde').replace('apiVersion', '---\napiVersion');
    assert.equal(parseProblems(later).length, 1, 'an anchor after its alias does not count');
    assert.deepEqual(parseProblems('a: &x 1\nb: *x\ncron: "*/5 * * * *"\n'), []);
  });

  it('reads through YAML merge keys and says why shared text gets no fix', () => {
    const findings = lintManifest(input('merge-keys'));
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['SAT001', 'SAT007', 'SAT001'],
    );
    for (const finding of findings) {
      assert.deepEqual(finding.fixes, []);
      assert.match(finding.message, /No automatic fix: this text is shared through a YAML anchor/);
    }
    const own = pod(
      '  <<: {automountServiceAccountToken: false}\n  serviceAccountName: web\n  containers:\n  - {name: c, image: x}\n',
    );
    assert.deepEqual(rules(own), [], 'automount off through a merged map');
    const merged = lintManifest(pod('  <<: {serviceAccount: web}\n  containers:\n  - {name: c, image: x}\n'), {
      rules: { SAT005: { enabled: true } },
    });
    assert.deepEqual(
      merged.map((f) => f.rule),
      ['SAT005', 'SAT007'],
    );
    assert.ok(merged[0].fixes.length > 0, 'the pod map itself is not shared: automount can be added next to the merge');
  });

  it('does not treat Kustomize patches (no kind) as objects', () => {
    assert.deepEqual(lintManifest(input('kustomize-patch')), []);
  });

  it('reports YAML syntax problems separately and lints the rest', () => {
    const text = `${tokenEnvPod('app-token-abcde')}---\nkind: [unclosed\n`;
    const analysis = analyzeManifest(text);
    assert.ok(analysis.findings.some((f) => f.rule === 'SAT001'));
    assert.equal(analysis.parseProblems.length > 0, true);
    assert.deepEqual(parseProblems(text), analysis.parseProblems);
    assert.ok(analysis.parseProblems[0].start >= text.indexOf('---'));
    const [legacy] = analysis.findings;
    assert.equal(legacy.fixes.length, 1, 'the valid document stays fixable');
    // Issue 18 item 7: a document with syntax errors gets its syntax error only, no finding from its partial parse.
    const broken = analyzeManifest(`${tokenEnvPod('app-token-abcde')}  bad: [unclosed\n`);
    assert.ok(broken.parseProblems.length > 0);
    assert.deepEqual(broken.findings, []);
  });

  it('never throws, and no fix (alone or all together) breaks YAML, on arbitrary edits of real manifests', () => {
    const corpus = [
      'sat001-deployment-env',
      'sat001-pod-flush',
      'sat004-projected',
      'sat001-replicationcontroller-flow',
      'sat001-flow-empty-lists',
      'sat006-default',
    ].map(input);
    fc.assert(
      fc.property(
        fc.constantFrom(...corpus),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 12 }),
        (text, a, b, insert) => {
          const start = a % text.length;
          const end = Math.min(text.length, start + (b % 40));
          const mutated = text.slice(0, start) + insert + text.slice(end);
          const findings = lintManifest(mutated, { rules: { SAT009: { enabled: true } } });
          const errorsBefore = parseAllDocuments(mutated).flatMap((doc) => doc.errors).length;
          for (const fix of findings.flatMap((finding) => finding.fixes)) {
            const alone = applyEdits(mutated, fix.edits);
            assert.ok(
              parseAllDocuments(alone).flatMap((doc) => doc.errors).length <= errorsBefore,
              `${fix.title} broke the YAML`,
            );
          }
          const fixed = fixAll(mutated).text;
          assert.ok(parseAllDocuments(fixed).flatMap((doc) => doc.errors).length <= errorsBefore);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('suppression annotations', () => {
  const suppressed = (annotations: Record<string, string>) =>
    [...suppressedRules(new Map(Object.entries(annotations)))].sort();

  it('reads our own list, and "all"', () => {
    assert.deepEqual(suppressed({ 'sa-token.io/ignore': 'SAT005, sat006 SAT999' }), ['SAT005', 'SAT006']);
    assert.equal(suppressed({ 'sa-token.io/ignore': 'all' }).length, 18);
  });

  it('maps the overlapping checks of kube-linter, Polaris and checkov', () => {
    assert.deepEqual(suppressed({ 'ignore-check.kube-linter.io/default-service-account': 'x' }), ['SAT006']);
    assert.deepEqual(suppressed({ 'ignore-check.kube-linter.io/deprecated-service-account-field': '' }), ['SAT007']);
    // Polaris' automountServiceAccountToken check fails wherever the token is mounted, the default account included.
    assert.deepEqual(suppressed({ 'polaris.fairwinds.com/automountServiceAccountToken-exempt': 'true' }), [
      'SAT005',
      'SAT006',
    ]);
    assert.deepEqual(suppressed({ 'polaris.fairwinds.com/automountServiceAccountToken-exempt': 'false' }), []);
    assert.deepEqual(suppressed({ 'polaris.fairwinds.com/automountServiceAccountToken-exempt': 'yes' }), []);
    assert.deepEqual(suppressed({ 'polaris.fairwinds.com/exempt': 'TRUE' }), ['SAT005', 'SAT006']);
    assert.deepEqual(suppressed({ 'checkov.io/skip1': 'CKV_K8S_38=reason', 'checkov.io/skip2': 'CKV_K8S_41' }), [
      'SAT005',
      'SAT006',
    ]);
    assert.deepEqual(suppressed({ 'ignore-check.kube-linter.io/env-var-secret': '' }), ['SAT009'], 'never SAT001');
  });

  it("honours kubeaudit's asat override labels on the object or its pod template", () => {
    for (const label of [
      'kubeaudit.io/allow-automount-service-account-token',
      'audit.kubernetes.io/pod.allow-automount-service-account-token',
    ]) {
      assert.deepEqual([...suppressedRules(new Map(), new Map([[label, 'reason']]))].sort(), [
        'SAT005',
        'SAT006',
        'SAT007',
      ]);
    }
    const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      labels: {kubeaudit.io/allow-automount-service-account-token: "calls the API"}\n    spec:\n      serviceAccount: x\n      containers: [{name: c, image: x}]\n`;
    assert.deepEqual(lintManifest(deployment), []);
    assert.deepEqual(rules(deployment.replace('kubeaudit.io', 'example.com')), ['SAT007']);
  });
});

describe('workspace index', () => {
  it('indexes token Secrets, ServiceAccounts and binding subjects, and merges', () => {
    const text = readFileSync(join(fixtures, 'sat005-automount', 'input.yaml'), 'utf8');
    const index = mergeIndexes(
      indexWorkspaceFile(text, 'a.yaml'),
      indexWorkspaceFile(input('sat002-token-secrets'), 'b.yaml'),
    );
    assert.deepEqual(index.tokenSecrets, [
      { name: 'builder-token-7g8h9', namespace: 'ci', serviceAccount: 'builder', fileName: 'b.yaml', declared: true },
    ]);
    assert.deepEqual(
      index.serviceAccounts.map((sa) => [sa.name, sa.namespace, sa.declared, sa.automount, sa.hasRoleBinding]),
      [
        ['web', 'shop', true, undefined, false],
        ['operator', 'shop', false, undefined, true],
        ['builder', 'ci', true, false, false],
      ],
    );
  });
});
