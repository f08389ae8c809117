// Token operations against the local API server, or a real cluster when SA_TOKEN_E2E_KUBECONFIG names one (see
// target.ts): every write happens inside a throwaway namespace; kubectl reads back what the operations did.
import assert from 'node:assert/strict';
import { describe, it, before, after } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { parse } from 'yaml';
import { connect, isClusterError, type ClusterConnection } from '../../src/kube/index';
import { buildCli, runCli } from '../unit/reliability/cli';
import { startLocalCluster, viewerContext } from './server/index';
import { NEEDS_LOCAL_SERVER, kubectlOn, realClusterKubeconfig, startClusterTarget, type ClusterTarget } from './target';

const onRealCluster = realClusterKubeconfig() !== undefined;
const localOnly = { skip: onRealCluster && NEEDS_LOCAL_SERVER };

/** A pod to bind tokens to; automount off so that nothing but the test asks for its tokens. */
const boundPod = (namespace: string, serviceAccount: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: bound-target
  namespace: ${namespace}
spec:
  serviceAccountName: ${serviceAccount}
  automountServiceAccountToken: false
  containers:
    - name: pause
      image: registry.k8s.io/pause:3.10
`;

describe('cluster operations against the local API server or SA_TOKEN_E2E_KUBECONFIG', () => {
  let target: ClusterTarget;
  let admin: ClusterConnection;
  let viewer: ClusterConnection | undefined;
  let namespace: string;
  let account: string;
  const kubectl = (...args: string[]) => kubectlOn(target.kubeconfigPath, args);
  const kubectlJson = async (...args: string[]) => JSON.parse(await kubectl(...args, '-o', 'json'));

  before(async () => {
    target = await startClusterTarget(() => startLocalCluster({ data: 'demo' }));
    ({ namespace, serviceAccount: account } = target);
    await kubectlOn(target.kubeconfigPath, ['create', '-f', '-'], boundPod(namespace, account));
    admin = await connect({ kubeconfigPath: target.kubeconfigPath, timeoutMs: 10_000 });
    if (!target.real)
      viewer = await connect({ kubeconfigPath: target.kubeconfigPath, context: viewerContext, timeoutMs: 10_000 });
  });
  after(async () => {
    admin?.close();
    viewer?.close();
    await target?.stop();
  });

  it('lists namespaces and the service accounts of one namespace', async () => {
    const namespaces = await admin.listNamespaces();
    const fromKubectl = (await kubectl('get', 'namespaces', '-o', 'name'))
      .trim()
      .split('\n')
      .map((line) => line.replace('namespace/', ''));
    assert.deepEqual(namespaces, fromKubectl.sort());
    const accounts = await admin.listServiceAccounts(namespace);
    assert.ok(accounts.some((sa) => sa.name === account && sa.secrets.length === 0));
  });

  it('lists the demo service accounts with their .secrets', localOnly, async () => {
    const accounts = await admin.listServiceAccounts('legacy-app');
    assert.ok(accounts.some((sa) => sa.name === 'legacy-api' && sa.secrets.includes('legacy-api-token-x7k2p')));
  });

  it('creates an explicit token Secret and returns the token the controller wrote', async () => {
    const serviceAccount = await kubectlJson('get', 'serviceaccount', account, '-n', namespace);
    const created = await admin.createTokenSecret(namespace, account, { timeoutMs: 10_000 });
    assert.match(created.secretName, new RegExp(`^${account}-token-[a-z0-9]{5}$`));
    const secret = await kubectlJson('get', 'secret', created.secretName, '-n', namespace);
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.name'], account);
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], serviceAccount.metadata.uid);
    assert.equal(Buffer.from(secret.data.token, 'base64').toString(), created.token);
    const claims = decodeJwt(created.token);
    assert.equal(claims.sub, `system:serviceaccount:${namespace}:${account}`);
    assert.equal(claims['kubernetes.io/serviceaccount/secret.name'], created.secretName);
    assert.equal(claims.exp, undefined, 'legacy tokens do not expire');

    assert.equal(await admin.readSecretToken(namespace, created.secretName), created.token);
    await admin.deleteSecret(namespace, created.secretName);
    await assert.rejects(kubectl('get', 'secret', created.secretName, '-n', namespace), /NotFound/);
  });

  it('removes one .secrets entry by JSON patch (test, then remove); a name no longer listed sends nothing', async () => {
    const add = JSON.stringify([{ op: 'add', path: '/secrets', value: [{ name: 'kept' }, { name: 'gone-token' }] }]);
    await kubectl('patch', 'serviceaccount', account, '-n', namespace, '--type=json', '-p', add);
    assert.equal(await admin.removeServiceAccountSecretRef(namespace, account, 'gone-token'), true);
    const after = await kubectlJson('get', 'serviceaccount', account, '-n', namespace);
    assert.deepEqual(after.secrets, [{ name: 'kept' }], 'only that entry went');
    assert.equal(await admin.removeServiceAccountSecretRef(namespace, account, 'gone-token'), false);
    assert.equal(await admin.removeServiceAccountSecretRef(namespace, account, 'kept'), true);
    const cleared = await kubectlJson('get', 'serviceaccount', account, '-n', namespace);
    assert.deepEqual(cleared.secrets ?? [], []);
  });

  it('the restricted user may not edit a ServiceAccount: forbidden, named as such', localOnly, async () => {
    await assert.rejects(
      viewer!.removeServiceAccountSecretRef('legacy-app', 'reporter', 'reporter-token-9fz2m'),
      (error) => {
        assert.ok(isClusterError(error) && error.kind === 'forbidden', String(error));
        assert.match(error.message, /cannot patch serviceaccount reporter in namespace legacy-app/);
        return true;
      },
    );
  });

  it('requests a bound token with the claims kubectl create token would get', async () => {
    const pod = await kubectlJson('get', 'pod', 'bound-target', '-n', namespace);
    const token = await admin.requestToken(namespace, account, {
      expirationSeconds: 1200,
      audiences: ['vault', 'https://kubernetes.default.svc.cluster.local'],
      boundObject: { kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
    });
    const claims = decodeJwt(token) as Record<string, unknown> & { exp: number; iat: number };
    assert.equal(claims.sub, `system:serviceaccount:${namespace}:${account}`);
    assert.deepEqual(claims.aud, ['vault', 'https://kubernetes.default.svc.cluster.local']);
    assert.equal(claims.exp - claims.iat, 1200);
    const scoped = claims['kubernetes.io'] as {
      namespace: string;
      serviceaccount: { name: string };
      pod: { name: string; uid: string };
    };
    assert.equal(scoped.namespace, namespace);
    assert.equal(scoped.serviceaccount.name, account);
    assert.deepEqual(scoped.pod, { name: pod.metadata.name, uid: pod.metadata.uid });
  });

  it('reports a missing service account as not found, not as a cluster without TokenRequest', async () => {
    await assert.rejects(admin.requestToken(namespace, 'nobody', { expirationSeconds: 600 }), (error: unknown) => {
      return isClusterError(error) && error.kind === 'not-found' && !/does not support/.test(error.message);
    });
  });

  it('says which bound object is missing instead of calling TokenRequest unsupported (issue 12, bug 1)', async () => {
    // token.go gets the bound Pod or Secret and returns its NotFound: details.kind is pods or secrets.
    for (const kind of ['Pod', 'Secret'] as const) {
      await assert.rejects(
        admin.requestToken(namespace, account, { expirationSeconds: 600, boundObject: { kind, name: 'gone' } }),
        (error: unknown) => {
          assert.ok(isClusterError(error) && error.kind === 'not-found', String(error));
          assert.equal(error.message, `the ${kind} gone to bind the token to does not exist in namespace ${namespace}`);
          return true;
        },
      );
    }
  });

  it('a TokenReview of a legacy token marks its Secret used; the label is read without the data (bug 2)', async () => {
    const created = await admin.createTokenSecret(namespace, account, { timeoutMs: 10_000 });
    try {
      assert.equal(await admin.tokenSecretLastUsed(namespace, created.secretName), null);
      assert.equal((await admin.tokenReview(created.token)).authenticated, true);
      // legacy.go labels the Secret with the UTC day of use (KEP-2799).
      const today = new Date().toISOString().slice(0, 10);
      assert.equal(await admin.tokenSecretLastUsed(namespace, created.secretName), today);
    } finally {
      await admin.deleteSecret(namespace, created.secretName);
    }
  });

  it('asks the API server whether a token is accepted (TokenReview)', async () => {
    const token = await admin.requestToken(namespace, account, { expirationSeconds: 600 });
    const accepted = await admin.tokenReview(token);
    assert.equal(accepted.authenticated, true);
    assert.equal(accepted.user, `system:serviceaccount:${namespace}:${account}`);
    assert.ok(accepted.groups.includes(`system:serviceaccounts:${namespace}`));
    const rejected = await admin.tokenReview(`${token.slice(0, -4)}AAAA`);
    assert.equal(rejected.authenticated, false);
    assert.ok(rejected.error && !rejected.error.includes(token.split('.')[1]));
  });

  it('the restricted user may not create a TokenReview', localOnly, async () => {
    const token = await admin.requestToken(namespace, account, { expirationSeconds: 600 });
    await assert.rejects(
      viewer!.tokenReview(token),
      (error: unknown) => isClusterError(error) && error.kind === 'forbidden',
    );
  });

  it('fetches the issuer keys through the kubeconfig connection; they verify a requested token', async () => {
    const keys = await admin.fetchIssuerKeys();
    assert.ok('jwks' in keys, JSON.stringify(keys));
    assert.equal(keys.issuer, JSON.parse(await kubectl('get', '--raw', '/.well-known/openid-configuration')).issuer);
    const token = await admin.requestToken(namespace, account, { expirationSeconds: 600 });
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys.jwks), { issuer: keys.issuer ?? undefined });
    assert.equal(payload.sub, `system:serviceaccount:${namespace}:${account}`);
    assert.deepEqual(keys.jwks, JSON.parse(await kubectl('get', '--raw', '/openid/v1/jwks')));
  });

  it('reports a 403 on the discovery endpoints as forbidden, not as a bad token', localOnly, async () => {
    assert.deepEqual(await viewer!.fetchIssuerKeys(), { forbidden: true });
  });

  it('shows a Secret as YAML with every value masked and no managedFields', async () => {
    const created = await admin.createTokenSecret(namespace, account, { timeoutMs: 10_000 });
    const text = await admin.getObjectYaml('Secret', namespace, created.secretName);
    const secret = parse(text);
    assert.equal(secret.metadata.name, created.secretName);
    assert.equal(secret.metadata.managedFields, undefined);
    assert.match(secret.data.token, /^<masked: \d+ bytes>$/);
    const real = await kubectlJson('get', 'secret', created.secretName, '-n', namespace);
    for (const value of Object.values(real.data as Record<string, string>)) assert.ok(!text.includes(value));
    assert.ok(!text.includes('eyJ'));
    const pod = parse(await admin.getObjectYaml('Pod', namespace, 'bound-target'));
    assert.equal(pod.kind, 'Pod');
  });

  it('shows mirror (static) pods as static pods with no token, under no service account (bug 3)', async (t) => {
    // A real control plane's static pods (kind, kubeadm) are in kube-system; the local server gets one the way a
    // kubelet posts it (only here: on a real cluster the test reads, and a kubelet would delete a fake one).
    if (!target.real)
      await kubectlOn(
        target.kubeconfigPath,
        ['create', '-n', 'kube-system', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'etcd-demo-node', annotations: { 'kubernetes.io/config.mirror': '3f2a9c' } },
          spec: { nodeName: 'demo-node', containers: [{ name: 'etcd', image: 'registry.k8s.io/etcd:3.5.16-0' }] },
        }),
      );
    const pods = (await kubectlJson('get', 'pods', '-n', 'kube-system')) as {
      items: { metadata: { name: string; annotations?: Record<string, string> } }[];
    };
    const mirrors = pods.items
      .filter((pod) => pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined)
      .map((pod) => pod.metadata.name)
      .sort();
    if (mirrors.length === 0) return t.skip('no mirror pods visible in kube-system (a managed control plane)');
    const inventory = await admin.inventory({ namespace: 'kube-system' });
    assert.deepEqual(
      inventory.staticPods.map((pod) => pod.name).sort(),
      mirrors,
      'every mirror pod is listed as a static pod',
    );
    const underAccounts = inventory.serviceAccounts.flatMap((sa) => sa.pods.map((pod) => pod.name));
    assert.deepEqual(
      mirrors.filter((name) => underAccounts.includes(name)),
      [],
      'none is attributed to a service account',
    );
  });

  it('dates the legacy token cleaner by its own rules: an auto-generated token, an explicit one (bug 6)', async () => {
    // An auto-generated token as before 1.24: listed in its ServiceAccount's .secrets; and an explicit one, not.
    await kubectlOn(
      target.kubeconfigPath,
      ['create', '-n', namespace, '-f', '-'],
      [
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'pre-124' },
          secrets: [{ name: 'pre-124-token' }],
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/service-account-token',
          metadata: { name: 'pre-124-token', annotations: { 'kubernetes.io/service-account.name': 'pre-124' } },
        },
      ]
        .map((item) => JSON.stringify(item))
        .join('\n'),
    );
    const explicit = await admin.createTokenSecret(namespace, account, { timeoutMs: 10_000 });
    const created = (await kubectlJson('get', 'secret', 'pre-124-token', '-n', namespace)).metadata
      .creationTimestamp as string;
    // kube-apiserver's tracking ConfigMap (legacytokentracking): the cleaner counts unused time from its `since`.
    const tracking = await kubectl(
      'get',
      'configmap',
      '-n',
      'kube-system',
      'kube-apiserver-legacy-service-account-token-tracking',
      '-o',
      'jsonpath={.data.since}',
    ).catch(() => '');
    const { stdout, stderr } = await runCli(await buildCli(), [
      'inventory',
      '--kubeconfig',
      target.kubeconfigPath,
      '--namespace',
      namespace,
      '--json',
    ]);
    const printed = JSON.parse(stdout) as {
      legacyTokenTrackingSince: string | null;
      serviceAccounts: { name: string; tokenSecrets: { name: string; populated: boolean; cleanup: unknown }[] }[];
    };
    assert.equal(printed.legacyTokenTrackingSince, tracking || null, stderr);
    const secretOf = (name: string) =>
      printed.serviceAccounts.flatMap((sa) => sa.tokenSecrets).find((secret) => secret.name === name);
    // Unused: due a year and a day after the later of its creation and the start of tracking (default period).
    const yearAndDayAfter = (date: string) =>
      new Date(Date.parse(date.slice(0, 10)) + 366 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const due = [created, tracking].filter(Boolean).map(yearAndDayAfter).sort().at(-1)!;
    assert.deepEqual(secretOf('pre-124-token')?.cleanup, {
      exempt: null,
      invalidatedOnOrAfter: due,
      deletedOnOrAfter: yearAndDayAfter(due),
    });
    assert.deepEqual(secretOf(explicit.secretName)?.cleanup, {
      exempt: 'not-auto-generated',
      invalidatedOnOrAfter: null,
      deletedOnOrAfter: null,
    });
  });

  it('a pod-bound token stays valid while its pod terminates, and fails once the pod is gone (bug 7)', async () => {
    const node = (await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    // PID 1 ignores SIGTERM: the kubelet waits the whole grace period, as for a workload that shuts down slowly.
    await kubectlOn(
      target.kubeconfigPath,
      ['create', '-n', namespace, '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'graceful' },
        spec: {
          serviceAccountName: account,
          automountServiceAccountToken: false,
          nodeName: node,
          containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }],
        },
      }),
    );
    const pod = await kubectlJson('get', 'pod', 'graceful', '-n', namespace);
    const token = await admin.requestToken(namespace, account, {
      expirationSeconds: 600,
      boundObject: { kind: 'Pod', name: 'graceful', uid: pod.metadata.uid },
    });
    await kubectl('delete', 'pod', 'graceful', '-n', namespace, '--grace-period=10', '--wait=false');
    const terminating = await kubectlJson('get', 'pod', 'graceful', '-n', namespace);
    assert.ok(terminating.metadata.deletionTimestamp, 'the pod is terminating, not gone');
    assert.equal((await admin.tokenReview(token)).authenticated, true, 'still valid while the pod terminates');
    await kubectl('wait', '--for=delete', 'pod/graceful', '-n', namespace, '--timeout=90s');
    assert.equal((await admin.tokenReview(token)).authenticated, false, 'invalid once the pod is gone');
  });
});
