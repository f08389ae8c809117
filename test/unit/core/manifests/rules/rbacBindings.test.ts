import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnosticMessage } from '../../../../../src/core/manifests/diagnosticMessage';
import { lintManifest } from '../../../../../src/core/manifests/lint';

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

/** SAT101's findings in `text`. */
const sat101 = (text: string, options?: Parameters<typeof lintManifest>[1]) =>
  lintManifest(text, options).filter((finding) => finding.rule === 'SAT101');

describe('SAT101 on a ClusterRoleBinding subject', () => {
  it('flags a ServiceAccount subject with no namespace key', () => {
    const findings = sat101(binding('  - kind: ServiceAccount\n    name: app'));
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /names ServiceAccount "app" without a namespace/);
  });

  it('says nothing about Helm-templated names and namespaces (seen on 232 chart bindings)', () => {
    const text = binding(
      '  - kind: ServiceAccount\n    name: {{ template "chart.serviceAccountName" . }}\n    namespace: {{ .Release.Namespace }}',
    );
    assert.deepEqual(sat101(text, { fileName: 'templates/clusterrolebinding.yaml' }), []);
  });

  it("says nothing where a template action at the subject's column may write the namespace (helm/charts prometheus)", () => {
    const text = binding(
      '  - kind: ServiceAccount\n    name: {{ template "prometheus.serviceAccountName.server" . }}\n{{ include "prometheus.namespace" . | indent 4 }}',
    );
    assert.deepEqual(sat101(text, { fileName: 'templates/clusterrolebinding.yaml' }), []);
  });

  it('says nothing where a kustomization of the scope sets namespace: (kustomize fills the subject)', () => {
    const text = binding('  - kind: ServiceAccount\n    name: argo-server');
    assert.equal(sat101(text, { namespaceSetters: ['/repo/manifests/cluster-install/kustomization.yaml'] }).length, 0);
    assert.equal(sat101(text, { namespaceSetters: [] }).length, 1);
  });
});

describe('SAT104 on a binding to the default ServiceAccount', () => {
  it('does not show a templated role name (bitnami kube-arangodb, helm/charts istio)', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: x
  namespace: ns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ template "istio.fullname" . }}-sidecar
subjects:
  - kind: ServiceAccount
    name: default
    namespace: ns
`;
    const findings = lintManifest(text.replace('name: default', 'name: {{ .Values.sa }}'), {
      fileName: 'templates/rbac.yaml',
    });
    assert.deepEqual(findings, [], 'a templated role proves no risk');
    const sat104 = lintManifest(text, { fileName: 'templates/rbac.yaml' }).filter((f) => f.rule === 'SAT104');
    assert.equal(sat104.length, 1);
    assert.match(sat104[0]!.message, /^Grants a role to the default ServiceAccount/);
  });

  it('SAT102 does not show a templated subject name (helm/charts velero, spinnaker)', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: x
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: {{ include "velero.serverServiceAccount" . }}
    namespace: {{ .Release.Namespace }}
`;
    const sat102 = lintManifest(text, { fileName: 'templates/rbac.yaml' }).filter((f) => f.rule === 'SAT102');
    assert.equal(sat102.length, 1);
    assert.match(
      sat102[0]!.message,
      /^Gives a ServiceAccount a way to other tokens through ClusterRole "cluster-admin"/,
    );
  });
  it('SAT102 says one short sentence in the editor (the risks by name); the message goes on with what each means', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reporter-edit
  namespace: team-a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: reporter
    namespace: team-a
`;
    const [sat102] = lintManifest(text).filter((f) => f.rule === 'SAT102');
    assert.ok(sat102);
    assert.equal(
      diagnosticMessage(sat102),
      'Gives reporter a way to other tokens through ClusterRole "edit": read-secrets, create-pods, create-tokens, impersonate.',
    );
    assert.match(
      sat102.message,
      /\. Can get\/list\/watch secrets in namespace team-a: reads the legacy token of every ServiceAccount there\. Can create pods\//,
    );
  });
});
