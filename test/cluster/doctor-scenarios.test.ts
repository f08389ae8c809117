// `sa-token doctor` scenarios built with kubectl on the local API server, each breaking a pod's token the way users
// hit it, plus the offline (manifests) mode for RBAC (the local server serves no RBAC objects yet: the rbac check says
// `skip` with that reason there). The CLI is a fresh bundle of src/cli.ts run as users run it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHECK_IDS } from '../../src/core/troubleshoot/doctor';
import { generateKeys, mintBoundToken } from '../unit/core/tokens/mint';
import { buildCli, runCli } from '../unit/reliability/cli';
import { startLocalCluster, type LocalCluster } from './server/index';
import { kubectl } from './kubectl';

interface Check {
  id: string;
  status: string;
  title: string;
  detail: string;
  fix: unknown;
}

describe('sa-token doctor on broken pods (local API server, built with kubectl)', () => {
  let cluster: LocalCluster;
  let cli: string;
  let dir: string;
  const ns = 'doctor';
  const apply = async (manifest: string) => {
    const result = await kubectl(cluster.kubeconfigPath, ['apply', '-f', '-'], manifest);
    assert.equal(result.code, 0, result.stderr);
  };
  const kc = async (...args: string[]) => {
    const result = await kubectl(cluster.kubeconfigPath, args);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  const doctor = async (...args: string[]) => {
    const result = await runCli(cli, ['doctor', ...args, '--kubeconfig', cluster.kubeconfigPath, '--json']);
    assert.ok(result.status === 0 || result.status === 1, `exit ${result.status}: ${result.stderr}`);
    const report = JSON.parse(result.stdout) as { checks: Check[]; summary: Record<string, number> };
    return { status: result.status, report, check: (id: string) => report.checks.find((entry) => entry.id === id)! };
  };
  const pod = (name: string, spec: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;

  before(async () => {
    [cluster, cli] = await Promise.all([startLocalCluster({ data: 'demo' }), buildCli()]);
    dir = mkdtempSync(join(tmpdir(), 'sa-doctor-'));
    await kc('create', 'namespace', ns);
    await kc('create', 'serviceaccount', 'app', '-n', ns);
  });
  after(() => cluster.stop());

  it('the JSON shape, and exit 0 for a healthy pod', async () => {
    await apply(pod('healthy', '  serviceAccountName: app\n  containers:\n  - name: main\n    image: busybox\n'));
    const { status, report } = await doctor('pod/healthy', '-n', ns);
    assert.equal(status, 0);
    // Every check, in the order of the JSON contract (the core's CHECK_IDS).
    assert.deepEqual(
      report.checks.map((entry) => entry.id),
      CHECK_IDS,
    );
    for (const entry of report.checks) assert.deepEqual(Object.keys(entry), ['id', 'status', 'title', 'detail', 'fix']);
    assert.equal(report.summary.fail, 0);
    assert.deepEqual(Object.keys(report.summary), ['pass', 'warn', 'fail', 'skip']);
  });

  it('a pod reading a deleted legacy token Secret: legacy-token-secret fails, exit 1, fix creates the Secret', async () => {
    await apply(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-token-abcde\n  namespace: ${ns}\n  annotations:\n    kubernetes.io/service-account.name: app\ntype: kubernetes.io/service-account-token\n`,
    );
    await apply(
      pod(
        'reads-secret',
        '  serviceAccountName: app\n  containers:\n  - name: main\n    image: busybox\n    env:\n    - name: TOKEN\n      valueFrom:\n        secretKeyRef:\n          name: app-token-abcde\n          key: token\n',
      ),
    );
    await kc('delete', 'secret', 'app-token-abcde', '-n', ns);
    const { status, check } = await doctor('pod/reads-secret', '-n', ns);
    assert.equal(status, 1);
    assert.equal(check('legacy-token-secret').status, 'fail');
    assert.match(JSON.stringify(check('legacy-token-secret').fix), /create-secret/);
  });

  it('automount off with no volume: automount and token-mounted warn', async () => {
    await apply(
      pod(
        'no-token',
        '  serviceAccountName: app\n  automountServiceAccountToken: false\n  containers:\n  - name: main\n    image: busybox\n',
      ),
    );
    const { check } = await doctor('pod/no-token', '-n', ns);
    assert.equal(check('automount').status, 'warn');
    assert.match(check('automount').detail, /the pod says automountServiceAccountToken: false/);
    assert.equal(check('token-mounted').status, 'warn');
    assert.match(check('token-mounted').detail, /token file … does not exist/);
  });

  it('a custom audience at the default path: audience fails', async () => {
    await apply(
      pod(
        'vault-at-default',
        '  serviceAccountName: app\n  automountServiceAccountToken: false\n  containers:\n  - name: main\n    image: busybox\n    volumeMounts:\n    - name: vault-token\n      mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n  volumes:\n  - name: vault-token\n    projected:\n      sources:\n      - serviceAccountToken:\n          audience: vault\n          path: token\n          expirationSeconds: 3600\n',
      ),
    );
    const { check } = await doctor('pod/vault-at-default', '-n', ns);
    assert.equal(check('audience').status, 'fail');
    assert.match(check('audience').detail, /vault/);
    assert.equal(check('token-mounted').status, 'pass');
  });

  it('a recreated ServiceAccount: serviceaccount-exists fails for the older pod', async () => {
    await kc('create', 'serviceaccount', 'recreated', '-n', ns);
    await apply(
      pod('before-recreate', '  serviceAccountName: recreated\n  containers:\n  - name: main\n    image: busybox\n'),
    );
    await kc('delete', 'serviceaccount', 'recreated', '-n', ns);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await kc('create', 'serviceaccount', 'recreated', '-n', ns);
    const { status, check } = await doctor('pod/before-recreate', '-n', ns);
    assert.equal(status, 1);
    assert.equal(check('serviceaccount-exists').status, 'fail');
    assert.match(check('serviceaccount-exists').detail, /recreated/);
  });

  it('a ServiceAccount deleted under a running pod: serviceaccount-exists fails with the create command', async () => {
    await kc('create', 'serviceaccount', 'doomed', '-n', ns);
    await apply(pod('orphan', '  serviceAccountName: doomed\n  containers:\n  - name: main\n    image: busybox\n'));
    await kc('delete', 'serviceaccount', 'doomed', '-n', ns);
    const { check } = await doctor('pod/orphan', '-n', ns);
    assert.equal(check('serviceaccount-exists').status, 'fail');
    assert.match(JSON.stringify(check('serviceaccount-exists').fix), /kubectl create serviceaccount doomed -n doctor/);
    // The target itself missing is not a diagnosis: one line, exit 2.
    const result = await runCli(cli, ['doctor', 'sa/ghost', '-n', ns, '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not found/);
  });

  it('an expired token from another key: expiry and signing-keys fail', async () => {
    const keys = await generateKeys();
    const token = await mintBoundToken(keys, {
      namespace: ns,
      serviceAccount: 'app',
      issuedAt: new Date(Date.now() - 2 * 3600_000),
      lifetimeSeconds: 3600,
    });
    const file = join(dir, 'token');
    writeFileSync(file, token);
    const { check } = await doctor('pod/healthy', '-n', ns, '--token', file);
    assert.equal(check('expiry').status, 'fail');
    assert.equal(check('signing-keys').status, 'fail');
  });

  it('a token the cluster issued verifies against its keys', async () => {
    const file = join(dir, 'fresh');
    writeFileSync(file, (await kc('create', 'token', 'app', '-n', ns)).trim());
    const { check } = await doctor('pod/healthy', '-n', ns, '--token', file);
    assert.equal(check('signing-keys').status, 'pass');
    assert.notEqual(check('expiry').status, 'fail');
  });

  it("--for and --error-text: the RBAC evaluator on the cluster's RBAC objects denies an unbound ServiceAccount", async () => {
    const { check } = await doctor(
      'pod/healthy',
      '-n',
      ns,
      '--for',
      'list pods',
      '--error-text',
      `User "system:serviceaccount:${ns}:app" cannot get resource "secrets" in API group "" in the namespace "${ns}"`,
    );
    // No binding grants the ServiceAccount anything: both requests are denied, with a scaffold.
    assert.equal(check('rbac').status, 'fail');
    assert.match(JSON.stringify(check('rbac').fix), /rbac-scaffold/);
  });

  it('offline with manifests: a wrong-namespace RoleBinding is a denied RBAC request with a scaffold', async () => {
    const manifests = join(dir, 'app.yaml');
    writeFileSync(
      manifests,
      [
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: main\n        image: busybox\n`,
        `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n`,
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: shop\nrules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: [list]\n`,
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: web-reader\n  namespace: shop\nsubjects:\n- kind: ServiceAccount\n  name: web\n  namespace: default\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\n`,
      ].join('---\n'),
    );
    const result = await runCli(cli, [
      'doctor',
      'deploy/web',
      '-n',
      'shop',
      '-f',
      manifests,
      '--for',
      'list pods',
      '--json',
    ]);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { checks: Check[] };
    const rbac = report.checks.find((entry) => entry.id === 'rbac')!;
    assert.equal(rbac.status, 'fail');
    assert.match(JSON.stringify(rbac.fix), /rbac-scaffold/);
    // Offline: what needs the cluster says skip, and why.
    const tokenRequest = report.checks.find((entry) => entry.id === 'token-request-api')!;
    assert.equal(tokenRequest.status, 'skip');
    assert.match(tokenRequest.detail, /no cluster connected/);
    assert.equal(report.checks.find((entry) => entry.id === 'serviceaccount-exists')!.status, 'pass');
  });

  it('custom kinds the linter knows, offline from manifests: each pod template is read where the linter reads it', async () => {
    const manifests = join(dir, 'custom.yaml');
    const container = (indent: string) =>
      `${indent}- name: main\n${indent}  image: busybox\n${indent}  env:\n${indent}  - name: T\n${indent}    valueFrom:\n${indent}      secretKeyRef: {name: runner-token, key: token}\n`;
    const podSpec = (indent: string) =>
      `${indent}serviceAccountName: runner\n${indent}automountServiceAccountToken: false\n${indent}containers:\n${container(indent)}`;
    const workflowSpec = (indent: string) =>
      `${indent}serviceAccountName: runner\n${indent}automountServiceAccountToken: false\n${indent}templates:\n${indent}- name: main\n${indent}  container:\n${indent}    name: main\n${indent}    image: busybox\n${indent}    env:\n${indent}    - name: T\n${indent}      valueFrom:\n${indent}        secretKeyRef: {name: runner-token, key: token}\n`;
    const objects: [string, string, string][] = [
      [
        'ro/web',
        'argoproj.io/v1alpha1',
        `kind: Rollout\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${podSpec('      ')}`,
      ],
      [
        'dc/web',
        'apps.openshift.io/v1',
        `kind: DeploymentConfig\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${podSpec('      ')}`,
      ],
      [
        'ksvc/web',
        'serving.knative.dev/v1',
        `kind: Service\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${podSpec('      ')}`,
      ],
      [
        'scaledjobs.keda.sh/web',
        'keda.sh/v1alpha1',
        `kind: ScaledJob\nmetadata:\n  name: web\nspec:\n  jobTargetRef:\n    template:\n      spec:\n${podSpec('        ')}`,
      ],
      ['wf/web', 'argoproj.io/v1alpha1', `kind: Workflow\nmetadata:\n  name: web\nspec:\n${workflowSpec('  ')}`],
      [
        'workflowtemplate/web',
        'argoproj.io/v1alpha1',
        `kind: WorkflowTemplate\nmetadata:\n  name: web\nspec:\n${workflowSpec('  ')}`,
      ],
      [
        'cwft/web',
        'argoproj.io/v1alpha1',
        `kind: ClusterWorkflowTemplate\nmetadata:\n  name: web\nspec:\n${workflowSpec('  ')}`,
      ],
      [
        'cronwf/web',
        'argoproj.io/v1alpha1',
        `kind: CronWorkflow\nmetadata:\n  name: web\nspec:\n  workflowSpec:\n${workflowSpec('    ')}`,
      ],
    ];
    writeFileSync(
      manifests,
      [
        // A core Service of the same name: `ksvc/web` must still find the Knative one.
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n`,
        `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n`,
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: runner-token\n  annotations:\n    kubernetes.io/service-account.name: runner\ntype: kubernetes.io/service-account-token\n`,
        ...objects.map(([, apiVersion, body]) => `apiVersion: ${apiVersion}\n${body}`),
      ].join('---\n'),
    );
    for (const [target] of objects) {
      const result = await runCli(cli, ['doctor', target, '-n', 'shop', '-f', manifests, '--json']);
      assert.equal(result.status, 1, `${target}: ${result.stderr}`);
      const report = JSON.parse(result.stdout) as { checks: Check[] };
      const check = (id: string) => report.checks.find((entry) => entry.id === id)!;
      assert.equal(check('serviceaccount-exists').status, 'pass', target);
      assert.match(check('automount').detail, /automountServiceAccountToken: false/, target);
      assert.equal(check('automount').status, 'warn', target);
      assert.equal(check('legacy-token-secret').status, 'fail', target);
      assert.match(check('legacy-token-secret').detail, /A token Secret this pod reads is missing, empty/, target);
      assert.equal(check('token-mounted').status, 'warn', target);
      assert.match(check('token-mounted').detail, /in container main/, target);
    }
  });

  it('a custom kind the cluster does not serve: exit 2, one line naming the resource', async () => {
    for (const [target, resource] of [
      ['ro/web', 'rollouts.argoproj.io/v1alpha1'],
      ['ksvc/web', 'services.serving.knative.dev/v1'],
      ['dc/web', 'deploymentconfigs.apps.openshift.io/v1'],
    ]) {
      const result = await runCli(cli, ['doctor', target, '-n', ns, '--kubeconfig', cluster.kubeconfigPath]);
      assert.equal(result.status, 2, `${target}: ${result.stdout}`);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
      assert.ok(result.stderr.includes(`does not serve ${resource}`), result.stderr);
    }
  });

  it('usage errors exit 2 with one line', async () => {
    for (const args of [
      ['doctor', 'web'],
      ['doctor', 'secret/x'],
      // A bare `service` is the core Service, which runs no pods (a Knative Service is ksvc).
      ['doctor', 'service/web'],
      ['doctor', 'pod/Bad_Name'],
    ]) {
      const result = await runCli(cli, [...args, '--kubeconfig', cluster.kubeconfigPath]);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    }
  });
});
