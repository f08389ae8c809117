// connection.watch against the local API server: real TLS, real chunked `?watch=1` streams, the real kubectl making
// the changes. Events arrive lean (no Secret data), drops reconnect from the last resourceVersion, repeated drops stop
// after the bound with a clear reason, an expired resourceVersion relists once, abort closes at once.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import {
  connect,
  isClusterError,
  type ClusterConnection,
  type WatchedObjects,
  type WatchEnd,
  type WatchedResource,
  type WatchEventType,
  type WatchOptions,
} from '../../src/kube/index';
import { kubectl } from './kubectl';
import { countWatchRequests, podManifest, tokenSecretManifest } from './watch-fixtures';
import { startLocalCluster, viewerContext, type LocalCluster } from './server/index';
import type { KubeObject } from './server/objects';

const TIMEOUT_MS = 1500;
/** Time for an event to travel on a loaded 2-core machine. */
const EVENT_WAIT_MS = 5000;
/** Retry bounds small enough for tests; the server's watch-drop fault ends every stream after 0.5 s. */
const FAST_RETRY = { initialDelayMs: 100, maxDelayMs: 400, maxFailures: 30, minHealthyMs: 2000 };

/** A running watch and what it has reported. */
class Recorder<R extends WatchedResource> {
  readonly events: { type: WatchEventType; object: WatchedObjects[R] }[] = [];
  readonly lines: string[] = [];
  resyncs = 0;
  end: WatchEnd | undefined;
  endedAt = 0;
  readonly controller = new AbortController();
  private wake: (() => void) | undefined;

  options(extra: Partial<WatchOptions<R>> = {}): WatchOptions<R> {
    return {
      signal: this.controller.signal,
      onEvent: (type, object) => {
        this.events.push({ type, object });
        this.lines.push(JSON.stringify({ type, object }));
        this.wake?.();
      },
      onResync: () => {
        this.resyncs++;
        this.wake?.();
      },
      onClose: (end) => {
        assert.equal(this.end, undefined, 'onClose is called once');
        this.end = end;
        this.endedAt = Date.now();
        this.wake?.();
      },
      ...extra,
    };
  }

  /** Waits until `done()` holds, failing after `within` ms. */
  async until(what: string, done: () => boolean, within = EVENT_WAIT_MS): Promise<void> {
    const deadline = Date.now() + within;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0)
        assert.fail(
          `timed out waiting for ${what}; events: ${this.lines.join(' | ')}; end: ${JSON.stringify(this.end)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  has(type: WatchEventType, name: string, check: (object: WatchedObjects[R]) => boolean = () => true): boolean {
    return this.events.some((event) => event.type === type && event.object.name === name && check(event.object));
  }
}

describe('connection.watch against the local API server', () => {
  let cluster: LocalCluster;
  let connection: ClusterConnection;
  const running: Recorder<WatchedResource>[] = [];

  function recorder<R extends WatchedResource>(): Recorder<R> {
    const created = new Recorder<R>();
    running.push(created as unknown as Recorder<WatchedResource>);
    return created;
  }

  async function run(...args: string[]): Promise<void> {
    const result = await kubectl(cluster.kubeconfigPath, args);
    assert.equal(result.code, 0, result.stderr);
  }

  async function apply(manifest: string): Promise<void> {
    const result = await kubectl(cluster.kubeconfigPath, ['create', '-f', '-'], manifest);
    assert.equal(result.code, 0, result.stderr);
  }

  before(async () => {
    cluster = await startLocalCluster({ data: 'demo', tokenControllerDelayMs: 50 });
    connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: TIMEOUT_MS });
  });
  afterEach(() => {
    cluster.setFault(null);
    for (const watch of running.splice(0)) watch.controller.abort();
  });
  after(async () => {
    connection.close();
    await cluster.stop();
  });

  it('a token Secret created, filled and deleted with kubectl arrives as lean events without its data', async () => {
    const watch = recorder<'secrets'>();
    await connection.watch('secrets', { namespace: 'modern-app', ...watch.options() });
    await apply(tokenSecretManifest('watched-token'));
    await watch.until('the filled Secret', () =>
      watch.has('MODIFIED', 'watched-token', (secret) => secret.populated === true),
    );
    assert.ok(
      watch.has('ADDED', 'watched-token', (secret) => secret.populated === false && secret.serviceAccount === 'web'),
    );
    const stored = cluster.store.read<KubeObject & { data: Record<string, string> }>(
      'secrets',
      'modern-app',
      'watched-token',
    );
    const token = Buffer.from(stored?.data.token ?? '', 'base64').toString('utf8');
    assert.match(token, /^eyJ/);
    await run('delete', 'secret', 'watched-token', '-n', 'modern-app');
    await watch.until('the deletion', () => watch.has('DELETED', 'watched-token'));

    const everything = watch.lines.join('\n');
    for (const value of [token, stored?.data.token ?? '', stored?.data['ca.crt'] ?? ''])
      assert.ok(!everything.includes(value), 'no Secret data in any event');
    assert.ok(!/"data"|ca\.crt/.test(everything), everything);
    assert.deepEqual(
      watch.events
        .map((event) => `${event.type} ${event.object.name}`)
        .filter((line) => line.endsWith('watched-token')),
      ['ADDED watched-token', 'MODIFIED watched-token', 'DELETED watched-token'],
    );
    assert.equal(watch.end, undefined, 'still watching');
  });

  it('only later changes arrive (existing objects are not replayed) and other namespaces stay out', async () => {
    const watch = recorder<'pods'>();
    await connection.watch('pods', { namespace: 'modern-app', ...watch.options() });
    await apply(podManifest('elsewhere', 'legacy-app', 'default'));
    await apply(podManifest('watched-pod'));
    await watch.until('the new pod', () => watch.has('ADDED', 'watched-pod'));
    const pod = watch.events.find((event) => event.object.name === 'watched-pod')?.object;
    assert.equal(pod?.serviceAccount, 'web');
    assert.ok(
      pod?.sources.some((source) => source.kind === 'projected' && source.volume.startsWith('kube-api-access-')),
      'admission-injected projected token',
    );
    assert.deepEqual(
      watch.events.map((event) => event.object.name),
      ['watched-pod'],
      'no replay of existing pods, nothing from legacy-app',
    );
    await run('delete', 'pod', 'watched-pod', '-n', 'modern-app');
    await watch.until('the pod deletion', () => watch.has('DELETED', 'watched-pod'));
  });

  it('watch-drop: the watch reconnects from its last resourceVersion and still delivers later events', async () => {
    const watch = recorder<'secrets'>();
    await connection.watch('secrets', { namespace: 'modern-app', ...watch.options({ retry: FAST_RETRY }) });
    cluster.setFault('watch-drop');
    await apply(tokenSecretManifest('dropped-token'));
    await watch.until('the Secret created during drops', () => watch.has('ADDED', 'dropped-token'));
    // Several drops later: reconnecting from the last resourceVersion, neither lost nor replayed twice.
    await delay(1200);
    await run('delete', 'secret', 'dropped-token', '-n', 'modern-app');
    await watch.until('the deletion after several drops', () => watch.has('DELETED', 'dropped-token'));
    assert.equal(
      watch.events.filter((event) => event.object.name === 'dropped-token' && event.type === 'ADDED').length,
      1,
      'no duplicate after reconnecting',
    );
    assert.equal(watch.end, undefined, 'still watching within the bound');
  });

  it('repeated drops: stops after the bound with a clear reason, backing off between attempts', async () => {
    const watchRequests = countWatchRequests();
    try {
      cluster.setFault('watch-drop');
      const watch = recorder<'pods'>();
      const started = Date.now();
      const retry = { initialDelayMs: 100, maxDelayMs: 400, maxFailures: 4, minHealthyMs: 2000 };
      await connection.watch('pods', { namespace: 'modern-app', ...watch.options({ retry }) });
      await watch.until('the watch to stop', () => watch.end !== undefined, 10_000);
      const elapsed = watch.endedAt - started;
      assert.deepEqual(watch.end?.kind, 'stopped');
      assert.match(
        (watch.end as { message: string }).message,
        /^watch stopped: the API server closed the watch of pods in namespace modern-app after 0\.\d+ s \(4 failures in a row\)$/,
      );
      assert.equal(watchRequests.count, 4, 'one request per attempt, no more');
      // 4 streams of 0.5 s plus backoff 100 + 200 + 400 ms between them.
      assert.ok(elapsed >= 4 * 450 + 700, `stopped after ${elapsed} ms: too fast for the backoff`);
      await delay(800);
      assert.equal(watchRequests.count, 4, 'nothing after stopping');
    } finally {
      watchRequests.restore();
    }
  });

  it('abort: closes promptly as cancelled, also while backing off', async () => {
    const open = recorder<'serviceaccounts'>();
    await connection.watch('serviceaccounts', { namespace: 'modern-app', ...open.options() });
    await delay(200);
    const aborted = Date.now();
    open.controller.abort();
    await open.until('the close', () => open.end !== undefined, 3000);
    assert.deepEqual(open.end, { kind: 'cancelled' });
    assert.ok(open.endedAt - aborted < 1000, `closed after ${open.endedAt - aborted} ms`);

    cluster.setFault('watch-drop');
    const backingOff = recorder<'serviceaccounts'>();
    await connection.watch('serviceaccounts', {
      namespace: 'modern-app',
      ...backingOff.options({ retry: { ...FAST_RETRY, initialDelayMs: 5000 } }),
    });
    await delay(900);
    const abortedInSleep = Date.now();
    backingOff.controller.abort();
    await backingOff.until('the close', () => backingOff.end !== undefined, 3000);
    assert.deepEqual(backingOff.end, { kind: 'cancelled' });
    assert.ok(backingOff.endedAt - abortedInSleep < 1000, `closed after ${backingOff.endedAt - abortedInSleep} ms`);
  });

  it('an expired resourceVersion (410): relists once, asks for a resync, then delivers later events', async () => {
    const expired = String(cluster.store.resourceVersion);
    // More changes than the server's watch history keeps (5,000 per resource), all outside the watched scope.
    for (let index = 0; index <= 5000; index++) {
      cluster.store.put('secrets', { metadata: { name: `bulk-${index}`, namespace: 'bulk' }, type: 'Opaque' } as never);
    }
    const watch = recorder<'secrets'>();
    await connection.watch('secrets', {
      namespace: 'modern-app',
      ...watch.options({ resourceVersion: expired, retry: FAST_RETRY }),
    });
    await watch.until('the resync', () => watch.resyncs === 1);
    await apply(tokenSecretManifest('after-relist'));
    await watch.until('the event after the relist', () => watch.has('ADDED', 'after-relist'));
    assert.equal(watch.resyncs, 1, 'relisted once');
    assert.equal(watch.end, undefined);
  });

  it('a user who may not list secrets cannot start a watch of them: forbidden, no watch left running', async () => {
    const viewer = await connect({
      kubeconfigPath: cluster.kubeconfigPath,
      context: viewerContext,
      timeoutMs: TIMEOUT_MS,
    });
    try {
      const watch = recorder<'secrets'>();
      await assert.rejects(
        viewer.watch('secrets', { namespace: 'modern-app', ...watch.options() }),
        (error: unknown) => {
          assert.ok(isClusterError(error));
          assert.equal(error.kind, 'forbidden');
          assert.match(error.message, /forbidden: cannot list secrets in namespace modern-app/);
          return true;
        },
      );
      await delay(300);
      assert.equal(watch.end, undefined, 'onClose only for watches that started');
    } finally {
      viewer.close();
    }
  });
});
