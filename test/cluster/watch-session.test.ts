// saToken.cluster.watch through the session the tree uses (src/features/cluster/session.ts), over the real kube
// module and the local API server: a change made with kubectl drops that namespace's cache and asks for one redraw;
// watching is off unless the setting is on; a reset stops every watch; a watch that stops for good is reported.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { ClusterSession } from '../../src/features/cluster/session';
import { REDRAW_DELAY_MS } from '../../src/features/cluster/watches';
import { parseKeys, type VerificationKey } from '../../src/core/tokens/verify';
import * as kube from '../../src/kube/index';
import { kubectl } from './kubectl';
import { countWatchRequests, podManifest as pod, tokenSecretManifest as tokenSecret } from './watch-fixtures';
import { startLocalCluster, viewerContext, type LocalCluster } from './server/index';

const TIMEOUT_MS = 1500;
const FAST_RETRY = { initialDelayMs: 100, maxDelayMs: 200, maxFailures: 3, minHealthyMs: 2000 };

let cluster: LocalCluster;
let watchRequests: ReturnType<typeof countWatchRequests>;
const sessions: ClusterSession<VerificationKey>[] = [];

before(async () => {
  cluster = await startLocalCluster({ data: 'demo', tokenControllerDelayMs: 50 });
  watchRequests = countWatchRequests();
});
afterEach(() => {
  cluster.setFault(null);
  for (const session of sessions.splice(0)) session.dispose();
});
after(async () => {
  watchRequests.restore();
  await cluster.stop();
});

/** A session as the tree makes it, with a listener recording what the tree would be told. */
function watchedSession(options: { watch?: boolean; context?: string } = {}) {
  const session = new ClusterSession<VerificationKey>(
    () => kube,
    () => ({
      kubeconfigPath: cluster.kubeconfigPath,
      context: options.context ?? null,
      timeoutMs: TIMEOUT_MS,
      watch: options.watch ?? true,
    }),
    parseKeys,
    FAST_RETRY,
  );
  sessions.push(session);
  const redraws: string[][] = [];
  const problems: string[] = [];
  session.setWatchListener({
    changed: (namespaces) => redraws.push(namespaces),
    problem: (message) => problems.push(message),
  });
  return { session, redraws, problems };
}

async function until(what: string, done: () => boolean, within = 5000): Promise<void> {
  const deadline = Date.now() + within;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await delay(50);
  }
}

async function run(args: string[], input?: string): Promise<void> {
  const result = await kubectl(cluster.kubeconfigPath, args, input);
  assert.equal(result.code, 0, result.stderr);
}

describe('the session keeps loaded namespaces current by watch', () => {
  it('a Secret created with kubectl drops the namespace cache and asks for one redraw; the reload shows it', async () => {
    const { session, redraws } = watchedSession();
    const before = await session.namespaceInventory('modern-app');
    assert.ok(
      !before.serviceAccounts.some((account) => account.tokenSecrets.some((secret) => secret.name === 'live-token')),
    );
    await run(['create', '-f', '-'], tokenSecret('live-token'));
    await until('the redraw', () => redraws.length > 0);
    assert.deepEqual(redraws, [['modern-app']], 'creation and filling by the token controller: one redraw');
    assert.equal(session.loadedInventory('modern-app'), undefined, 'the cache was dropped');
    const reloaded = await session.namespaceInventory('modern-app');
    const web = reloaded.serviceAccounts.find((account) => account.name === 'web');
    assert.ok(
      web?.tokenSecrets.some((secret) => secret.name === 'live-token' && secret.populated),
      JSON.stringify(web?.tokenSecrets),
    );
    await run(['delete', 'secret', 'live-token', '-n', 'modern-app']);
    await until('the redraw after deletion', () => redraws.length === 2);
    assert.equal(session.watchProblem, undefined);
  });

  it('a burst of pods is one reload; a namespace not loaded is not watched', async () => {
    const { session, redraws } = watchedSession();
    await session.namespaceInventory('modern-app');
    // One kubectl, a stream of three JSON objects: created within milliseconds of each other.
    await run(['create', '-f', '-'], ['burst-1', 'burst-2', 'burst-3'].map((name) => pod(name)).join('\n'));
    await run(['create', '-f', '-'], pod('unwatched', 'legacy-app', 'default'));
    await delay(REDRAW_DELAY_MS * 3);
    assert.deepEqual(redraws, [['modern-app']]);
    const reloaded = await session.namespaceInventory('modern-app');
    const pods =
      reloaded.serviceAccounts.find((account) => account.name === 'web')?.pods.map((info) => info.name) ?? [];
    assert.ok(
      ['burst-1', 'burst-2', 'burst-3'].every((name) => pods.includes(name)),
      pods.join(', '),
    );
  });

  it('off by default: no watch request, no redraw', async () => {
    const sent = watchRequests.count;
    const { session, redraws } = watchedSession({ watch: false });
    await session.namespaceInventory('modern-app');
    await run(['create', '-f', '-'], pod('quiet-1'));
    await delay(REDRAW_DELAY_MS * 2);
    assert.equal(watchRequests.count, sent);
    assert.deepEqual(redraws, []);
  });

  it('a reset (context switch, settings change, Refresh) stops every watch', async () => {
    const { session, redraws } = watchedSession();
    await session.namespaceInventory('modern-app');
    session.switchContext(kube.listContexts(cluster.kubeconfigPath).find((context) => context.current)?.name ?? '');
    await run(['create', '-f', '-'], pod('after-reset'));
    await delay(REDRAW_DELAY_MS * 2);
    assert.deepEqual(redraws, [], 'no redraw from a stopped watch');
    const sent = watchRequests.count;
    await delay(300);
    assert.equal(watchRequests.count, sent, 'no reconnect either');
  });

  it('repeated drops: the watch stops within its bound and the problem is reported until reset', async () => {
    const { session, problems } = watchedSession();
    cluster.setFault('watch-drop');
    await session.namespaceInventory('custom-audience');
    await until('the problem report', () => problems.length === 3, 8000);
    for (const problem of problems)
      assert.match(
        problem,
        /^watch stopped: the API server closed the watch of (serviceaccounts|secrets|pods) in namespace custom-audience after 0\.\d+ s \(3 failures in a row\); press Refresh$/,
      );
    assert.equal(session.watchProblem, problems[2]);
    session.reset();
    assert.equal(session.watchProblem, undefined);
  });

  it('a user who may not read secrets: pods and service accounts are still watched, no problem reported', async () => {
    const { session, redraws, problems } = watchedSession({ context: viewerContext });
    const inventory = await session.namespaceInventory('modern-app');
    assert.ok(inventory.errors.some((error) => error.resource === 'secrets'));
    await run(['create', '-f', '-'], pod('seen-by-viewer'));
    await until('the redraw', () => redraws.length > 0);
    assert.deepEqual(problems, []);
  });
});
