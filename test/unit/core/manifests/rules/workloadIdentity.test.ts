// SAT203 messages and what it leaves alone (the positions are in the golden case sat203-workload-identity).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintManifest } from '../../../../../src/core/manifests/lint';
import { indexWorkspaceFile } from '../../../../../src/core/manifests/workspace';

const sat203 = (text: string, options = {}) =>
  lintManifest(text, options)
    .filter((finding) => finding.rule === 'SAT203')
    .map((finding) => finding.message);

const AZURE_SA = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  annotations:
    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001
`;

const pod = (labels: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
${labels}
spec:
  serviceAccountName: app
  containers: [{name: c, image: busybox}]
${extra}`;

describe('SAT203', () => {
  it('asks for the Azure pod label, naming the annotation and the consequence', () => {
    const [message] = sat203(`${AZURE_SA}---\n${pod('  labels: {app: p}')}`);
    assert.match(
      message,
      /^ServiceAccount "app" is annotated for Azure Workload Identity \(azure\.workload\.identity\/client-id\)/,
    );
    assert.match(message, /lacks the label azure\.workload\.identity\/use: "true"/);
    assert.match(message, /no federated token/);
  });

  it('finds the ServiceAccount in another file of the workspace', () => {
    const index = indexWorkspaceFile(AZURE_SA, 'sa.yaml');
    assert.equal(sat203(pod('  labels: {app: p}'), index).length, 1);
    assert.equal(sat203(pod('  labels: {app: p}')).length, 0, 'without the ServiceAccount nothing is known');
  });

  it("respects the author's explicit label value and unknown (templated) labels", () => {
    assert.deepEqual(sat203(`${AZURE_SA}---\n${pod('  labels: {azure.workload.identity/use: "false"}')}`), []);
    assert.deepEqual(sat203(`${AZURE_SA}---\n${pod('  labels: {app: "{{ .Values.app }}"}')}`), []);
    assert.deepEqual(sat203(`${AZURE_SA}---\n${pod('  labels: {azure.workload.identity/use: "true"}')}`), []);
    const helm = `${AZURE_SA}---\n${pod('  labels:\n    {{- include "app.labels" . | nindent 4 }}')}`;
    assert.deepEqual(sat203(helm, { fileName: 'chart/templates/pod.yaml' }), [], 'labels from an include are unknown');
    const helmExpiration = AZURE_SA.replace(
      'annotations:',
      'annotations:\n    azure.workload.identity/service-account-token-expiration: {{ .Values.expiration }}',
    );
    assert.deepEqual(sat203(helmExpiration, { fileName: 'chart/templates/sa.yaml' }), []);
  });

  it("names both systems when a projected token's audience is another system's", () => {
    const volumes = `  volumes:
    - name: t
      projected:
        sources:
          - serviceAccountToken: {audience: pods.eks.amazonaws.com, path: t}
          - serviceAccountToken: {audience: api://AzureADTokenExchange, path: u}
          - serviceAccountToken: {audience: my-own, path: v}`;
    const messages = sat203(`${AZURE_SA}---\n${pod('  labels: {azure.workload.identity/use: "true"}', volumes)}`);
    assert.deepEqual(messages, [
      'Audience "pods.eks.amazonaws.com" is for EKS Pod Identity, but ServiceAccount "app" is annotated for Azure Workload Identity, which expects "api://AzureADTokenExchange".',
    ]);
  });

  it("flags a token mounted where the provider's clients read it without the provider's audience", () => {
    const mounted = (audience: string) => `  volumes:
    - name: azure-token
      projected:
        sources:
          - serviceAccountToken: {${audience}path: azure-identity-token}
`;
    const withMount = (audience: string) =>
      `${AZURE_SA}---\n${pod('  labels: {azure.workload.identity/use: "true"}', mounted(audience))}`.replace(
        'containers: [{name: c, image: busybox}]',
        'containers: [{name: c, image: busybox, volumeMounts: [{name: azure-token, mountPath: /var/run/secrets/azure/tokens}]}]',
      );
    assert.deepEqual(sat203(withMount('')), [
      'This token is mounted at /var/run/secrets/azure/tokens, where Azure Workload Identity clients read their token, but its audience is the API server\'s (none set): Azure Workload Identity expects "api://AzureADTokenExchange".',
    ]);
    assert.equal(sat203(withMount('audience: my-aud, ')).length, 1);
    assert.deepEqual(sat203(withMount('audience: api://AzureADTokenExchange, ')), []);
  });

  it('checks EKS annotations against the webhook: expiration, audience, role ARN', () => {
    const messages = sat203(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: s3
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::1234:role/short-account
    eks.amazonaws.com/audience: ""
    eks.amazonaws.com/token-expiration: "300"
`);
    assert.equal(messages.length, 3);
    for (const expected of [/raises values under 600 to 600/, /audience is empty/, /not an IAM role ARN/])
      assert.ok(
        messages.some((message) => expected.test(message)),
        `${expected}: ${messages.join(' | ')}`,
      );
  });

  it('is silent for ServiceAccounts without cloud identity and can be suppressed', () => {
    assert.deepEqual(sat203('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: plain}\n'), []);
    const suppressed = AZURE_SA.replace('annotations:', 'annotations:\n    sa-token.io/ignore: SAT203');
    assert.deepEqual(
      sat203(
        `${suppressed}---\n${pod('  labels: {app: p}').replace('  name: p', '  name: p\n  annotations: {sa-token.io/ignore: SAT203}')}`,
      ),
      [],
    );
  });
});
