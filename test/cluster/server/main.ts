// `npm run cluster -- --kubeconfig PATH [--port N] [--data demo|large|empty] [--scale N] [--fault MODE] [--wrong-ca]
//   [--legacy-service-account-token-clean-up-period DURATION] [--round-trip-ms N] [--demo-tokens FILE]`
// Prints one line containing `ready`, the URL and the kubeconfig path once the kubeconfig is written.
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { demoWorkspaceTokens } from './data/demo';
import { faultModes, isFaultMode, startLocalCluster, type DataSet } from './index';

const usage = `usage: npm run cluster -- --kubeconfig PATH [--port N] [--data demo|large|empty] [--scale N] [--fault ${faultModes.join('|')}] [--wrong-ca] [--legacy-service-account-token-clean-up-period DURATION] [--round-trip-ms N] [--demo-tokens FILE]`;

function fail(message: string): never {
  process.stderr.write(`sa-demo cluster: ${message} (${usage})\n`);
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        kubeconfig: { type: 'string' },
        port: { type: 'string', default: '0' },
        data: { type: 'string', default: 'demo' },
        scale: { type: 'string', default: '1' },
        fault: { type: 'string' },
        'wrong-ca': { type: 'boolean', default: false },
        'legacy-service-account-token-clean-up-period': { type: 'string' },
        'round-trip-ms': { type: 'string', default: '0' },
        // The demo workspace's tokens, minted by this cluster (JSON, written before `ready`); needs --data demo.
        'demo-tokens': { type: 'string' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const port = Number(values.port);
  const scale = Number(values.scale);
  if (!values.kubeconfig) fail('--kubeconfig PATH is required');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got "${values.port}"`);
  if (!['demo', 'large', 'empty'].includes(values.data))
    fail(`--data must be demo, large or empty, got "${values.data}"`);
  if (!(scale > 0 && scale <= 10)) fail(`--scale must be a number in (0, 10], got "${values.scale}"`);
  if (values.fault !== undefined && !isFaultMode(values.fault)) fail(`unknown --fault "${values.fault}"`);
  const roundTripMs = Number(values['round-trip-ms']);
  if (!Number.isInteger(roundTripMs) || roundTripMs < 0 || roundTripMs > 10_000)
    fail(`--round-trip-ms must be 0..10000, got "${values['round-trip-ms']}"`);
  const cleanUpPeriod = values['legacy-service-account-token-clean-up-period'];
  const cleanUpSeconds = cleanUpPeriod === undefined ? undefined : goDurationSeconds(cleanUpPeriod);
  if (cleanUpSeconds !== undefined && !(cleanUpSeconds > 0))
    fail(
      `--legacy-service-account-token-clean-up-period must be a positive duration like 8760h, got "${cleanUpPeriod}"`,
    );
  if (values['demo-tokens'] !== undefined && values.data !== 'demo') fail('--demo-tokens needs --data demo');
  return {
    kubeconfigPath: resolve(values.kubeconfig),
    port,
    data: values.data as DataSet,
    scale,
    fault: values.fault ?? null,
    wrongCa: values['wrong-ca'],
    legacyTokenCleanUpPeriodSeconds: cleanUpSeconds,
    roundTripMs,
    demoTokensPath: values['demo-tokens'] === undefined ? undefined : resolve(values['demo-tokens']),
  };
}

/** The h/m/s subset of Go's time.ParseDuration that kube-controller-manager's flag takes (e.g. 8760h0m0s). */
function goDurationSeconds(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') return NaN;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  const cluster = await startLocalCluster({
    ...options,
    fault: options.fault && isFaultMode(options.fault) ? options.fault : null,
  });
  if (options.demoTokensPath) {
    const demo = { ...(await demoWorkspaceTokens(cluster.cluster)), server: cluster.url, caPem: cluster.caPem };
    // Throwaway tokens of a throwaway cluster, for the demo workspace; only its owner may read the file.
    await writeFile(options.demoTokensPath, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  }
  const counts = ['namespaces', 'serviceaccounts', 'secrets', 'pods'].map(
    (resource) => `${cluster.store.count(resource)} ${resource}`,
  );
  process.stdout.write(
    `sa-demo cluster ready on ${cluster.url} port ${cluster.port} kubeconfig ${cluster.kubeconfigPath} (${counts.join(', ')}; ${Date.now() - started} ms)\n`,
  );
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // npm may die of a signal without passing it on: never outlive the process that started us.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop(), 1000).unref();
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
