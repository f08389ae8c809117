// No network request goes anywhere but the configured cluster. A `--require` hook records every socket connect
// (http, https, tls, net, fetch all end in net.Socket#connect) and every DNS lookup. The CLI runs its flows under the
// hook; the cluster operations the extension uses run in this process under the same hook. Tokens in play name
// other hosts (iss, jku, x5u): none of them may be contacted.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectToken, isTokenError } from '../../../src/core/tokens/inspect';
import { parseKeys, verifySignature } from '../../../src/core/tokens/verify';
import { connect } from '../../../src/kube/index';
import { startLocalCluster, type LocalCluster } from '../../cluster/server/index';
import { generateKeys, mintJwt, type TestKeys } from '../core/tokens/mint';
import { buildCli, runCli } from './cli';
import { figures } from './figures';

const run = figures('network');
const work = mkdtempSync(join(tmpdir(), 'sa-token-network-'));
const HOOK = `
const net = require('node:net');
const dns = require('node:dns');
const fs = require('node:fs');
const log = (globalThis.__saTokenNetworkLog = globalThis.__saTokenNetworkLog || []);
const record = (entry) => {
  log.push(entry);
  if (process.env.SA_TOKEN_NETWORK_LOG) fs.appendFileSync(process.env.SA_TOKEN_NETWORK_LOG, entry + '\\n');
};
const describe = (args) => {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') return first.path ? 'pipe ' + first.path : 'connect ' + (first.host || 'localhost') + ':' + first.port;
  if (typeof first === 'string' && !/^\\d+$/.test(first)) return 'pipe ' + first;
  return 'connect ' + (typeof args[1] === 'string' ? args[1] : 'localhost') + ':' + first;
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  record(describe(args));
  return connect.apply(this, args);
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  const original = dns[name];
  dns[name] = function (host, ...rest) {
    record('dns ' + host);
    return original.call(this, host, ...rest);
  };
}
`;
const hookPath = join(work, 'network-hook.cjs');
/** Hosts named inside the tokens of this test: contacting any of them would be following attacker input. */
const FOREIGN_HOSTS = [
  'issuer.attacker.example',
  'keys.attacker.example',
  'certs.attacker.example',
  'kubernetes.default.svc',
];

let cluster: LocalCluster;
let cli: string;
let keys: TestKeys;
let hostileToken: string;
let clusterAddress: string;

before(async () => {
  writeFileSync(hookPath, HOOK);
  keys = await generateKeys();
  [cli, cluster, hostileToken] = await Promise.all([
    buildCli(),
    startLocalCluster({ data: 'demo', tokenControllerDelayMs: 0 }),
    mintJwt(
      keys,
      { iss: 'https://issuer.attacker.example', sub: 'system:serviceaccount:default:default' },
      { jku: 'https://keys.attacker.example/jwks', x5u: 'https://certs.attacker.example/c.pem' },
    ),
  ]);
  clusterAddress = `connect 127.0.0.1:${cluster.port}`;
  writeFileSync(join(work, 'key.pem'), keys.publicPem);
  writeFileSync(
    join(work, 'manifest.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, envFrom: [{secretRef: {name: default-token-abcde}}]}]\n',
  );
});
after(() => cluster.stop());

/** The destinations a CLI run contacted, in order. */
async function cliDestinations(args: string[], stdin = ''): Promise<string[]> {
  const log = join(work, `log-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, '');
  const result = await runCli(cli, args, {
    stdin,
    nodeArgs: ['--require', hookPath],
    env: { ...process.env, SA_TOKEN_NETWORK_LOG: log },
    cwd: work,
  });
  assert.ok(result.status === 0 || result.status === 1, `${args[0]} ran: ${result.stderr}`);
  run.cases();
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

function assertOnlyCluster(destinations: string[]): void {
  for (const destination of destinations)
    assert.equal(destination, clusterAddress, `unexpected destination ${destination}`);
  for (const host of FOREIGN_HOSTS) assert.ok(!destinations.some((entry) => entry.includes(host)));
}

describe('reliability: network destinations', () => {
  it('decode (with a key file), lint and fix contact nothing at all', async () => {
    assert.deepEqual(await cliDestinations(['decode', '--key', 'key.pem', '--json'], hostileToken), []);
    assert.deepEqual(await cliDestinations(['lint', '--format', 'sarif', 'manifest.yaml']), []);
    assert.deepEqual(await cliDestinations(['fix', 'manifest.yaml']), []);
  });

  it('inventory contacts only the configured cluster', async () => {
    const destinations = await cliDestinations(['inventory', '--kubeconfig', cluster.kubeconfigPath, '--json']);
    assert.ok(destinations.length > 0, 'the hook saw the cluster connection');
    assertOnlyCluster(destinations);
  });

  it('every cluster operation of the extension, and verifying hostile tokens, contacts only the configured cluster', async () => {
    createRequire(import.meta.url)(hookPath);
    const log = (globalThis as { __saTokenNetworkLog?: string[] }).__saTokenNetworkLog ?? [];
    log.length = 0;
    const report = inspectToken(hostileToken);
    assert.ok(!isTokenError(report) && report.issuer === 'https://issuer.attacker.example');
    await verifySignature(hostileToken, await parseKeys(keys.publicPem, 'key.pem'));
    assert.deepEqual(log, [], 'decoding and verifying a token with iss/jku/x5u URLs contacts nothing');

    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 5000 });
    try {
      await connection.inventory();
      const jwks = await connection.fetchIssuerKeys();
      assert.ok('jwks' in jwks, JSON.stringify(jwks));
      const requested = await connection.requestToken('default', 'default', { expirationSeconds: 600 });
      await verifySignature(requested, await parseKeys(JSON.stringify(jwks.jwks), 'cluster'));
      await connection.tokenReview(requested);
      await connection.tokenReview(hostileToken);
      const created = await connection.createTokenSecret('default', 'default', { timeoutMs: 5000 });
      await connection.readSecretToken('default', created.secretName);
      await connection.getObjectYaml('Secret', 'default', created.secretName);
      await connection.deleteSecret('default', created.secretName);
    } finally {
      connection.close();
    }
    assert.ok(log.length > 0, 'the hook saw the cluster connection');
    assertOnlyCluster(log);
    run.cases(10);
  });
});
