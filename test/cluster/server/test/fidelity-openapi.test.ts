// `kubectl create -f` with kubectl's default validation (strict), as against kube-apiserver v1.32: kubectl reads
// /openapi/v3 and, for a kind with no PATCH operation, /openapi/v2 (cli-runtime query_param_verifier_v3.go,
// fallback_query_param_verifier.go, query_param_verifier.go); kinds whose PATCH takes `fieldValidation` are
// validated by the server (apiserver handlers/create.go, strict decoding by sigs.k8s.io/json, worded by rest.go
// transformDecodeError), the others client-side against the v2 definitions (kubectl/pkg/util/openapi/validation).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { startLocalCluster, type LocalCluster } from '../index';
import { apiRequest, kubectl } from '../../kubectl';

let cluster: LocalCluster;
const ns = 'validation';
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);
const create = (manifest: object, ...flags: string[]) =>
  run(['create', '-n', ns, '-f', '-', ...flags], stringify(manifest));

async function ok(args: string[], input?: string): Promise<string> {
  const result = await run(args, input);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const serviceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app' } };
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/service-account-token',
  metadata: { name: 'app-token', annotations: { 'kubernetes.io/service-account.name': 'app' } },
};
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app', labels: { app: 'app' } },
  spec: {
    serviceAccountName: 'app',
    securityContext: { runAsNonRoot: true },
    containers: [
      {
        name: 'main',
        image: 'busybox:1.36',
        env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'app-token', key: 'token' } } }],
        volumeMounts: [{ name: 'vault-token', mountPath: '/var/run/secrets/vault' }],
        resources: { limits: { cpu: '100m' } },
      },
    ],
    volumes: [
      {
        name: 'vault-token',
        projected: {
          sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 3600, path: 'token' } }],
        },
      },
    ],
  },
};

before(async () => {
  cluster = await startLocalCluster({ data: 'empty', tokenControllerDelayMs: 20 });
  await ok(['create', 'namespace', ns]);
});
after(() => cluster.stop());

describe('kubectl create -f with default validation', () => {
  it('creates a ServiceAccount, a token Secret and a Pod (server-side field validation)', async () => {
    for (const manifest of [serviceAccount, secret, pod]) {
      const result = await create(manifest);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
    }
    const names = (await ok(['get', 'sa/app', 'secret/app-token', 'pod/app', '-n', ns, '-o', 'name'])).trim();
    assert.deepEqual(names.split('\n'), ['serviceaccount/app', 'secret/app-token', 'pod/app']);
  });

  it('creates a TokenReview, validated client-side against /openapi/v2 (it has no PATCH operation)', async () => {
    const token = (await ok(['create', 'token', 'app', '-n', ns])).trim();
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } };
    const result = await create(review, '-o', 'jsonpath={.status.user.username}');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `system:serviceaccount:${ns}:app`);
    // kubectl fetched the v2 document in protobuf, as from kube-apiserver.
    const v2 = await apiRequest(`${cluster.url}/openapi/v2`, cluster.caPem, cluster.tokens.admin, {
      accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
    });
    assert.equal(v2.status, 200);
    assert.equal(v2.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  });
});

describe('an unknown field', () => {
  it('in a Pod, ServiceAccount or Secret: 400 from the server, by path, as strict decoding words it', async () => {
    const typo = structuredClone(pod);
    typo.metadata.name = 'typo';
    (typo.spec.containers[0] as Record<string, unknown>).imagee = 'busybox';
    (typo.spec.volumes[0].projected.sources[0].serviceAccountToken as Record<string, unknown>).audiences = ['x'];
    const refused = await create(typo);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr.trim(),
      'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: ' +
        'strict decoding error: unknown field "spec.containers[0].imagee", unknown field ' +
        '"spec.volumes[0].projected.sources[0].serviceAccountToken.audiences"',
    );
    const account = await create({ ...serviceAccount, metadata: { name: 'other' }, automount: false });
    assert.match(
      account.stderr,
      /ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "automount"$/m,
    );
    const opaque = await create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', label: 'x' } });
    assert.match(opaque.stderr, /strict decoding error: unknown field "metadata.label"$/m);
    assert.equal((await ok(['get', 'pods,sa,secrets', '-n', ns, '-o', 'name'])).includes('typo'), false);
  });

  it('with --validate=warn: created, with the server’s warning; --validate=false: ignored', async () => {
    const warned = await create(
      { ...serviceAccount, metadata: { name: 'warned' }, automount: false },
      '--validate=warn',
    );
    assert.equal(warned.code, 0, warned.stderr);
    assert.equal(warned.stderr.trim(), 'Warning: unknown field "automount"');
    const ignored = await create(
      { ...serviceAccount, metadata: { name: 'ignored' }, automount: false },
      '--validate=false',
    );
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.equal(ignored.stderr, '');
  });

  it('in a TokenReview: refused by kubectl itself, before any request, with the v2 definition names', async () => {
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { tokn: 'x' } };
    const refused = await create(review);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^error: error validating "STDIN": error validating data: \[ValidationError\(TokenReview\.spec\): unknown field "tokn" in io\.k8s\.api\.authentication\.v1\.TokenReviewSpec, ValidationError\(TokenReview\.spec\): missing required field "token" in io\.k8s\.api\.authentication\.v1\.TokenReviewSpec\]; if you choose to ignore these errors, turn validation off with --validate=false$/m,
    );
  });
});
