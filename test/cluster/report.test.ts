// `sa-token report` over several local API servers at once, through one merged KUBECONFIG=a:b:c as users have it:
// `prod` (demo data plus a Deployment reading a missing auto-generated token Secret, an unused auto-generated token
// the cleaner is due to invalidate, and a hostile projected audience), `staging` with an admin and a restricted
// user, `offline` (nobody listening) and, in its own test, `slow` (every answer takes a minute). The JSON is
// compared with a golden file (dates and ports normalised); the other formats are checked for what they must say.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { marked } from 'marked';
import { stringify } from 'yaml';
import type { FleetReport } from '../../src/core/report/model';
import { startLocalCluster, type LocalCluster } from './server/index';

const run = promisify(execFile);
const GOLDEN = join(__dirname, '..', 'fixtures', 'report', 'fleet.json');
const HOSTILE_AUDIENCE = '<script>alert(1)</script>[x](command:workbench.action.terminal.new)';
const DAY = 24 * 3600 * 1000;

interface Entry {
  name: string;
  server: string;
  caPem: string;
  token: string;
}

/** One kubeconfig file per entry, as separate teams hand them out: merged only by KUBECONFIG. */
function writeKubeconfig(dir: string, file: string, entries: Entry[]): string {
  const path = join(dir, file);
  const yaml = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((entry) => ({
      name: entry.name,
      cluster: { server: entry.server, 'certificate-authority-data': Buffer.from(entry.caPem).toString('base64') },
    })),
    users: entries.map((entry) => ({ name: entry.name, user: { token: entry.token } })),
    contexts: entries.map((entry) => ({ name: entry.name, context: { cluster: entry.name, user: entry.name } })),
    'current-context': entries[0].name,
  });
  writeFileSync(path, yaml, { mode: 0o600 });
  return path;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function age(cluster: LocalCluster, resource: string, namespace: string, name: string, days: number): void {
  const object = cluster.store.read<{ metadata: { creationTimestamp?: string } }>(resource, namespace, name);
  if (!object) throw new Error(`${resource} ${namespace}/${name} missing`);
  object.metadata.creationTimestamp = new Date(Date.now() - days * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
  cluster.store.put(resource, object as never);
}

/** What breaks and what the cleaner will do, added to the demo data of `prod`. */
async function addProdScenario(cluster: LocalCluster): Promise<void> {
  const api = cluster.cluster;
  await api.create('namespaces', '', { metadata: { name: 'shop' } });
  // A ServiceAccount from before 1.24: its auto-generated token Secret is listed but has been deleted.
  await api.create('serviceaccounts', 'shop', {
    metadata: { name: 'checkout' },
    secrets: [{ name: 'checkout-token-k9d2x' }],
  });
  await api.create('pods', 'shop', {
    metadata: {
      name: 'checkout-6d4cf56db6-q2w8r',
      labels: { app: 'checkout', 'pod-template-hash': '6d4cf56db6' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-6d4cf56db6', uid: 'u1', controller: true },
      ],
    },
    spec: {
      serviceAccountName: 'checkout',
      containers: [
        {
          name: 'app',
          image: 'shop/checkout:1.0',
          env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'checkout-token-k9d2x', key: 'token' } } }],
        },
      ],
    },
  });
  // Unused for two years and listed in .secrets: the cleaner invalidates it on its next run.
  await api.create('serviceaccounts', 'shop', {
    metadata: { name: 'old-batch' },
    secrets: [{ name: 'old-batch-token-7hq4m' }],
  });
  await api.create('secrets', 'shop', {
    metadata: {
      name: 'old-batch-token-7hq4m',
      annotations: { 'kubernetes.io/service-account.name': 'old-batch' },
    },
    type: 'kubernetes.io/service-account-token',
  });
  await api.fillTokenSecret('shop', 'old-batch-token-7hq4m');
  age(cluster, 'secrets', 'shop', 'old-batch-token-7hq4m', 800);
  // An audience is free text: it reaches every output format.
  await api.create('pods', 'shop', {
    metadata: { name: 'exporter' },
    spec: {
      containers: [
        { name: 'exporter', image: 'shop/exporter:1.0', volumeMounts: [{ name: 'hostile', mountPath: '/var/run/x' }] },
      ],
      volumes: [
        {
          name: 'hostile',
          projected: { sources: [{ serviceAccountToken: { path: 'token', audience: HOSTILE_AUDIENCE } }] },
        },
      ],
    },
  });
}

/** Dates and timestamps (they move with the clock), ports (they move with the run). */
function normalise(report: FleetReport): unknown {
  return JSON.parse(
    JSON.stringify(report)
      .replace(/\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?/g, '<date>')
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>'),
  );
}

describe('sa-token report over several clusters (KUBECONFIG=a:b:c)', () => {
  let prod: LocalCluster;
  let staging: LocalCluster;
  let kubeconfig: string;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sa-report-'));
    [prod, staging] = await Promise.all([
      startLocalCluster({ data: 'demo', kubeconfigPath: join(dir, 'prod-own') }),
      startLocalCluster({ data: 'demo', kubeconfigPath: join(dir, 'staging-own') }),
    ]);
    await addProdScenario(prod);
    const files = [
      writeKubeconfig(dir, 'prod', [{ name: 'prod', server: prod.url, caPem: prod.caPem, token: prod.tokens.admin }]),
      writeKubeconfig(dir, 'staging', [
        { name: 'staging', server: staging.url, caPem: staging.caPem, token: staging.tokens.admin },
        { name: 'staging-restricted', server: staging.url, caPem: staging.caPem, token: staging.tokens.viewer },
      ]),
      writeKubeconfig(dir, 'offline', [
        { name: 'offline', server: `https://127.0.0.1:${await closedPort()}`, caPem: prod.caPem, token: 'unused' },
      ]),
    ];
    kubeconfig = files.join(':');
  });

  after(async () => {
    await Promise.all([prod?.stop(), staging?.stop()]);
  });

  it('reports every context: JSON as the golden file, exit 1, progress on stderr', async () => {
    const result = await cli(['report', '--all-contexts', '--format', 'json'], { KUBECONFIG: kubeconfig });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as FleetReport;
    assert.deepEqual(
      report.clusters.map((cluster) => [cluster.context, cluster.verdict, cluster.complete]),
      [
        ['prod', 'will-break', true],
        ['staging', 'ready', true],
        ['staging-restricted', 'ready', false],
        ['offline', 'unreachable', false],
      ],
    );
    assert.match(result.stderr, /checking 4 contexts, up to 4 at once/);
    assert.equal((result.stderr.match(/\[\d\/4\]/g) ?? []).length, 4, result.stderr);
    assert.match(result.stderr, /offline: unreachable/);
    const normalised = normalise(report);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(normalised, null, 2)}\n`);
    assert.deepEqual(normalised, JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('says what breaks, and when the cleaner acts, with the dates the cleaner itself would use', async () => {
    const result = await cli(['report', '--context', 'prod', '--format', 'json', '-q'], { KUBECONFIG: kubeconfig });
    const [cluster] = (JSON.parse(result.stdout) as FleetReport).clusters;
    const read = cluster.legacyTokenReads.find((entry) => entry.secret === 'checkout-token-k9d2x');
    assert.deepEqual(
      read && { workload: read.workload, kind: read.kind, state: read.secretState, breaks: read.breaks },
      { workload: 'checkout', kind: 'Deployment', state: 'missing', breaks: true },
    );
    assert.ok(
      cluster.failingChecks.some((check) => check.workload === 'checkout' && check.check === 'legacy-token-secret'),
    );
    const unused = cluster.tokenSecrets.find((entry) => entry.name === 'old-batch-token-7hq4m')!;
    // Created 800 days ago, never used: due a year and a day after creation, deleted a year and a day after that.
    const created = Date.parse(unused.createdAt!.slice(0, 10));
    assert.equal(unused.cleanup.invalidatedOnOrAfter, new Date(created + 366 * DAY).toISOString().slice(0, 10));
    assert.equal(unused.cleanup.deletedOnOrAfter, new Date(created + 2 * 366 * DAY).toISOString().slice(0, 10));
    assert.ok(cluster.reasons.some((reason) => reason.includes('checkout-token-k9d2x')));
    assert.equal(result.stderr, '');
  });

  it('renders hostile text inert in markdown and HTML, and writes -o files', async () => {
    const md = await cli(['report', '--context', 'prod', '--format', 'md', '-q'], { KUBECONFIG: kubeconfig });
    assert.ok(md.stdout.includes(HOSTILE_AUDIENCE), 'the audience is shown as it is');
    // A markdown renderer (GFM) makes no link and no element of it.
    const rendered = await marked.parse(md.stdout, { gfm: true });
    assert.doesNotMatch(rendered, /<a |<script/);
    assert.ok(rendered.includes('&lt;script&gt;alert(1)&lt;/script&gt;[x](command:workbench.action.terminal.new)'));

    const file = join(dir, 'report.html');
    const html = await cli(['report', '--context', 'prod', '--format', 'html', '-o', file], { KUBECONFIG: kubeconfig });
    assert.equal(html.stdout, '');
    assert.match(html.stderr, /wrote .*report\.html/);
    const page = readFileSync(file, 'utf8');
    assert.equal((page.match(/<script/g) ?? []).length, 0);
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;[x](command:workbench.action.terminal.new)'));
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-/);
    assert.doesNotMatch(page, /(src|href)="(?!#)|url\(|@import/);
    assert.equal((page.match(/<svg /g) ?? []).length, 3);
  });

  it('exits 0 when every selected cluster is ready, 2 on usage errors', async () => {
    const ready = await cli(['report', '--context', 'staging', '-q'], { KUBECONFIG: kubeconfig });
    assert.equal(ready.code, 0, ready.stderr);
    assert.match(ready.stdout, /✔ staging: ready to upgrade/);
    const unknown = await cli(['report', '--context', 'nope'], { KUBECONFIG: kubeconfig });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no context named "nope"/);
    const both = await cli(['report', '--context', 'prod', '--all-contexts'], { KUBECONFIG: kubeconfig });
    assert.equal(both.code, 2);
    const badPath = await cli(['report', '--context', 'prod', join(dir, 'missing.yaml')], { KUBECONFIG: kubeconfig });
    assert.equal(badPath.code, 2);
    const badConcurrency = await cli(['report', '--concurrency', '0'], { KUBECONFIG: kubeconfig });
    assert.equal(badConcurrency.code, 2);
    assert.match(badConcurrency.stderr, /--concurrency must be a positive whole number/);
    // --kubeconfig names the file instead of KUBECONFIG (here pointing nowhere).
    const flag = await cli(['report', '--kubeconfig', join(dir, 'staging'), '--all-contexts', '--format', 'json'], {
      KUBECONFIG: join(dir, 'nowhere'),
    });
    assert.equal(flag.code, 0, flag.stderr);
    assert.deepEqual(
      (JSON.parse(flag.stdout) as FleetReport).clusters.map((cluster) => [cluster.context, cluster.verdict]),
      [
        ['staging', 'ready'],
        ['staging-restricted', 'ready'],
      ],
    );
  });

  it('does not call a cluster ready when no pod could be read: unreachable, with the refusal, exit 1', async () => {
    // The demo's developer may list nothing (pods, ServiceAccounts, Secrets, RBAC, namespaces: all forbidden).
    const developer = writeKubeconfig(dir, 'developer', [
      { name: 'staging-developer', server: staging.url, caPem: staging.caPem, token: staging.tokens.developer },
    ]);
    const result = await cli(['report', '--kubeconfig', developer, '--format', 'json', '-q'], {});
    assert.equal(result.code, 1, result.stderr);
    const [cluster] = (JSON.parse(result.stdout) as FleetReport).clusters;
    assert.equal(cluster.verdict, 'unreachable');
    assert.equal(cluster.complete, false);
    assert.deepEqual(cluster.reasons, [
      'no pod could be read (forbidden: cannot list pods in any namespace): no workload could be judged with these credentials',
    ]);
    assert.ok(cluster.errors.some((error) => error.source === 'pods'));
  });

  it('adds the findings of the PATHs given: manifests and application code', async () => {
    const manifest = join(dir, 'legacy.yaml');
    writeFileSync(
      manifest,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: old\nspec:\n  containers:\n    - name: app\n      image: app\n      env:\n        - name: TOKEN\n          valueFrom:\n            secretKeyRef:\n              name: old-token-abcde\n              key: token\n',
    );
    // The token read once at import and kept: it stops working when the kubelet rotates it.
    const code = join(dir, 'client.py');
    writeFileSync(code, "TOKEN = open('/var/run/secrets/kubernetes.io/serviceaccount/token').read()\n");
    const result = await cli(['report', '--context', 'staging', '--format', 'json', '-q', manifest, code], {
      KUBECONFIG: kubeconfig,
    });
    const report = JSON.parse(result.stdout) as FleetReport;
    assert.ok(report.manifests.some((finding) => finding.rule === 'SAT001' && finding.file === manifest));
    assert.ok(
      report.manifests.some((finding) => finding.rule === 'SAT202' && finding.file === code && finding.line === 1),
      JSON.stringify(report.manifests),
    );
  });
});

describe('sa-token report: a cluster that never answers', () => {
  let slow: LocalCluster;
  let fast: LocalCluster;
  let kubeconfig: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-report-slow-'));
    [slow, fast] = await Promise.all([
      startLocalCluster({ data: 'demo', kubeconfigPath: join(dir, 'slow-own'), fault: 'latency' }),
      startLocalCluster({ data: 'demo', kubeconfigPath: join(dir, 'fast-own') }),
    ]);
    kubeconfig = [
      writeKubeconfig(dir, 'slow', [{ name: 'slow', server: slow.url, caPem: slow.caPem, token: slow.tokens.admin }]),
      writeKubeconfig(dir, 'fast', [{ name: 'fast', server: fast.url, caPem: fast.caPem, token: fast.tokens.admin }]),
    ].join(':');
  });

  after(async () => {
    await Promise.all([slow?.stop(), fast?.stop()]);
  });

  it('is reported unreachable at its timeout while the others finish', async () => {
    const started = Date.now();
    const result = await cli(['report', '--all-contexts', '--timeout', '2', '--format', 'json'], {
      KUBECONFIG: kubeconfig,
    });
    assert.ok(Date.now() - started < 30_000, 'the run does not wait for the slow server');
    const report = JSON.parse(result.stdout) as FleetReport;
    assert.deepEqual(
      report.clusters.map((cluster) => [cluster.context, cluster.verdict]),
      [
        ['slow', 'unreachable'],
        ['fast', 'ready'],
      ],
    );
    assert.match(report.clusters[0].errors[0].message, /no answer within 2 s/);
    assert.equal(result.code, 1);
  });
});
