// Cluster faults as the tree and the commands meet them: the cluster feature's session (src/features/cluster/session.ts,
// the tree's only data source) over the real kube module and the local API server, one fault at a time. The kube
// layer's own errors are tested in kube-faults.test.ts; here: each fault ends in a specific message within the timeout,
// what already loaded keeps working, a failure is not cached (Refresh tries again), and nothing retries on its own.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { namespaceChildren, childrenOf, type ClusterNode } from '../../src/features/cluster/nodes';
import { present } from '../../src/features/cluster/present';
import { ClusterSession, JWKS_FORBIDDEN } from '../../src/features/cluster/session';
import { parseKeys, type VerificationKey } from '../../src/core/tokens/verify';
import * as kube from '../../src/kube/index';
import { startLocalCluster, viewerContext, type FaultMode, type LocalCluster } from './server/index';

/** Long enough for the healthy loads around each fault on a loaded 2-core machine running 4 test files at once. */
const TIMEOUT_MS = 3000;
/** Beyond the timeout, for a loaded 2-core machine. */
const SLACK_MS = 2000;
/** How long we watch for requests nobody asked for after a failure. */
const QUIET_MS = 1200;

let cluster: LocalCluster;
let requests = 0;
let survived = 0;
const originalRequest = https.request;

before(async () => {
  cluster = await startLocalCluster({ data: 'demo', tokenControllerDelayMs: 0 });
  // Counts every HTTPS request the kube layer sends (it calls https.request per request).
  https.request = ((...args: Parameters<typeof https.request>) => {
    requests++;
    return originalRequest(...args);
  }) as typeof https.request;
});
after(async () => {
  https.request = originalRequest;
  cluster.setFault(null);
  await cluster.stop();
  console.log(`reliability cluster faults: ${survived} fault scenarios survived (timeout ${TIMEOUT_MS} ms)`);
});

function newSession(
  context: string | null = null,
  kubeconfigPath = cluster.kubeconfigPath,
): ClusterSession<VerificationKey> {
  return new ClusterSession<VerificationKey>(
    () => kube,
    () => ({ kubeconfigPath, context, timeoutMs: TIMEOUT_MS }),
    parseKeys,
  );
}

/** `load` fails in time with a ClusterError of `kind` whose message matches, then no request follows on its own. */
async function expectFault(
  load: () => Promise<unknown>,
  kind: kube.ClusterErrorKind,
  message: RegExp,
  within = TIMEOUT_MS + SLACK_MS,
): Promise<string> {
  const started = Date.now();
  const error = await load().then(
    () => assert.fail('expected a failure'),
    (failure: unknown) => failure,
  );
  const elapsed = Date.now() - started;
  assert.ok(kube.isClusterError(error), `a ClusterError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  assert.match(error.message, message);
  assert.ok(
    !error.message.includes(cluster.tokens.admin) && !error.message.includes(cluster.tokens.viewer),
    'no credential in the message',
  );
  assert.ok(elapsed < within, `failed after ${elapsed} ms`);
  const before = requests;
  await delay(QUIET_MS);
  assert.equal(requests, before, 'no request after the failure: nothing retries on its own');
  return error.message;
}

const connectionFaults: { fault: FaultMode; kind: kube.ClusterErrorKind; message: RegExp }[] = [
  { fault: 'latency', kind: 'timeout', message: /did not answer within 3 s while trying to list/ },
  { fault: 'reset-mid-list', kind: 'unreachable', message: /connection reset/ },
  { fault: 'unauthorized', kind: 'unauthorized', message: /rejected the credentials \(401\)/ },
  { fault: 'server-error', kind: 'server', message: /failed \(500\)/ },
  { fault: 'malformed-json', kind: 'malformed', message: /malformed JSON/ },
];

describe('cluster faults through the session the tree uses', () => {
  for (const { fault, kind, message } of connectionFaults) {
    it(`${fault}: namespaces and a new namespace fail with "${kind}" in time; loaded namespaces stay; Refresh recovers`, async () => {
      const session = newSession();
      const sent = requests;
      const loaded = await session.namespaceInventory('modern-app');
      assert.ok(requests > sent, 'the request counter sees the kube layer');
      cluster.setFault(fault);
      try {
        const shown = await expectFault(() => session.namespaces(), kind, message);
        await expectFault(() => session.namespaceInventory('legacy-app'), kind, message);
        // What the tree shows for the failed load: one error node with the specific message.
        const view = present({ type: 'message', text: shown, tone: 'error' }, new Date());
        assert.equal(view.label, shown);
        // The namespace loaded before the fault is still there, and its subtree still opens.
        assert.equal(session.loadedInventory('modern-app'), loaded);
        assert.equal(await session.namespaceInventory('modern-app'), loaded);
        const accounts = namespaceChildren(loaded, 'modern-app');
        assert.ok(accounts.some((node) => node.type === 'serviceAccount' && node.account.name === 'web'));
      } finally {
        cluster.setFault(null);
      }
      // The failures were not cached: expanding again (what Refresh does) loads.
      assert.ok((await session.namespaces()).includes('legacy-app'));
      assert.ok((await session.namespaceInventory('legacy-app')).serviceAccounts.length > 0);
      survived++;
    });
  }

  it('cancelled while the server hangs: cancelled at once, not cached', async () => {
    const session = newSession();
    cluster.setFault('latency');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    try {
      // At once: well before the timeout would have ended it.
      await expectFault(() => session.namespaces(controller.signal), 'cancelled', /cancelled/, TIMEOUT_MS / 2);
    } finally {
      cluster.setFault(null);
    }
    assert.ok((await session.namespaces()).length > 0);
    survived++;
  });

  it('403 on secrets only: the namespace shows its service accounts, pods and one forbidden node', async () => {
    const session = newSession();
    cluster.setFault('forbid-secrets');
    try {
      const inventory = await session.namespaceInventory('legacy-app');
      const children = namespaceChildren(inventory, 'legacy-app');
      const forbidden = children.filter(
        (node): node is Extract<ClusterNode, { type: 'forbidden' }> => node.type === 'forbidden',
      );
      assert.equal(forbidden.length, 1);
      assert.match(forbidden[0].error.reason, /forbidden: can list serviceaccounts and pods but not secrets/);
      assert.equal(present(forbidden[0], new Date()).contextValue, 'forbidden');
      const account = children.find((node) => node.type === 'serviceAccount' && node.account.pods.length > 0);
      assert.ok(account, 'service accounts with their pods are still listed');
      const groups = childrenOf(account, inventory);
      assert.ok(groups.some((node) => node.type === 'group' && node.group === 'pods'));
    } finally {
      cluster.setFault(null);
    }
    survived++;
  });

  it('404 on TokenRequest: Request Token says the cluster does not support it; the tree keeps loading', async () => {
    const session = newSession();
    cluster.setFault('no-tokenrequest');
    try {
      const connection = await session.connection();
      await expectFault(
        () => connection.requestToken('modern-app', 'web', { expirationSeconds: 600 }),
        'not-found',
        /does not support TokenRequest/,
      );
      assert.ok((await session.namespaceInventory('modern-app')).serviceAccounts.length > 0);
    } finally {
      cluster.setFault(null);
    }
    survived++;
  });

  it('404 on the JWKS: hover verification says why, the tree keeps loading', async () => {
    const session = newSession();
    cluster.setFault('no-jwks');
    try {
      assert.equal(session.clusterKeys(), undefined, 'asking for keys never connects');
      await session.namespaces();
      const keys = await session.clusterKeys();
      assert.ok(
        keys && 'unavailable' in keys && /does not serve \/openid\/v1\/jwks/.test(keys.unavailable),
        JSON.stringify(keys),
      );
      assert.ok((await session.namespaceInventory('modern-app')).serviceAccounts.length > 0);
    } finally {
      cluster.setFault(null);
    }
    survived++;
  });

  it('JWKS forbidden to a restricted user: a specific reason, not a failure', async () => {
    const session = newSession(viewerContext);
    await session.namespaces().catch(() => undefined);
    await session.connection();
    const keys = await session.clusterKeys();
    assert.deepEqual(keys, { context: viewerContext, unavailable: JWKS_FORBIDDEN });
    survived++;
  });

  it('a token controller that never fills the Secret: a timeout naming it, and the tree shows the empty Secret', async () => {
    const session = newSession();
    cluster.setFault('token-controller-stuck');
    let secretName = '';
    try {
      const connection = await session.connection();
      const message = await expectFault(
        () => connection.createTokenSecret('modern-app', 'web', { timeoutMs: 1000 }),
        'timeout',
        /did not fill Secret web-token-[a-z0-9]{5}/,
        1000 + SLACK_MS,
      );
      secretName = /Secret (web-token-[a-z0-9]{5})/.exec(message)?.[1] ?? '';
      session.invalidateNamespace('modern-app');
      const inventory = await session.namespaceInventory('modern-app');
      const web = inventory.serviceAccounts.find((account) => account.name === 'web');
      const secret = web?.tokenSecrets.find((entry) => entry.name === secretName);
      assert.ok(secret && !secret.populated, 'the empty Secret is listed');
      assert.equal(present({ type: 'tokenSecret', secret, readers: [] }, new Date()).contextValue, 'emptyTokenSecret');
    } finally {
      cluster.setFault(null);
      if (secretName) await (await session.connection()).deleteSecret('modern-app', secretName);
    }
    survived++;
  });

  it('a wrong CA in the kubeconfig: connecting reads the file, the first load fails with tls, never falls back', async () => {
    const wrong = await startLocalCluster({ data: 'empty', wrongCa: true });
    try {
      const session = newSession(null, wrong.kubeconfigPath);
      assert.ok(session.contexts().length > 0);
      await expectFault(() => session.namespaces(), 'tls', /TLS verification of https:\/\/127\.0\.0\.1:\d+ failed/);
      await expectFault(() => session.namespaces(), 'tls', /TLS verification/);
    } finally {
      await wrong.stop();
    }
    survived++;
  });

  it('a watch that drops: the tree lists without watches, so it is unaffected', async () => {
    const session = newSession();
    cluster.setFault('watch-drop');
    try {
      assert.ok((await session.namespaces()).length > 0);
      assert.ok((await session.namespaceInventory('legacy-app')).serviceAccounts.length > 0);
    } finally {
      cluster.setFault(null);
    }
    survived++;
  });
});
