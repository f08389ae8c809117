// The report keeps pods, ServiceAccounts and token Secrets reduced (memory bounded by what the doctor reads): the
// doctor must say exactly the same about the reduced objects as about the full ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, type DoctorInput } from '../../../src/core/troubleshoot/doctor';
import { leanSecret } from '../../../src/kube/doctor';
import { doctorPod, doctorServiceAccount } from '../../../src/kube/report';

const managedFields = [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': {} } }];
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'api-7d9f8b6c5-x2k4p',
    namespace: 'shop',
    uid: 'p1',
    creationTimestamp: '2026-01-10T00:00:00Z',
    labels: { app: 'api', 'pod-template-hash': '7d9f8b6c5' },
    annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9f8b6c5', uid: 'r', controller: true }],
    managedFields,
  },
  spec: {
    serviceAccountName: 'api',
    initContainers: [
      { name: 'init', image: 'busybox', command: ['sh'], envFrom: [{ secretRef: { name: 'api-token-abcde' } }] },
    ],
    containers: [
      {
        name: 'app',
        image: 'api:1',
        env: [
          { name: 'PLAIN', value: 'x' },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token-abcde', key: 'token' } } },
          { name: 'FIELD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        volumeMounts: [
          { name: 'legacy', mountPath: '/etc/legacy' },
          { name: 'vault', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
          { name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/tokens', readOnly: true },
        ],
      },
    ],
    volumes: [
      { name: 'legacy', secret: { secretName: 'gone-token-zzzzz', defaultMode: 420 } },
      {
        name: 'vault',
        projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 300, path: 't' } }] },
      },
      {
        name: 'kube-api-access-abcde',
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt' } },
            { secret: { name: 'extra-token-qqqqq' } },
          ],
        },
      },
    ],
  },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true }] },
};
const account = {
  metadata: { name: 'api', namespace: 'shop', uid: 'sa1', creationTimestamp: '2026-02-01T00:00:00Z', managedFields },
  automountServiceAccountToken: false,
  secrets: [{ name: 'api-token-abcde' }, { name: 'gone-token-zzzzz' }],
};
const secret = {
  metadata: {
    name: 'api-token-abcde',
    namespace: 'shop',
    creationTimestamp: '2024-01-01T00:00:00Z',
    labels: { 'kubernetes.io/legacy-token-invalid-since': '2026-03-01' },
    annotations: { 'kubernetes.io/service-account.name': 'api', 'kubernetes.io/service-account.uid': 'old' },
    managedFields,
  },
  type: 'kubernetes.io/service-account-token',
  data: { token: 'c2VjcmV0', 'ca.crt': 'Y2E=' },
};

const input = (object: unknown, serviceAccount: unknown, tokenSecret: unknown): DoctorInput => ({
  target: { kind: 'Pod', namespace: 'shop', name: 'api-7d9f8b6c5-x2k4p' },
  mode: 'cluster',
  object,
  serviceAccount,
  secrets: new Map([
    ['api-token-abcde', tokenSecret],
    ['gone-token-zzzzz', null],
  ]),
  for: [],
  now: new Date('2026-11-30T00:00:00Z'),
});

describe('the report’s reduced objects', () => {
  it('give the doctor the same checks as the full objects', async () => {
    const full = await diagnose(input(pod, account, leanSecret(secret)));
    const reduced = await diagnose(input(doctorPod(pod), doctorServiceAccount(account), leanSecret(secret)));
    assert.deepEqual(reduced, full);
    // And the checks did look at what was kept: the fails are there.
    assert.ok(full.checks.filter((check) => check.status === 'fail').length >= 2);
  });

  it('keep no Secret value, no managedFields, no status, no images', () => {
    const kept = JSON.stringify([doctorPod(pod), doctorServiceAccount(account), leanSecret(secret)]);
    assert.doesNotMatch(kept, /c2VjcmV0|Y2E=|managedFields|Running|api:1|busybox|PLAIN/);
  });
});
