// --round-trip-ms: a remote API server's network. Each answer comes a round trip after its request, and the first
// request on a new connection two round trips later still (TCP and TLS handshakes, which loopback makes free).
// Lower bounds only: a loaded machine can make anything slower, never faster.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { startLocalCluster, type LocalCluster } from '../index';
import { CONNECTION_SETUP_ROUND_TRIPS } from '../server';

const ROUND_TRIP_MS = 150;
let cluster: LocalCluster;

before(async () => {
  cluster = await startLocalCluster({ data: 'empty', roundTripMs: ROUND_TRIP_MS });
});
after(() => cluster.stop());

/** GET /version on `agent`: milliseconds to the answer's end, and whether a kept-alive connection carried it. */
function timedGet(agent: https.Agent): Promise<{ ms: number; reused: boolean }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = https.get(
      `${cluster.url}/version`,
      { agent, ca: cluster.caPem, headers: { authorization: `Bearer ${cluster.tokens.admin}` } },
      (response) => {
        assert.equal(response.statusCode, 200);
        response.resume().on('end', () => resolve({ ms: performance.now() - started, reused: request.reusedSocket }));
      },
    );
    request.on('error', reject);
  });
}

describe('round trip (--round-trip-ms)', () => {
  it('answers the first request on a connection after the handshakes and the request, later ones after one round trip', async () => {
    const agent = new https.Agent({ keepAlive: true, ca: cluster.caPem });
    try {
      const first = await timedGet(agent);
      const second = await timedGet(agent);
      assert.equal(first.reused, false);
      assert.equal(second.reused, true, 'the kept-alive connection carried the second request');
      assert.ok(first.ms >= (1 + CONNECTION_SETUP_ROUND_TRIPS) * ROUND_TRIP_MS, `first answer after ${first.ms} ms`);
      assert.ok(second.ms >= ROUND_TRIP_MS, `second answer after ${second.ms} ms`);
      assert.ok(second.ms < first.ms, `a kept-alive connection skips the handshakes (${second.ms} vs ${first.ms} ms)`);
    } finally {
      agent.destroy();
    }
  });
});
