// inventory_secret_bytes_ratio: bytes on the wire to list every token Secret of the large data (10,000 at scale 1)
// the way the product lists them (metadata only: PartialObjectMetadataList, the type field selector, 500 a page),
// over the same list with whole objects (what listing with data costs, e.g. `kubectl get secrets -A -o json`).
// Both through real TLS against the local API server; bytes are exact, so one run of each is enough.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';
import { METADATA_LIST_ONLY, PAGE_SIZE } from '../../src/kube/http';
import { pending, type BenchContext, type MetricResult } from '../lib/result';

export const SECRET_BYTES_KEY = 'inventory_secret_bytes_ratio';
export const SECRET_BYTES_TARGET = { atMost: 0.3 };
const TOKEN_SECRET_SELECTOR = 'type=kubernetes.io/service-account-token';

interface Target {
  server: string;
  ca: string;
  token: string;
}

/** The current context's server, CA and bearer token of a local API server kubeconfig. */
function targetOf(kubeconfigPath: string): Target {
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    'current-context': string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { token: string } }[];
  };
  const context = config.contexts.find((entry) => entry.name === config['current-context'])?.context;
  const cluster = config.clusters.find((entry) => entry.name === context?.cluster)?.cluster;
  const user = config.users.find((entry) => entry.name === context?.user)?.user;
  if (!cluster || !user) throw new Error('the kubeconfig has no current context with a token');
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: user.token,
  };
}

function get(target: Target, path: string, accept: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.server}${path}`,
      { ca: target.ca, headers: { Authorization: `Bearer ${target.token}`, Accept: accept } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(Buffer.concat(chunks))
            : reject(new Error(`HTTP ${response.statusCode} for ${path}`)),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Every page of the token Secret list in this form: total bytes and items. */
async function listBytes(target: Target, accept: string, pageSize: number) {
  let bytes = 0;
  let items = 0;
  let continueToken = '';
  do {
    const query = new URLSearchParams({ fieldSelector: TOKEN_SECRET_SELECTOR, limit: String(pageSize) });
    if (continueToken) query.set('continue', continueToken);
    const body = await get(target, `/api/v1/secrets?${query}`, accept);
    bytes += body.length;
    const page = JSON.parse(body.toString('utf8')) as { items: unknown[]; metadata: { continue?: string } };
    items += page.items.length;
    continueToken = page.metadata.continue ?? '';
  } while (continueToken);
  return { bytes, items };
}

/** Measured against the local API server (large data) whose kubeconfig is `kubeconfigPath`. */
export async function measureSecretBytes(context: BenchContext, kubeconfigPath: string): Promise<MetricResult> {
  try {
    const target = targetOf(kubeconfigPath);
    const metadata = await listBytes(target, METADATA_LIST_ONLY, PAGE_SIZE);
    const whole = await listBytes(target, 'application/json', PAGE_SIZE);
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
    return {
      key: SECRET_BYTES_KEY,
      value: metadata.bytes / whole.bytes,
      target: SECRET_BYTES_TARGET,
      absolute: `${mib(metadata.bytes)} as metadata vs ${mib(whole.bytes)} whole for ${whole.items} token Secrets`,
      details: { metadataBytes: metadata.bytes, wholeBytes: whole.bytes, secrets: whole.items },
      invalid:
        metadata.items !== whole.items || whole.items === 0
          ? `the two lists disagree or are empty (${metadata.items} vs ${whole.items} items)`
          : undefined,
    };
  } catch (error) {
    context.log(`${SECRET_BYTES_KEY}: ${String(error)}`);
    return pending(
      SECRET_BYTES_KEY,
      SECRET_BYTES_TARGET,
      (error instanceof Error ? error.message : String(error)).split('\n')[0],
    );
  }
}
