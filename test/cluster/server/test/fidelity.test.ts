// The local API server checked with the real kubectl (v1.32): discovery, lists, Table output, selectors,
// pagination, TokenRequest, the token controller, admission, RBAC-style 403s, TokenReview and watch.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as jose from 'jose';
import { stringify } from 'yaml';
import { startLocalCluster, type LocalCluster } from '../index';
import { boundTokenArgs, waitFor } from './harness';
import { apiRequest, kubectl, kubectlStream } from '../../kubectl';
import type { Secret } from '../objects';

const viewer = ['--context', 'sa-demo-restricted'];
const issuer = 'https://kubernetes.default.svc.cluster.local';

interface Item {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    annotations?: Record<string, string>;
  };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

let cluster: LocalCluster;
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);

async function getJson<T>(args: string[]): Promise<T> {
  const result = await run([...args, '-o', 'json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

async function clusterKeys() {
  const jwks = await run(['get', '--raw', '/openid/v1/jwks']);
  assert.equal(jwks.code, 0, jwks.stderr);
  return JSON.parse(jwks.stdout) as jose.JSONWebKeySet;
}

before(async () => {
  cluster = await startLocalCluster({ data: 'demo' });
});
after(() => cluster.stop());

describe('reads', () => {
  it('lists namespaces, service accounts, secrets and pods across namespaces as JSON', async () => {
    const list = await getJson<{ kind: string; items: Item[] }>([
      'get',
      'namespaces,serviceaccounts,secrets,pods',
      '-A',
    ]);
    const count = (kind: string) => list.items.filter((item) => item.kind === kind).length;
    assert.equal(count('Namespace'), cluster.store.count('namespaces'));
    assert.equal(count('ServiceAccount'), cluster.store.count('serviceaccounts'));
    assert.equal(count('Secret'), cluster.store.count('secrets'));
    assert.equal(count('Pod'), cluster.store.count('pods'));
    for (const item of list.items) {
      assert.match(item.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(item.metadata.resourceVersion, /^\d+$/);
      assert.match(item.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const legacy = list.items.find((item) => item.metadata.name === 'legacy-api-token-x7k2p');
    assert.deepEqual(Object.keys(legacy?.data ?? {}).sort(), ['ca.crt', 'namespace', 'token']);
  });

  it('prints server-side Table columns for plain kubectl get', async () => {
    const pods = await run(['get', 'pods', '-A']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout.split('\n')[0], /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(pods.stdout, /legacy-app\s+legacy-api-7d9f8b6c5-x2k4p\s+1\/1\s+Running\s+0\s+90d/);
    const secrets = await run(['get', 'secrets', '-n', 'legacy-app']);
    assert.match(secrets.stdout, /deployer-token-m5v7r\s+kubernetes.io\/service-account-token\s+3\s+600d/);
    const accounts = await run(['get', 'sa', '-n', 'legacy-app', 'legacy-api']);
    assert.match(accounts.stdout, /legacy-api\s+1\s+400d/);
  });

  it('filters by field and label selectors', async () => {
    const tokens = await run([
      'get',
      'secrets',
      '-A',
      '--field-selector',
      'type=kubernetes.io/service-account-token',
      '-o',
      'name',
    ]);
    assert.equal(tokens.code, 0, tokens.stderr);
    assert.ok(tokens.stdout.includes('secret/legacy-api-token-x7k2p'));
    assert.ok(!tokens.stdout.includes('registry-credentials'));
    const invalidated = await run([
      'get',
      'secrets',
      '-A',
      '-l',
      'kubernetes.io/legacy-token-invalid-since',
      '-o',
      'name',
    ]);
    assert.equal(invalidated.stdout.trim(), 'secret/deployer-token-m5v7r');
    const byAccount = await run(['get', 'pods', '-A', '--field-selector', 'spec.serviceAccountName=web', '-o', 'name']);
    assert.equal(byAccount.stdout.trim().split('\n').length, 4);
    const unsupported = await run(['get', 'secrets', '-A', '--field-selector', 'data.token=x']);
    assert.match(unsupported.stderr, /field label not supported: data.token/);
  });

  it('paginates with --chunk-size and returns the same objects', async () => {
    const whole = await run(['get', 'pods', '-A', '-o', 'name']);
    const chunked = await run(['get', 'pods', '-A', '-o', 'name', '--chunk-size', '2', '-v=6']);
    assert.equal(chunked.stdout, whole.stdout);
    const pages = chunked.stderr.split('\n').filter((line) => /GET https:\S+\/api\/v1\/pods\?/.test(line));
    assert.equal(pages.length, Math.ceil(cluster.store.count('pods') / 2));
    assert.ok(pages.slice(1).every((line) => line.includes('continue=')));
  });

  it('answers kubectl auth whoami for both users', async () => {
    assert.match((await run(['auth', 'whoami'])).stdout, /Username\s+demo-admin/);
    assert.match((await run([...viewer, 'auth', 'whoami'])).stdout, /Username\s+demo-viewer/);
  });
});

describe('authorization', () => {
  it('forbids the viewer secrets everywhere, with the real message', async () => {
    const result = await run([...viewer, 'get', 'secrets', '-n', 'default']);
    assert.notEqual(result.code, 0);
    assert.equal(
      result.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "demo-viewer" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
  });

  it('forbids the viewer everything in namespace restricted, and cluster-scope lists', async () => {
    const pods = await run([...viewer, 'get', 'pods', '-n', 'restricted']);
    assert.match(
      pods.stderr,
      /pods is forbidden: User "demo-viewer" cannot list resource "pods" in API group "" in the namespace "restricted"/,
    );
    const all = await run([...viewer, 'get', 'pods', '-A']);
    assert.match(all.stderr, /cannot list resource "pods" in API group "" at the cluster scope/);
    const allowed = await run([...viewer, 'get', 'pods,serviceaccounts', '-n', 'modern-app', '-o', 'name']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.ok(allowed.stdout.includes('pod/web-5c8d7f9b4-h2x9t'));
    assert.equal((await run([...viewer, 'get', 'namespaces', '-o', 'name'])).code, 0);
  });

  it('forbids the viewer the issuer discovery endpoints, like a default human role', async () => {
    const result = await run([...viewer, 'get', '--raw', '/openid/v1/jwks']);
    assert.match(result.stderr, /forbidden: User "demo-viewer" cannot get path "\/openid\/v1\/jwks"/);
  });

  it('answers kubectl auth can-i from the same rules', async () => {
    const canI = async (...args: string[]) => (await run([...viewer, 'auth', 'can-i', ...args])).stdout.trim();
    assert.deepEqual(
      [
        await canI('list', 'pods', '-n', 'default'),
        await canI('list', 'secrets', '-n', 'default'),
        await canI('get', 'pods', '-n', 'restricted'),
        await canI('list', 'pods', '-A'),
      ],
      ['yes', 'no', 'no', 'no'],
    );
    assert.equal(
      (await run(['auth', 'can-i', 'create', 'serviceaccounts/token', '-n', 'default'])).stdout.trim(),
      'yes',
    );
  });

  it('rejects unknown bearer tokens with 401', async () => {
    const result = await run(['--token', 'not-a-valid-token', 'get', 'namespaces']);
    assert.match(result.stderr, /You must be logged in to the server \(Unauthorized\)/);
    const raw = await apiRequest(`${cluster.url}/api/v1/namespaces`, cluster.caPem, 'nope');
    assert.equal(raw.status, 401);
    assert.deepEqual(JSON.parse(raw.body), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });
});

describe('tokens', () => {
  it('kubectl create token returns a bound RS256 token with the real claim layout, verifiable with the JWKS', async () => {
    const result = await run(['create', 'token', 'default', '--duration', '15m']);
    assert.equal(result.code, 0, result.stderr);
    const token = result.stdout.trim();
    const header = jose.decodeProtectedHeader(token);
    assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid']);
    assert.equal(header.alg, 'RS256');
    const keys = await clusterKeys();
    const { payload } = await jose.jwtVerify(token, jose.createLocalJWKSet(keys), { issuer, audience: issuer });
    assert.deepEqual(Object.keys(payload).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.equal(payload.sub, 'system:serviceaccount:default:default');
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 900);
    assert.equal(payload.nbf, payload.iat);
    const account = cluster.store.get('serviceaccounts', 'default', 'default');
    assert.deepEqual(payload['kubernetes.io'], {
      namespace: 'default',
      serviceaccount: { name: 'default', uid: account?.uid },
    });
    // kid = base64url(SHA-256(PKIX DER of the public key))
    const jwk = keys.keys.find((key) => key.kid === header.kid) as jose.JWK;
    const spki = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    assert.equal(header.kid, createHash('sha256').update(spki).digest('base64url'));
  });

  it('binds tokens to pods with audiences, and validates like the API', async () => {
    const pod = 'web-5c8d7f9b4-h2x9t';
    const bound = await run([
      'create',
      'token',
      'web',
      '-n',
      'modern-app',
      '--audience',
      'vault',
      '--bound-object-kind',
      'Pod',
      '--bound-object-name',
      pod,
    ]);
    assert.equal(bound.code, 0, bound.stderr);
    const claims = jose.decodeJwt(bound.stdout.trim());
    assert.deepEqual(claims.aud, ['vault']);
    const podUid = cluster.store.get('pods', 'modern-app', pod)?.uid;
    assert.deepEqual((claims['kubernetes.io'] as { pod: unknown }).pod, { name: pod, uid: podUid });
    assert.match(
      (await run(['create', 'token', 'default', '--duration', '5m'])).stderr,
      /may not specify a duration less than 10 minutes/,
    );
    assert.match((await run(['create', 'token', 'missing'])).stderr, /serviceaccounts "missing" not found/);
    const wrongUid = await run([...boundTokenArgs('web', 'modern-app', 'Pod', pod), '--bound-object-uid', 'x']);
    assert.match(wrongUid.stderr, /the UID in the bound object reference \(x\) does not match/);
  });

  it('fills an explicit token Secret created with kubectl create -f', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'web-token-manual',
        namespace: 'modern-app',
        annotations: { 'kubernetes.io/service-account.name': 'web' },
      },
      type: 'kubernetes.io/service-account-token',
    });
    const created = await run(['create', '-f', '-'], manifest);
    assert.equal(created.stdout.trim(), 'secret/web-token-manual created', created.stderr);
    const secret = await waitFor(async () => {
      const item = await getJson<Item>(['get', 'secret', 'web-token-manual', '-n', 'modern-app']);
      return item.data?.token ? item : undefined;
    });
    const account = cluster.store.get('serviceaccounts', 'modern-app', 'web');
    assert.equal(secret.metadata.annotations?.['kubernetes.io/service-account.uid'], account?.uid);
    assert.equal(Buffer.from(secret.data?.namespace ?? '', 'base64').toString(), 'modern-app');
    assert.equal(Buffer.from(secret.data?.['ca.crt'] ?? '', 'base64').toString(), cluster.caPem);
    const token = Buffer.from(secret.data?.token ?? '', 'base64').toString();
    const { payload } = await jose.jwtVerify(token, jose.createLocalJWKSet(await clusterKeys()));
    assert.deepEqual(payload, {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'modern-app',
      'kubernetes.io/serviceaccount/secret.name': 'web-token-manual',
      'kubernetes.io/serviceaccount/service-account.name': 'web',
      'kubernetes.io/serviceaccount/service-account.uid': account?.uid,
      sub: 'system:serviceaccount:modern-app:web',
    });
  });

  it('authenticates its own legacy tokens, records their use, and rejects invalidated ones', async () => {
    const tokenOf = (name: string, namespace: string) => {
      const secret = cluster.store.read<Secret>('secrets', namespace, name);
      return Buffer.from(secret?.data?.token ?? '', 'base64').toString();
    };
    // The demo RBAC lets modern-app's accounts view their namespace, Secrets excepted.
    const used = await run([
      '--token',
      tokenOf('web-explicit-token', 'modern-app'),
      'get',
      'secrets',
      '-n',
      'modern-app',
    ]);
    assert.match(used.stderr, /User "system:serviceaccount:modern-app:web" cannot list resource "secrets"/);
    const labels = cluster.store.get('secrets', 'modern-app', 'web-explicit-token')?.labels;
    assert.equal(labels?.['kubernetes.io/legacy-token-last-used'], new Date().toISOString().slice(0, 10));
    const invalidated = await run([
      '--token',
      tokenOf('deployer-token-m5v7r', 'legacy-app'),
      'get',
      '--raw',
      '/version',
    ]);
    assert.match(invalidated.stderr, /Unauthorized/);
  });

  it('reviews tokens: accepted while the bound pod exists, rejected once it is deleted', async () => {
    const review = async (token: string, audiences?: string[]) => {
      const response = await apiRequest(
        `${cluster.url}/apis/authentication.k8s.io/v1/tokenreviews`,
        cluster.caPem,
        cluster.tokens.admin,
        {
          method: 'POST',
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences } },
        },
      );
      assert.equal(response.status, 201);
      return (
        JSON.parse(response.body) as {
          status: { authenticated?: boolean; user: { username?: string }; error?: string };
        }
      ).status;
    };
    const pod = 'web-5c8d7f9b4-k8m4w';
    const token = (await run(boundTokenArgs('web', 'modern-app', 'Pod', pod))).stdout.trim();
    const accepted = await review(token);
    assert.equal(accepted.authenticated, true);
    assert.equal(accepted.user.username, 'system:serviceaccount:modern-app:web');
    assert.match(
      (await review(token, ['vault'])).error ?? '',
      /token audiences \["https:\/\/kubernetes.default.svc.cluster.local"\] is invalid for the target audiences \["vault"\]/,
    );
    // A running pod is deleted gracefully (its token lives until it is gone): force it to go at once here.
    assert.equal((await run(['delete', 'pod', pod, '-n', 'modern-app', '--grace-period=0', '--force'])).code, 0);
    const rejected = await review(token);
    assert.equal(rejected.authenticated, undefined);
    assert.equal(rejected.error, '[invalid bearer token, service account token has been invalidated]');
  });
});

describe('writes', () => {
  it('injects the kube-api-access volume on kubectl create -f of a pod, unless automount is off', async () => {
    const pod = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'modern-app' },
      spec,
    });
    const manifest = [
      pod('probe', {
        serviceAccountName: 'web',
        initContainers: [{ name: 'init', image: 'busybox' }],
        containers: [{ name: 'main', image: 'busybox' }],
      }),
      pod('quiet', { automountServiceAccountToken: false, containers: [{ name: 'main', image: 'busybox' }] }),
    ];
    const created = await run(['create', '-f', '-'], manifest.map((document) => stringify(document)).join('---\n'));
    assert.equal(created.code, 0, created.stderr);
    const probe = await getJson<Item>(['get', 'pod', 'probe', '-n', 'modern-app']);
    const spec = probe.spec as {
      volumes: { name: string; projected?: unknown }[];
      containers: { volumeMounts: unknown[] }[];
      initContainers: { volumeMounts: unknown[] }[];
    };
    const volume = spec.volumes.find((candidate) => candidate.name.startsWith('kube-api-access-'));
    assert.match(volume?.name ?? '', /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume?.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    });
    const mount = { name: volume?.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    assert.deepEqual(spec.containers[0].volumeMounts, [mount]);
    assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
    const quiet = await getJson<Item>(['get', 'pod', 'quiet', '-n', 'modern-app']);
    assert.equal((quiet.spec as { serviceAccountName: string }).serviceAccountName, 'default');
    assert.equal((quiet.spec as { volumes?: unknown }).volumes, undefined);
  });

  it('deletes a secret with kubectl delete', async () => {
    assert.equal(
      (await run(['delete', 'secret', 'ci-runner-token-b8d4k', '-n', 'legacy-app'])).stdout.trim(),
      'secret "ci-runner-token-b8d4k" deleted',
    );
    const gone = await run(['get', 'secret', 'ci-runner-token-b8d4k', '-n', 'legacy-app']);
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): secrets "ci-runner-token-b8d4k" not found');
  });

  it('deletes the token Secrets of a deleted service account, like the token controller', async () => {
    assert.ok(cluster.store.get('secrets', 'legacy-app', 'deployer-token-m5v7r'));
    assert.equal((await run(['delete', 'serviceaccount', 'deployer', '-n', 'legacy-app'])).code, 0);
    await waitFor(async () => (cluster.store.get('secrets', 'legacy-app', 'deployer-token-m5v7r') ? undefined : true));
  });

  it('replays the events after a list resourceVersion, and ends a watch at timeoutSeconds', async () => {
    const path = `${cluster.url}/api/v1/namespaces/custom-audience/serviceaccounts`;
    const list = JSON.parse((await apiRequest(path, cluster.caPem, cluster.tokens.admin)).body) as {
      metadata: { resourceVersion: string };
    };
    assert.equal((await run(['create', 'serviceaccount', 'late', '-n', 'custom-audience'])).code, 0);
    const watched = await apiRequest(
      `${path}?watch=1&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`,
      cluster.caPem,
      cluster.tokens.admin,
    );
    const events = watched.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; object: Item });
    assert.deepEqual(
      events.map((event) => `${event.type} ${event.object.kind} ${event.object.metadata.name}`),
      ['ADDED ServiceAccount late'],
    );
  });

  it('streams watch events to kubectl get -w', async () => {
    const watch = kubectlStream(cluster.kubeconfigPath, [
      'get',
      'serviceaccounts',
      '-n',
      'modern-app',
      '-w',
      '--output-watch-events',
    ]);
    try {
      await waitFor(async () => (watch.lines.some((line) => /^ADDED\s+web\s+0\s+60d$/.test(line)) ? true : undefined));
      assert.equal((await run(['create', 'serviceaccount', 'watched', '-n', 'modern-app'])).code, 0);
      await run(['delete', 'serviceaccount', 'watched', '-n', 'modern-app']);
      await waitFor(async () => (watch.lines.some((line) => /^DELETED\s+watched\s/.test(line)) ? true : undefined));
      assert.ok(
        watch.lines.some((line) => /^ADDED\s+watched\s+0\s+\d+s$/.test(line)),
        watch.lines.join('\n'),
      );
    } finally {
      watch.stop();
      await watch.exited;
    }
  });
});
