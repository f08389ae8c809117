// `npm run cluster -- --kubeconfig PATH [--port N] [--data demo|large|empty] [--scale N] [--fault MODE] [--wrong-ca]`
// Prints one line containing `ready`, the URL and the kubeconfig path once the kubeconfig is written.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { faultModes, isFaultMode, startLocalCluster, type DataSet } from './index';

const usage = `usage: npm run cluster -- --kubeconfig PATH [--port N] [--data demo|large|empty] [--scale N] [--fault ${faultModes.join('|')}] [--wrong-ca]`;

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
  return {
    kubeconfigPath: resolve(values.kubeconfig),
    port,
    data: values.data as DataSet,
    scale,
    fault: values.fault ?? null,
    wrongCa: values['wrong-ca'],
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  const cluster = await startLocalCluster({
    ...options,
    fault: options.fault && isFaultMode(options.fault) ? options.fault : null,
  });
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
