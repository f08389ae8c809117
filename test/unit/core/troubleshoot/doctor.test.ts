// The troubleshooting checklist on object snapshots: what each check proves from its inputs, and `skip` without them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { diagnose, doctorKind, inputFromManifests, type DoctorInput } from '../../../../src/core/troubleshoot/doctor';
import { generateKeys, KUBELET_TOKEN_SECONDS, mintJwt, YEAR_SECONDS } from '../tokens/mint';

const NOW = new Date('2026-11-30T12:00:00Z');
const pod = (spec: Record<string, unknown>, created = '2026-11-01T00:00:00Z') => ({
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'shop', creationTimestamp: created },
  spec,
});
const sa = (extra: Record<string, unknown> = {}, created = '2026-10-01T00:00:00Z') => ({
  kind: 'ServiceAccount',
  metadata: { name: 'web', namespace: 'shop', uid: 'sa-uid', creationTimestamp: created },
  ...extra,
});
const input = (object: unknown, overrides: Partial<DoctorInput> = {}): DoctorInput => ({
  target: { kind: 'Pod', namespace: 'shop', name: 'web-0' },
  mode: 'cluster',
  object,
  serviceAccount: sa(),
  secrets: new Map(),
  for: [],
  now: NOW,
  ...overrides,
});
const statusOf = async (value: DoctorInput, id: string) => (await diagnose(value)).checks.find((c) => c.id === id)!;

describe('doctor checks', () => {
  it('every container kind is listed with its token; a manifest pod gets the admission-injected token', async () => {
    const spec = {
      serviceAccountName: 'web',
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'app' }],
      ephemeralContainers: [{ name: 'debug' }],
    };
    const check = await statusOf(input(pod(spec), { mode: 'manifests' }), 'token-mounted');
    assert.equal(check.status, 'pass');
    assert.deepEqual(
      check.evidence.map((line) => line.split(':')[0]),
      ['container app', 'init container init', 'ephemeral container debug'],
    );
  });

  it('an invalidated legacy token Secret: fail, with the cleaner deletion date one period later', async () => {
    const secret = {
      metadata: {
        name: 'web-token-abcde',
        labels: { 'kubernetes.io/legacy-token-invalid-since': '2026-06-01' },
        annotations: { 'kubernetes.io/service-account.name': 'web' },
      },
      type: 'kubernetes.io/service-account-token',
      data: { token: 'present' },
    };
    const spec = {
      serviceAccountName: 'web',
      containers: [
        { name: 'app', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'web-token-abcde', key: 'token' } } }] },
      ],
    };
    const check = await statusOf(
      input(pod(spec), {
        serviceAccount: sa({ secrets: [{ name: 'web-token-abcde' }] }),
        secrets: new Map([['web-token-abcde', secret]]),
      }),
      'legacy-token-secret',
    );
    assert.equal(check.status, 'fail');
    assert.match(check.evidence[0], /invalidated since 2026-06-01 .* deleted around 2027-06-01; auto-generated/);
  });

  it('automount: the pod decides over the ServiceAccount', async () => {
    const check = await statusOf(
      input(pod({ serviceAccountName: 'web', automountServiceAccountToken: true, containers: [{ name: 'app' }] }), {
        serviceAccount: sa({ automountServiceAccountToken: false }),
      }),
      'automount',
    );
    assert.equal(check.status, 'pass');
    assert.match(check.detail, /the pod says automountServiceAccountToken: true/);
  });

  it('offline: the cluster-only checks say skip and why; a ServiceAccount not in the manifests is unknown', async () => {
    const offline = inputFromManifests(
      { kind: 'Pod', namespace: 'shop', name: 'web-0' },
      [pod({ serviceAccountName: 'web', containers: [{ name: 'app' }] })],
      { for: ['list pods'], now: NOW },
    )!;
    const report = await diagnose(offline);
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    for (const id of ['serviceaccount-exists', 'token-request-api', 'rbac', 'signing-keys'])
      assert.equal(byId[id].status, 'skip', id);
    assert.match(byId['token-request-api'].detail, /no cluster connected/);
  });

  it('expirationSeconds under 600 fails; the kubelet default notes extended expiration', async () => {
    const projected = (seconds: number) => ({
      name: 'tok',
      projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: seconds } }] },
    });
    const spec = (seconds: number) => ({
      serviceAccountName: 'web',
      containers: [{ name: 'app' }],
      volumes: [projected(seconds)],
    });
    assert.equal((await statusOf(input(pod(spec(300))), 'expiry')).status, 'fail');
    assert.match(
      (await statusOf(input(pod(spec(3607))), 'expiry')).evidence.join(),
      /3607 s — with --service-account-extend-token-expiration .* for 365 days with warnafter at 3607 s/,
    );
  });

  // An extended (warn-only) token as the API server issues it for the kubelet: one year of exp, warnafter at 3607 s.
  const extendedToken = async (issuer: string, issued: Date) => {
    const iat = Math.floor(issued.getTime() / 1000);
    return mintJwt(await generateKeys(), {
      iss: issuer,
      sub: 'system:serviceaccount:shop:web',
      aud: [issuer],
      iat,
      nbf: iat,
      exp: iat + YEAR_SECONDS,
      'kubernetes.io': {
        namespace: 'shop',
        serviceaccount: { name: 'web', uid: 'sa-uid' },
        pod: { name: 'web-0', uid: 'pod-uid' },
        warnafter: iat + KUBELET_TOKEN_SECONDS,
      },
    });
  };
  const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

  it('a supplied token past its warnafter: accepted only through extended expiration, the app does not re-read the file', async () => {
    const token = await extendedToken('https://kubernetes.default.svc', daysBefore(20));
    const check = await statusOf(
      input(pod({ serviceAccountName: 'web', containers: [{ name: 'app' }] }), { token }),
      'expiry',
    );
    assert.equal(check.status, 'warn');
    assert.match(check.detail, /past its warnafter: .* not re-reading the rotated token file/);
    assert.match(check.evidence.join('\n'), /past its warnafter \(2026-11-10T13:00:07/);
    assert.equal(check.fix?.action, 'request-token');
  });

  it('Amazon EKS caps extended tokens at 90 days: older fails, younger says when EKS stops accepting it', async () => {
    const eks = 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF';
    const spec = { serviceAccountName: 'web', containers: [{ name: 'app' }] };
    const old = await statusOf(input(pod(spec), { token: await extendedToken(eks, daysBefore(95)) }), 'expiry');
    assert.equal(old.status, 'fail');
    assert.match(
      old.evidence.join('\n'),
      /Amazon EKS rejects extended tokens older than 90 days; this one was issued 95 days ago/,
    );
    const young = await statusOf(input(pod(spec), { token: await extendedToken(eks, daysBefore(10)) }), 'expiry');
    assert.equal(young.status, 'warn', 'past warnafter');
    assert.match(young.evidence.join('\n'), /Amazon EKS accepts it only until 2027-02-18T12:00:00.000Z, not its exp/);
    // Another issuer: no cap claimed.
    const gke = await statusOf(
      input(pod(spec), {
        token: await extendedToken('https://container.googleapis.com/v1/projects/p/x', daysBefore(95)),
      }),
      'expiry',
    );
    assert.equal(gke.status, 'warn');
    assert.doesNotMatch(gke.evidence.join('\n'), /rejects/);
  });

  it("compares audiences with the API server's (its issuer, from discovery): a supplied token for Vault is named", async () => {
    const issuer = 'https://kubernetes.default.svc.cluster.local';
    const clusterKeys = { keys: [], source: 'cluster kind', issuer };
    const keys = await generateKeys();
    const token = (aud: string[]) =>
      mintJwt(keys, {
        iss: issuer,
        sub: 'system:serviceaccount:shop:web',
        aud,
        exp: 1_900_000_000,
        iat: 1_700_000_000,
      });
    const spec = {
      serviceAccountName: 'web',
      containers: [
        { name: 'app', volumeMounts: [{ name: 'api', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] },
      ],
      // An explicit audience equal to the API server's is its own token, even at the default path.
      volumes: [
        { name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: issuer } }] } },
      ],
    };
    const vault = await statusOf(input(pod(spec), { clusterKeys, token: await token(['vault']) }), 'audience');
    assert.equal(vault.status, 'warn');
    assert.match(vault.evidence.join('\n'), /API server audience: https:\/\/kubernetes\.default\.svc\.cluster\.local/);
    assert.match(
      vault.evidence.join('\n'),
      /is for vault .*not the API server's .* unless its --api-audiences lists one/,
    );
    const own = await statusOf(input(pod(spec), { clusterKeys, token: await token([issuer]) }), 'audience');
    assert.equal(own.status, 'pass');
    assert.match(own.evidence.join('\n'), /is for the API server's audience/);
  });

  it('custom kinds as kubectl spells them (CRD short names, resource.group); a bare service is not Knative', () => {
    const typed = ['ro', 'rollouts.argoproj.io', 'Rollout', 'dc', 'wf', 'wftmpl', 'cwft', 'cronwf', 'ksvc'];
    assert.deepEqual(typed.map(doctorKind), [
      'Rollout',
      'Rollout',
      'Rollout',
      'DeploymentConfig',
      'Workflow',
      'WorkflowTemplate',
      'ClusterWorkflowTemplate',
      'CronWorkflow',
      'Service',
    ]);
    assert.deepEqual(
      ['services.serving.knative.dev', 'scaledjob', 'service', 'Service', 'podtemplate'].map(doctorKind),
      ['Service', 'ScaledJob', undefined, undefined, undefined],
    );
  });

  it("an Argo Workflow: every template container, under the workflow spec's ServiceAccount and automount", async () => {
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'build', namespace: 'shop' },
      spec: {
        serviceAccountName: 'web',
        automountServiceAccountToken: false,
        templates: [
          { name: 'a', container: { name: 'main' }, sidecars: [{ name: 'proxy' }], initContainers: [{ name: 'prep' }] },
          { name: 'b', script: { name: 'script' } },
          { name: 'c', containerSet: { containers: [{ name: 'one' }, { name: 'two' }] } },
        ],
      },
    };
    const value = inputFromManifests({ kind: 'Workflow', namespace: 'shop', name: 'build' }, [workflow, sa()], {
      for: [],
      now: NOW,
    })!;
    const report = await diagnose(value);
    const check = (id: string) => report.checks.find((entry) => entry.id === id)!;
    assert.match(check('automount').detail, /automountServiceAccountToken: false/);
    assert.deepEqual(
      check('token-mounted').evidence.map((line) => line.split(':')[0]),
      [
        'container main',
        'container proxy',
        'container script',
        'container one',
        'container two',
        'init container prep',
      ],
    );
    // Another group's Workflow is no Argo Workflow: not found in the manifests.
    const other = { ...workflow, apiVersion: 'example.com/v1' };
    assert.equal(
      inputFromManifests({ kind: 'Workflow', namespace: 'shop', name: 'build' }, [other], { for: [], now: NOW }),
      undefined,
    );
  });

  it('kinds as kubectl spells them', () => {
    assert.deepEqual(['po', 'deploy', 'deployments.apps', 'sts', 'cronjobs', 'sa', 'secret'].map(doctorKind), [
      'Pod',
      'Deployment',
      'Deployment',
      'StatefulSet',
      'CronJob',
      'ServiceAccount',
      undefined,
    ]);
  });
});

describe('doctor fix commands', () => {
  /** Runs a fix's command line in the real shell, with a kubectl that prints its arguments (and its stdin). */
  const shellRun = (command: string, cwd: string) =>
    execFileSync('sh', ['-c', `kubectl() { printf '[%s]\\n' "$@"; if [ "$1" = apply ]; then cat; fi; }\n${command}`], {
      cwd,
      encoding: 'utf8',
    });
  const fixes = async (saName: string, secretName: string) => {
    const spec = {
      serviceAccountName: saName,
      containers: [{ name: 'app', volumeMounts: [{ name: 't', mountPath: '/token' }] }],
      volumes: [{ name: 't', secret: { secretName } }],
    };
    const report = await diagnose(input(pod(spec), { serviceAccount: null, secrets: new Map([[secretName, null]]) }));
    return report.checks.flatMap((check) => (check.fix ? [check.fix] : []));
  };

  it('hostile names from a manifest or a server never reach the shell: no command line for them (shell-injection attack)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-token-doctor-shell-'));
    try {
      const hostile = await fixes(
        'web$(touch pwned-sa); touch pwned-sa2',
        "db'\nEOF\ntouch pwned-secret\n-token-abcde",
      );
      const actions = hostile.map((fix) => fix.action);
      assert.ok(actions.includes('command') && actions.includes('create-secret'), actions.join());
      for (const fix of hostile) if (fix.command) shellRun(fix.command, dir);
      assert.deepEqual(readdirSync(dir), [], 'nothing the names carried ran');
      assert.deepEqual(
        hostile.filter((fix) => fix.action !== 'rbac-scaffold').map((fix) => fix.command),
        hostile.filter((fix) => fix.action !== 'rbac-scaffold').map(() => null),
      );
      // Names Kubernetes accepts: the commands run as written, each name one argument.
      const [create, secret] = await fixes('web', 'web-token-abcde');
      assert.equal(shellRun(create.command!, dir), '[create]\n[serviceaccount]\n[web]\n[-n]\n[shop]\n');
      const applied = shellRun(secret.command!, dir);
      assert.ok(applied.startsWith('[apply]\n[-f]\n[-]\n'), applied);
      assert.deepEqual(parse(applied.slice('[apply]\n[-f]\n[-]\n'.length)), {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'web-token-abcde',
          namespace: 'shop',
          annotations: { 'kubernetes.io/service-account.name': 'web' },
        },
        type: 'kubernetes.io/service-account-token',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
