// The product's inventory on what real clusters do (issue 10 item 8, issue 12): token Secrets are listed and watched
// as metadata only (their data is fetched one Secret at a time, on Decode/Copy/Check); a user who may not list
// namespaces (the usual restricted user) still gets an inventory of the namespaces the kubeconfig names; the
// legacy token cleanup dates use the tracking ConfigMap's `since`.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { connect } from '../../src/kube/index';
import { KubeHttp, METADATA_LIST_ONLY, METADATA_ONLY, type KubeRequest } from '../../src/kube/http';
import { developerContext, startLocalCluster, type LocalCluster } from './server/index';
import { kubectl } from './kubectl';

let cluster: LocalCluster;
const run = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);

before(async () => {
  cluster = await startLocalCluster({ data: 'demo' });
});
after(() => cluster.stop());

/** Records the Accept header of every request the product sends for `path` (lists, gets and watches alike). */
function recordAccepts(pathPart: string): { accepts: string[]; restore(): void } {
  const accepts: string[] = [];
  const original = KubeHttp.prototype.open;
  KubeHttp.prototype.open = function (this: KubeHttp, request: KubeRequest, reading: 'buffered' | 'stream') {
    if (request.path.includes(pathPart)) accepts.push(request.accept ?? 'application/json');
    return original.call(this, request, reading);
  };
  return { accepts, restore: () => (KubeHttp.prototype.open = original) };
}

/**
 * Records every byte the local API server (in this process) sends in answer to the product's requests (not kubectl's)
 * whose path holds `pathPart`: what crossed the wire to the product, whatever its client asked for.
 */
function recordAnswers(pathPart: string): { bytes(): string; restore(): void } {
  const chunks: Buffer[] = [];
  const { write, end } = ServerResponse.prototype;
  const record = (response: ServerResponse, chunk: unknown) => {
    const request = response.req;
    if (!request?.url?.includes(pathPart) || request.headers['user-agent']?.startsWith('kubectl')) return;
    if (chunk === undefined || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  };
  ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    record(this, chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  };
  ServerResponse.prototype.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    record(this, chunk);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  };
  return {
    bytes: () => Buffer.concat(chunks).toString('utf8'),
    restore: () => Object.assign(ServerResponse.prototype, { write, end }),
  };
}

/** Every token Secret, whole, as kubectl gets it (the oracle for what the product must not fetch in a list). */
async function tokenSecretsByKubectl(): Promise<{
  items: { metadata: { namespace: string; name: string }; data?: { token?: string } }[];
}> {
  const args = ['get', 'secrets', '-A', '--field-selector', 'type=kubernetes.io/service-account-token', '-o', 'json'];
  return JSON.parse((await run(args)).stdout);
}

describe('token Secrets as metadata only (issue 10 item 8)', () => {
  it("listing and watching namespaces brings no token Secret's data over the wire; one Decode brings one (secret-harvest attack)", async () => {
    const listed = await tokenSecretsByKubectl();
    const populated = listed.items.filter((item) => item.data?.token);
    assert.ok(populated.length >= 2, 'the demo data holds populated token Secrets');
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 15_000 });
    const wire = recordAnswers('/secrets');
    const stop = new AbortController();
    try {
      const inventory = await connection.inventory();
      assert.ok(inventory.serviceAccounts.some((account) => account.tokenSecrets.some((secret) => secret.populated)));
      // A token Secret made while the namespace is watched: the watch tells it populated, without its data.
      const namespace = populated[0].metadata.namespace;
      const events: { name: string; populated: boolean }[] = [];
      await connection.watch('secrets', {
        namespace,
        signal: stop.signal,
        onEvent: (_type, secret) => events.push({ name: secret.name, populated: secret.populated }),
        onClose: () => undefined,
      });
      const made = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token' };
      const annotations = { 'kubernetes.io/service-account.name': 'default' };
      await run(
        ['create', '-n', namespace, '-f', '-'],
        stringify({ ...made, metadata: { name: 'harvest', annotations } }),
      );
      const seen = () => events.some((event) => event.name === 'harvest' && event.populated);
      const deadline = Date.now() + 5000;
      while (!seen() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(seen(), JSON.stringify(events));
      const harvest = JSON.parse((await run(['get', 'secret', '-n', namespace, 'harvest', '-o', 'json'])).stdout) as {
        metadata: { namespace: string; name: string };
        data?: { token?: string };
      };
      assert.ok(harvest.data?.token, 'the token controller populated it');
      populated.push(harvest);
      const bytes = wire.bytes();
      assert.ok(bytes.length > 0, 'the answers were recorded');
      for (const item of populated)
        assert.ok(
          !bytes.includes(item.data!.token!),
          `${item.metadata.namespace}/${item.metadata.name}'s token crossed`,
        );
      // The one Secret the user asks for is the one whose data crosses.
      const token = await connection.readSecretToken(populated[1].metadata.namespace, populated[1].metadata.name);
      assert.equal(Buffer.from(populated[1].data!.token!, 'base64').toString('utf8'), token);
      const after = wire.bytes();
      assert.ok(after.includes(populated[1].data!.token!));
      for (const item of populated.filter((other) => other !== populated[1]))
        assert.ok(
          !after.includes(item.data!.token!),
          `${item.metadata.namespace}/${item.metadata.name}'s token crossed`,
        );
    } finally {
      stop.abort();
      wire.restore();
      connection.close();
    }
  });

  it('lists them as PartialObjectMetadataList and still tells populated from empty, as kubectl sees the data', async () => {
    const spy = recordAccepts('/secrets');
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 15_000 });
    try {
      const inventory = await connection.inventory();
      assert.deepEqual([...new Set(spy.accepts)], [METADATA_LIST_ONLY]);
      const listed = await tokenSecretsByKubectl();
      const populated = new Map(
        inventory.serviceAccounts.flatMap((account) =>
          account.tokenSecrets.map((secret) => [`${secret.namespace}/${secret.name}`, secret.populated]),
        ),
      );
      assert.equal(populated.size, listed.items.length);
      for (const item of listed.items)
        assert.equal(populated.get(`${item.metadata.namespace}/${item.metadata.name}`), Boolean(item.data?.token));
    } finally {
      spy.restore();
      connection.close();
    }
  });

  it('watches them as PartialObjectMetadata: a new token Secret arrives without its data', async () => {
    const spy = recordAccepts('/secrets');
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 15_000 });
    const stop = new AbortController();
    try {
      const seen: { name: string; populated: boolean }[] = [];
      await connection.watch('secrets', {
        namespace: 'modern-app',
        signal: stop.signal,
        onEvent: (_type, secret) => seen.push({ name: secret.name, populated: secret.populated }),
        onClose: () => undefined,
      });
      await run(
        ['create', '-n', 'modern-app', '-f', '-'],
        stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/service-account-token',
          metadata: { name: 'watched-token', annotations: { 'kubernetes.io/service-account.name': 'web' } },
        }),
      );
      const deadline = Date.now() + 5000;
      while (!seen.some((event) => event.name === 'watched-token' && event.populated) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(
        seen.some((event) => event.name === 'watched-token' && event.populated),
        JSON.stringify(seen),
      );
      assert.ok(spy.accepts.includes(METADATA_ONLY), spy.accepts.join(' | '));
    } finally {
      stop.abort();
      spy.restore();
      connection.close();
    }
  });
});

describe('a user who may not list namespaces (issue 12)', () => {
  before(async () => {
    // The developer works in dev-team (bound there only) and its kubeconfig context says so.
    await run(['create', 'namespace', 'dev-team']);
    await run(['create', 'serviceaccount', 'builder', '-n', 'dev-team']);
    // kubectl create role/rolebinding send protobuf bodies this server does not decode for RBAC: manifests instead.
    const rbac = 'rbac.authorization.k8s.io';
    const manifests = [
      {
        apiVersion: `${rbac}/v1`,
        kind: 'Role',
        metadata: { name: 'developer', namespace: 'dev-team' },
        rules: [
          { apiGroups: [''], resources: ['serviceaccounts', 'secrets', 'pods'], verbs: ['get', 'list', 'watch'] },
        ],
      },
      {
        apiVersion: `${rbac}/v1`,
        kind: 'RoleBinding',
        metadata: { name: 'developer', namespace: 'dev-team' },
        roleRef: { apiGroup: rbac, kind: 'Role', name: 'developer' },
        subjects: [{ apiGroup: rbac, kind: 'User', name: 'demo-developer' }],
      },
    ];
    for (const manifest of manifests) {
      const created = await run(['create', '-f', '-'], stringify(manifest));
      assert.equal(created.code, 0, created.stderr);
    }
    const config = parse(readFileSync(cluster.kubeconfigPath, 'utf8')) as {
      contexts: { name: string; context: { namespace?: string } }[];
    };
    const context = config.contexts.find((entry) => entry.name === developerContext);
    if (context) context.context.namespace = 'dev-team';
    writeFileSync(cluster.kubeconfigPath, stringify(config), { mode: 0o600 });
  });

  it('gets the 403 Kubernetes gives for listing namespaces (kubectl)', async () => {
    const result = await run(['get', 'namespaces', '--context', developerContext]);
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /namespaces is forbidden: User "demo-developer" cannot list resource "namespaces" in API group "" at the cluster scope/,
    );
  });

  it("the inventory falls back to the kubeconfig's namespaces and says so", async () => {
    const connection = await connect({
      kubeconfigPath: cluster.kubeconfigPath,
      context: developerContext,
      timeoutMs: 15_000,
    });
    try {
      const choice = await connection.namespaceChoice();
      assert.deepEqual(choice.names, ['dev-team', 'default']);
      assert.match(choice.note ?? '', /cannot list namespaces; showing the namespaces your kubeconfig names/);
      const inventory = await connection.inventory();
      assert.ok(
        inventory.serviceAccounts.some((account) => account.namespace === 'dev-team' && account.name === 'builder'),
        JSON.stringify(inventory.serviceAccounts.map((account) => `${account.namespace}/${account.name}`)),
      );
      assert.ok(
        inventory.errors.some((error) => error.resource === 'namespaces' && /dev-team, default/.test(error.reason)),
      );
      // Tracking's start lives in kube-system, which this user may not read: no date rather than a failure.
      assert.equal(inventory.legacyTokenTrackingSince, null);
    } finally {
      connection.close();
    }
  });

  it("an administrator's inventory carries the tracking ConfigMap's since-date", async () => {
    const connection = await connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 15_000 });
    try {
      assert.equal((await connection.inventory()).legacyTokenTrackingSince, '2023-05-01');
    } finally {
      connection.close();
    }
  });
});
