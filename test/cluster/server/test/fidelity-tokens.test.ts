// The local API server's token machinery against the Kubernetes code it mirrors, checked through the real kubectl
// (v1.32) wherever kubectl shows it: TokenRequest (pkg/registry/core/serviceaccount/storage/token.go), the JWT
// authenticator and its validators (pkg/serviceaccount/jwt.go, claims.go, legacy.go), TokenReview
// (pkg/registry/authentication/tokenreview/storage.go), the token controller
// (pkg/controller/serviceaccount/tokens_controller.go), the legacy token cleaner
// (pkg/controller/serviceaccount/legacy_serviceaccount_token_cleaner.go), OIDC discovery
// (pkg/serviceaccount/openidmetadata.go), watches (apiserver cacher.go) and graceful pod deletion
// (pkg/registry/core/pod/strategy.go).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as jose from 'jose';
import { stringify } from 'yaml';
import { startLocalCluster, type LocalCluster } from '../index';
import { boundTokenArgs, waitFor } from './harness';
import { legacyTokenTrackingConfigMap } from '../cluster';
import { apiRequest, kubectl } from '../../kubectl';
import type { Secret, ServiceAccount } from '../objects';

let cluster: LocalCluster;
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);
const day = 24 * 3600 * 1000;

async function ok(args: string[], input?: string): Promise<string> {
  const result = await run(args, input);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const api = (path: string, options: Parameters<typeof apiRequest>[3] = {}) =>
  apiRequest(`${cluster.url}${path}`, cluster.caPem, cluster.tokens.admin, options);

interface ReviewStatus {
  authenticated?: boolean;
  error?: string;
  audiences?: string[];
  user?: { username?: string; extra?: Record<string, string[]> };
}

async function review(token: string, audiences?: string[]): Promise<ReviewStatus> {
  const response = await api('/apis/authentication.k8s.io/v1/tokenreviews', {
    method: 'POST',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences } },
  });
  assert.equal(response.status, 201, response.body);
  return (JSON.parse(response.body) as { status: ReviewStatus }).status;
}

async function tokenRequest(namespace: string, account: string, spec: Record<string, unknown>) {
  return api(`/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, {
    method: 'POST',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
  });
}

const createPod = (namespace: string, name: string, spec: Record<string, unknown>) =>
  ok(['create', '-n', namespace, '-f', '-'], stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec }));

const legacyTokenOf = (namespace: string, name: string) => {
  const secret = cluster.store.read<Secret>('secrets', namespace, name);
  return secret?.data?.token ? Buffer.from(secret.data.token, 'base64').toString('utf8') : undefined;
};

before(async () => {
  cluster = await startLocalCluster({ data: 'demo', tokenControllerDelayMs: 20 });
});
after(() => cluster.stop());

describe('TokenRequest (token.go TokenREST.Create)', () => {
  it('expirationTimestamp is now + the requested seconds, also for an extended (one-year) pod-bound token', async () => {
    const before = Date.now();
    const response = await tokenRequest('legacy-app', 'legacy-api', {
      expirationSeconds: 3607,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'legacy-api-7d9f8b6c5-x2k4p' },
    });
    assert.equal(response.status, 201, response.body);
    const { status } = JSON.parse(response.body) as { status: { token: string; expirationTimestamp: string } };
    const expiresAt = Date.parse(status.expirationTimestamp);
    assert.ok(Math.abs(expiresAt - (before + 3607_000)) < 3000, status.expirationTimestamp);
    const claims = jose.decodeJwt(status.token);
    assert.ok((claims.exp ?? 0) - (claims.iat ?? 0) > 300 * 24 * 3600, 'the token itself lives a year');
  });

  it('words a too-short duration as the 422 of ValidateTokenRequest (no object name), through kubectl', async () => {
    const result = await run(['create', 'token', 'legacy-api', '-n', 'legacy-app', '--duration', '5m']);
    assert.notEqual(result.code, 0);
    assert.equal(
      result.stderr.trim(),
      'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes',
    );
  });

  it('refuses a bound object of another kind with gvk.String() wording (400)', async () => {
    const response = await tokenRequest('legacy-app', 'legacy-api', {
      boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'kube-root-ca.crt' },
    });
    assert.equal(response.status, 400);
    assert.equal(
      (JSON.parse(response.body) as { message: string }).message,
      'cannot bind token to object of type /v1, Kind=ConfigMap',
    );
    const grouped = await tokenRequest('legacy-app', 'legacy-api', {
      boundObjectRef: { kind: 'Pod', apiVersion: 'apps/v1', name: 'x' },
    });
    assert.equal(
      (JSON.parse(grouped.body) as { message: string }).message,
      'cannot bind token to object of type apps/v1, Kind=Pod',
    );
  });

  it("a pod-bound token names the pod's Node (name and uid), and TokenReview returns pod and node extras", async () => {
    const token = (await ok(boundTokenArgs('legacy-api', 'legacy-app', 'Pod', 'legacy-api-7d9f8b6c5-x2k4p'))).trim();
    const node = cluster.store.get('nodes', '', 'demo-node');
    const claims = jose.decodeJwt(token) as { 'kubernetes.io': { node?: { name: string; uid?: string } } };
    assert.deepEqual(claims['kubernetes.io'].node, { name: 'demo-node', uid: node?.uid });
    const status = await review(token);
    assert.equal(status.authenticated, true, status.error);
    assert.deepEqual(status.user?.extra?.['authentication.kubernetes.io/node-name'], ['demo-node']);
    assert.deepEqual(status.user?.extra?.['authentication.kubernetes.io/node-uid'], [node?.uid]);
    assert.deepEqual(status.user?.extra?.['authentication.kubernetes.io/pod-name'], ['legacy-api-7d9f8b6c5-x2k4p']);
  });

  it('a pod on a Node that has no object gets the node name without uid', async () => {
    await createPod('modern-app', 'on-ghost-node', {
      serviceAccountName: 'web',
      nodeName: 'ghost-node',
      containers: [{ name: 'c', image: 'busybox' }],
    });
    const response = await tokenRequest('modern-app', 'web', {
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'on-ghost-node' },
    });
    const { token } = (JSON.parse(response.body) as { status: { token: string } }).status;
    assert.deepEqual((jose.decodeJwt(token) as { 'kubernetes.io': { node?: unknown } })['kubernetes.io'].node, {
      name: 'ghost-node',
    });
    const status = await review(token);
    assert.deepEqual(status.user?.extra?.['authentication.kubernetes.io/node-name'], ['ghost-node']);
    assert.equal(status.user?.extra?.['authentication.kubernetes.io/node-uid'], undefined);
  });

  it('binds a token to a Node (kubectl --bound-object-kind Node); it dies with the Node', async () => {
    await ok(['create', '-f', '-'], stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' } }));
    const token = (await ok(boundTokenArgs('web', 'modern-app', 'Node', 'worker-1'))).trim();
    const uid = cluster.store.get('nodes', '', 'worker-1')?.uid;
    assert.deepEqual((jose.decodeJwt(token) as { 'kubernetes.io': { node?: unknown } })['kubernetes.io'].node, {
      name: 'worker-1',
      uid,
    });
    const status = await review(token);
    assert.equal(status.authenticated, true, status.error);
    assert.deepEqual(status.user?.extra?.['authentication.kubernetes.io/node-uid'], [uid]);
    await ok(['delete', 'node', 'worker-1']);
    assert.equal((await review(token)).error, '[invalid bearer token, service account token has been invalidated]');
    const missing = await run(boundTokenArgs('web', 'modern-app', 'Node', 'worker-1'));
    assert.match(missing.stderr, /nodes "worker-1" not found/);
  });
});

describe('TokenReview (tokenreview/storage.go, jwt.go, claims.go, legacy.go)', () => {
  it('an empty token is a 400 from the registry', async () => {
    const response = await api('/apis/authentication.k8s.io/v1/tokenreviews', {
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: '' } },
    });
    assert.equal(response.status, 400);
    assert.equal(
      (JSON.parse(response.body) as { message: string }).message,
      'token is required for TokenReview in authentication',
    );
  });

  it("a legacy token has the API server's audiences: another audience is refused, with Go's %q lists", async () => {
    const token = legacyTokenOf('legacy-app', 'legacy-api-token-x7k2p') ?? '';
    const status = await review(token, ['vault', 'https://example.com']);
    assert.equal(status.authenticated, undefined);
    assert.equal(
      status.error,
      '[invalid bearer token, token audiences ["https://kubernetes.default.svc.cluster.local"] is invalid for the target audiences ["vault" "https://example.com"]]',
    );
    const accepted = await review(token);
    assert.deepEqual(accepted.audiences, ['https://kubernetes.default.svc.cluster.local']);
  });

  it("expiry is judged with go-jose's 60 s leeway and worded by claims.go", async () => {
    const token = (await ok(['create', 'token', 'web', '-n', 'modern-app', '--duration', '10m'])).trim();
    try {
      cluster.cluster.clockOffsetMs = 600_000 + 30_000;
      assert.equal((await review(token)).authenticated, true, 'within the leeway');
      cluster.cluster.clockOffsetMs = 600_000 + 90_000;
      assert.equal((await review(token)).error, '[invalid bearer token, service account token has expired]');
    } finally {
      cluster.cluster.clockOffsetMs = 0;
    }
  });

  it('a token from another issuer is skipped by every authenticator: unauthenticated, no crypto error', async () => {
    const { privateKey } = await jose.generateKeyPair('RS256');
    const foreign = await new jose.SignJWT({ sub: 'someone' })
      .setProtectedHeader({ alg: 'RS256', kid: 'elsewhere' })
      .setIssuer('https://accounts.example.com')
      .setAudience('https://kubernetes.default.svc.cluster.local')
      .setExpirationTime('1h')
      .sign(privateKey);
    const status = await review(foreign);
    assert.equal(status.authenticated, undefined);
    // bearertoken.go: no authenticator claimed the token and none failed — the default error, nothing about keys.
    assert.equal(status.error, 'invalid bearer token');
    assert.equal((await review('not-a-jwt')).error, 'invalid bearer token');
  });

  it('kubectl explain tokenreview reads the OpenAPI v3 schema', async () => {
    const explained = await ok(['explain', 'tokenreview.status.user']);
    assert.match(explained, /GROUP:\s+authentication\.k8s\.io/);
    assert.match(explained, /extra\s+<map\[string\]\[\]string>/);
    assert.match(explained, /username\s+<string>/);
  });

  it('OIDC discovery lists the signing algorithms sorted (a sets.String)', async () => {
    cluster.cluster.tokens.issueLegacyBulk({
      namespace: 'default',
      serviceAccount: { name: 'default', uid: 'x' },
      secretName: 'unused',
    });
    const discovery = JSON.parse(await ok(['get', '--raw', '/.well-known/openid-configuration'])) as {
      id_token_signing_alg_values_supported: string[];
    };
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['ES256', 'RS256']);
  });
});

describe('legacy tokens: use tracking (legacy.go) and the cleaner (legacy_serviceaccount_token_cleaner.go)', () => {
  const ns = 'cleaner';
  const labelsOf = (name: string) => cluster.store.read<Secret>('secrets', ns, name)?.metadata.labels ?? {};
  const setLabels = (name: string, labels: Record<string, string>) => {
    const secret = cluster.store.read<Secret>('secrets', ns, name) as Secret;
    secret.metadata.labels = labels;
    cluster.store.put('secrets', secret);
  };
  const utc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  before(async () => {
    await ok(['create', 'namespace', ns]);
    // An SA whose `.secrets` names its auto-generated tokens (what the pre-1.24 token controller wrote).
    await ok(
      ['create', '-n', ns, '-f', '-'],
      stringify({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'old-app' },
        secrets: [{ name: 'unused-token' }, { name: 'mounted-token' }, { name: 'recent-token' }],
      }),
    );
    for (const name of ['unused-token', 'mounted-token', 'recent-token', 'manual-token'])
      await ok(
        ['create', '-n', ns, '-f', '-'],
        stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/service-account-token',
          metadata: { name, annotations: { 'kubernetes.io/service-account.name': 'old-app' } },
        }),
      );
    await waitFor(() => legacyTokenOf(ns, 'manual-token'));
    await ok(
      ['create', '-n', ns, '-f', '-'],
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'reader' },
        spec: {
          serviceAccountName: 'old-app',
          containers: [
            {
              name: 'c',
              image: 'busybox',
              env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'mounted-token', key: 'token' } } }],
            },
          ],
        },
      }),
    );
  });
  after(() => {
    cluster.cluster.clockOffsetMs = 0;
  });

  it('the tracking ConfigMap dates the start of tracking in kube-system', async () => {
    const configMap = JSON.parse(
      await ok(['get', 'configmap', '-n', 'kube-system', legacyTokenTrackingConfigMap, '-o', 'json']),
    ) as { data: Record<string, string> };
    assert.deepEqual(configMap.data, { since: '2023-05-01' });
  });

  it('last-used is rewritten to today unless it already says today or tomorrow (at most one write a day)', async () => {
    const token = legacyTokenOf(ns, 'manual-token') ?? '';
    const today = utc(Date.now());
    const tomorrow = utc(Date.now() + day);
    setLabels('manual-token', { 'kubernetes.io/legacy-token-last-used': tomorrow });
    const version = cluster.store.get('secrets', ns, 'manual-token')?.json;
    assert.equal((await review(token)).authenticated, true);
    assert.equal(cluster.store.get('secrets', ns, 'manual-token')?.json, version, 'tomorrow is left alone');
    setLabels('manual-token', { 'kubernetes.io/legacy-token-last-used': '2024-01-01' });
    assert.equal((await review(token)).authenticated, true);
    assert.equal(labelsOf('manual-token')['kubernetes.io/legacy-token-last-used'], today);
    setLabels('manual-token', {});
  });

  it('does nothing until tracking has run for a whole clean-up period', () => {
    const configMap = cluster.store.read('configmaps', 'kube-system', legacyTokenTrackingConfigMap);
    assert.ok(configMap);
    // The cluster's clock is 400 days ahead; tracking began 100 days before that "now".
    configMap.data = { since: utc(Date.now() + 300 * day) };
    cluster.store.put('configmaps', configMap);
    cluster.cluster.clockOffsetMs = 400 * day;
    cluster.cluster.runLegacyTokenCleaner();
    assert.equal(labelsOf('unused-token')['kubernetes.io/legacy-token-invalid-since'], undefined);
    configMap.data = { since: '2023-05-01' };
    cluster.store.put('configmaps', configMap);
  });

  it('invalidates only auto-generated, unmounted Secrets unused for a period; deletes them a period later', async () => {
    const now = Date.now() + 400 * day;
    cluster.cluster.clockOffsetMs = 400 * day;
    setLabels('recent-token', { 'kubernetes.io/legacy-token-last-used': utc(now - 10 * day) });
    cluster.cluster.runLegacyTokenCleaner();
    assert.equal(labelsOf('unused-token')['kubernetes.io/legacy-token-invalid-since'], utc(now));
    for (const kept of ['mounted-token', 'recent-token', 'manual-token'])
      assert.equal(labelsOf(kept)['kubernetes.io/legacy-token-invalid-since'], undefined, kept);
    const listed = await ok([
      'get',
      'secrets',
      '-n',
      ns,
      '-l',
      'kubernetes.io/legacy-token-invalid-since',
      '-o',
      'name',
    ]);
    assert.equal(listed.trim(), 'secret/unused-token');

    // An invalidated token is refused with legacy.go's words, and its use is still recorded.
    const status = await review(legacyTokenOf(ns, 'unused-token') ?? '');
    assert.equal(
      status.error,
      `[invalid bearer token, the token in secret ${ns}/unused-token for service account ${ns}/old-app has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token]`,
    );
    assert.equal(labelsOf('unused-token')['kubernetes.io/legacy-token-last-used'], utc(now));

    // A period after invalid-since (the last use does not matter once invalid... but a recent last-used does).
    setLabels('unused-token', { 'kubernetes.io/legacy-token-invalid-since': utc(now) });
    cluster.cluster.clockOffsetMs = 400 * day + 366 * day;
    cluster.cluster.runLegacyTokenCleaner();
    assert.equal(cluster.store.get('secrets', ns, 'unused-token'), undefined);
    const account = await waitFor(() => {
      const sa = cluster.store.read<ServiceAccount>('serviceaccounts', ns, 'old-app');
      return sa?.secrets?.some((ref) => ref.name === 'unused-token') ? undefined : sa;
    });
    assert.deepEqual(
      account.secrets?.map((ref) => ref.name),
      ['mounted-token', 'recent-token'],
    );
  });

  it('the period is the server option --legacy-service-account-token-clean-up-period', async () => {
    const short = await startLocalCluster({ legacyTokenCleanUpPeriodSeconds: 30 * 24 * 3600 });
    try {
      assert.equal(short.cluster.legacyTokenCleanUpPeriodMs, 30 * day);
    } finally {
      await short.stop();
    }
  });
});

describe('the token controller (tokens_controller.go)', () => {
  const ns = 'controller';
  before(() => ok(['create', 'namespace', ns]));

  it('removes a deleted token Secret from its ServiceAccount\'s .secrets (no false "missing Secret")', async () => {
    await ok(
      ['create', '-n', ns, '-f', '-'],
      stringify({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'sa1' },
        secrets: [{ name: 'sa1-token' }],
      }),
    );
    await ok(
      ['create', '-n', ns, '-f', '-'],
      stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'sa1-token', annotations: { 'kubernetes.io/service-account.name': 'sa1' } },
      }),
    );
    await waitFor(() => legacyTokenOf(ns, 'sa1-token'));
    await ok(['delete', 'secret', '-n', ns, 'sa1-token']);
    const secrets = await waitFor(async () => {
      const sa = JSON.parse(await ok(['get', 'sa', '-n', ns, 'sa1', '-o', 'json'])) as ServiceAccount;
      return sa.secrets?.length ? undefined : (sa.secrets ?? []);
    });
    assert.deepEqual(secrets, []);
  });

  it('deletes the token Secrets of a deleted ServiceAccount by uid: a recreated account keeps its new tokens', async () => {
    const secret = (name: string) =>
      stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name, annotations: { 'kubernetes.io/service-account.name': 'sa2' } },
      });
    await ok(['create', 'sa', '-n', ns, 'sa2']);
    await ok(['create', '-n', ns, '-f', '-'], secret('old-token'));
    await waitFor(() => legacyTokenOf(ns, 'old-token'));
    await ok(['delete', 'sa', '-n', ns, 'sa2']);
    await ok(['create', 'sa', '-n', ns, 'sa2']);
    await ok(['create', '-n', ns, '-f', '-'], secret('new-token'));
    await waitFor(() => (cluster.store.get('secrets', ns, 'old-token') ? undefined : true));
    await waitFor(() => legacyTokenOf(ns, 'new-token'));
    assert.equal(
      cluster.store.read<Secret>('secrets', ns, 'new-token')?.metadata.annotations?.[
        'kubernetes.io/service-account.uid'
      ],
      cluster.store.get('serviceaccounts', ns, 'sa2')?.uid,
    );
  });

  it('deletes by name and uid: a Secret recreated under the same name since the controller saw it stays', async () => {
    // `kubectl delete -f app.yaml && kubectl create -f app.yaml` with a ServiceAccount and its token Secret: the
    // controller's deleteTokens works from its informer's (older) view and sends DELETE with preconditions.uid of
    // the Secret it saw; the API answers 409 for the recreated one, which deleteToken ignores (tokens_controller.go).
    const manifest = (kind: 'ServiceAccount' | 'Secret') =>
      kind === 'ServiceAccount'
        ? { apiVersion: 'v1', kind, metadata: { name: 'sa4', namespace: ns } }
        : {
            apiVersion: 'v1',
            kind,
            type: 'kubernetes.io/service-account-token',
            metadata: {
              name: 'sa4-token',
              namespace: ns,
              annotations: { 'kubernetes.io/service-account.name': 'sa4' },
            },
          };
    await ok(
      ['create', '-f', '-'],
      [manifest('ServiceAccount'), manifest('Secret')].map((m) => stringify(m)).join('---\n'),
    );
    const oldToken = await waitFor(() => legacyTokenOf(ns, 'sa4-token'));
    const oldUid = cluster.store.get('secrets', ns, 'sa4-token')?.uid;
    // In-process and synchronous, so the controller (20 ms behind) cannot act in between, however loaded the machine.
    cluster.cluster.delete('serviceaccounts', ns, 'sa4');
    cluster.cluster.delete('secrets', ns, 'sa4-token');
    void cluster.cluster.create('serviceaccounts', ns, manifest('ServiceAccount'));
    void cluster.cluster.create('secrets', ns, manifest('Secret'));
    const newToken = await waitFor(() => legacyTokenOf(ns, 'sa4-token'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const secret = JSON.parse(await ok(['get', 'secret', '-n', ns, 'sa4-token', '-o', 'json'])) as Secret;
    assert.notEqual(secret.metadata.uid, oldUid);
    assert.notEqual(newToken, oldToken);
    assert.equal(
      secret.metadata.annotations?.['kubernetes.io/service-account.uid'],
      cluster.store.get('serviceaccounts', ns, 'sa4')?.uid,
    );
  });

  it('refreshes ca.crt when it differs from the root CA and namespace when empty, keeping the token', async () => {
    await ok(['create', 'sa', '-n', ns, 'sa3']);
    await ok(
      ['create', '-n', ns, '-f', '-'],
      stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'sa3-token', annotations: { 'kubernetes.io/service-account.name': 'sa3' } },
      }),
    );
    const token = await waitFor(() => legacyTokenOf(ns, 'sa3-token'));
    const stale = cluster.store.read<Secret>('secrets', ns, 'sa3-token') as Secret;
    stale.data = { token: stale.data?.token ?? '', 'ca.crt': Buffer.from('old CA').toString('base64') };
    cluster.store.put('secrets', stale);
    await cluster.cluster.fillTokenSecret(ns, 'sa3-token');
    const data = (JSON.parse(await ok(['get', 'secret', '-n', ns, 'sa3-token', '-o', 'json'])) as Secret).data ?? {};
    assert.equal(Buffer.from(data['ca.crt'], 'base64').toString(), cluster.caPem);
    assert.equal(Buffer.from(data.namespace, 'base64').toString(), ns);
    assert.equal(Buffer.from(data.token, 'base64').toString(), token);
  });
});

describe('watches and pod deletion', () => {
  it('sends BOOKMARK events when the client allows them (cacher.go), none otherwise', async () => {
    cluster.cluster.watchBookmarkIntervalMs = 200;
    try {
      const watch = (query: string) =>
        api(`/api/v1/namespaces/legacy-app/pods?watch=1&timeoutSeconds=2${query}`).then((response) =>
          response.body
            .trim()
            .split('\n')
            .map(
              (line) =>
                JSON.parse(line) as { type: string; object: { kind: string; metadata: { resourceVersion: string } } },
            ),
        );
      const events = await watch('&allowWatchBookmarks=true');
      const bookmarks = events.filter((event) => event.type === 'BOOKMARK');
      assert.ok(bookmarks.length >= 2, JSON.stringify(events.map((event) => event.type)));
      assert.equal(bookmarks[0].object.kind, 'Pod');
      assert.match(bookmarks[0].object.metadata.resourceVersion, /^\d+$/);
      assert.ok(!(await watch('')).some((event) => event.type === 'BOOKMARK'));
    } finally {
      cluster.cluster.watchBookmarkIntervalMs = 60_000;
    }
  });

  it('filters pods by the field selectors Kubernetes has, and a watch sees an object leave its selector as DELETED', async () => {
    for (const [selector, expected] of [
      ['spec.nodeName=demo-node,metadata.namespace=legacy-app', 2],
      ['spec.serviceAccountName=legacy-api,status.phase=Running', 1],
      ['metadata.name=legacy-api-7d9f8b6c5-x2k4p', 1],
      ['spec.schedulerName=default-scheduler,spec.hostNetwork=false,metadata.namespace=legacy-app', 2],
    ] as const) {
      const names = await ok(['get', 'pods', '-A', '--field-selector', selector, '-o', 'name']);
      assert.equal(names.trim().split('\n').filter(Boolean).length, expected, selector);
    }
    const watched = api(
      '/api/v1/namespaces/legacy-app/pods?watch=1&timeoutSeconds=1&fieldSelector=status.phase%3DRunning&resourceVersion=' +
        String(cluster.store.resourceVersion),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pod = cluster.store.read('pods', 'legacy-app', 'nightly-report-28911440-q7xkz') as {
      status: { phase: string };
    } & Secret;
    pod.status.phase = 'Succeeded';
    cluster.store.put('pods', pod);
    const events = (await watched).body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } });
    assert.deepEqual(
      events.map((event) => [event.type, event.object.metadata.name]),
      [['DELETED', 'nightly-report-28911440-q7xkz']],
    );
  });

  it('deletes a running pod gracefully: Terminating with deletionTimestamp, its bound token valid until it is gone', async () => {
    const pod = 'legacy-api-7d9f8b6c5-x2k4p';
    const token = (await ok(boundTokenArgs('legacy-api', 'legacy-app', 'Pod', pod))).trim();
    const before = Date.now();
    await ok(['delete', 'pod', '-n', 'legacy-app', pod, '--grace-period=30', '--wait=false']);
    const terminating = JSON.parse(await ok(['get', 'pod', '-n', 'legacy-app', pod, '-o', 'json'])) as {
      metadata: { deletionTimestamp: string; deletionGracePeriodSeconds: number };
    };
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    const deadline = Date.parse(terminating.metadata.deletionTimestamp);
    // now + 30 s at the server (timestamps have whole seconds).
    assert.ok(deadline >= before + 29_000 && deadline <= Date.now() + 30_000, terminating.metadata.deletionTimestamp);
    assert.match(await ok(['get', 'pod', '-n', 'legacy-app', pod]), /Terminating/);
    assert.equal((await review(token)).authenticated, true, 'valid while the pod terminates');
    // The kubelet's final delete once the containers stopped (here forced, rather than waiting 30 s).
    await ok(['delete', 'pod', '-n', 'legacy-app', pod, '--grace-period=0', '--force']);
    assert.equal(cluster.store.get('pods', 'legacy-app', pod), undefined);
    assert.equal((await review(token)).error, '[invalid bearer token, service account token has been invalidated]');
  });

  it('a terminating pod goes when its grace period is over', async () => {
    await createPod('modern-app', 'scheduled', {
      nodeName: 'demo-node',
      containers: [{ name: 'c', image: 'busybox' }],
    });
    await ok(['delete', 'pod', '-n', 'modern-app', 'scheduled', '--grace-period=1', '--wait=false']);
    await waitFor(() => (cluster.store.get('pods', 'modern-app', 'scheduled') ? undefined : true), 30_000);
  });

  it('an unscheduled pod, or --grace-period=0 --force, goes at once', async () => {
    await createPod('modern-app', 'pending', { containers: [{ name: 'c', image: 'busybox' }] });
    await ok(['delete', 'pod', '-n', 'modern-app', 'pending', '--wait=false']);
    assert.equal(cluster.store.get('pods', 'modern-app', 'pending'), undefined);
    await ok(['delete', 'pod', '-n', 'modern-app', 'on-ghost-node', '--grace-period=0', '--force']);
    assert.equal(cluster.store.get('pods', 'modern-app', 'on-ghost-node'), undefined);
  });
});
