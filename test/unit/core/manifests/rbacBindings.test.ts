import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintManifest } from '../../../../src/core/manifests/lint';

const binding = (subject: string): string => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
${subject}
`;

describe('SAT101 on a ClusterRoleBinding subject', () => {
  it('flags a ServiceAccount subject with no namespace key', () => {
    const findings = lintManifest(binding('  - kind: ServiceAccount\n    name: app'));
    const sat101 = findings.filter((finding) => finding.rule === 'SAT101');
    assert.equal(sat101.length, 1);
    assert.match(sat101[0]!.message, /names ServiceAccount "app" without a namespace/);
  });

  it('says nothing about Helm-templated names and namespaces (seen on 232 chart bindings)', () => {
    const text = binding(
      '  - kind: ServiceAccount\n    name: {{ template "chart.serviceAccountName" . }}\n    namespace: {{ .Release.Namespace }}',
    );
    const findings = lintManifest(text, { fileName: 'templates/clusterrolebinding.yaml' });
    assert.deepEqual(
      findings.filter((finding) => finding.rule === 'SAT101'),
      [],
    );
  });

  it("says nothing where a template action at the subject's column may write the namespace (helm/charts prometheus)", () => {
    const text = binding(
      '  - kind: ServiceAccount\n    name: {{ template "prometheus.serviceAccountName.server" . }}\n{{ include "prometheus.namespace" . | indent 4 }}',
    );
    const findings = lintManifest(text, { fileName: 'templates/clusterrolebinding.yaml' });
    assert.deepEqual(
      findings.filter((finding) => finding.rule === 'SAT101'),
      [],
    );
  });

  it('says nothing where a kustomization of the scope sets namespace: (kustomize fills the subject)', () => {
    const text = binding('  - kind: ServiceAccount\n    name: argo-server');
    const rules = (options: Parameters<typeof lintManifest>[1]) =>
      lintManifest(text, options).filter((finding) => finding.rule === 'SAT101').length;
    assert.equal(rules({ namespaceSetters: ['/repo/manifests/cluster-install/kustomization.yaml'] }), 0);
    assert.equal(rules({ namespaceSetters: [] }), 1);
  });
});
