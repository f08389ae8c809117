// `sa-token lint` and `sa-token fix` as users run them: the built dist/cli.js (npm run build first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { DEFAULT_CLI_MANIFEST_LIMIT_KB, DEFAULT_MANIFEST_LIMIT_KB } from '../../../src/core/manifests/sizeLimit';
import { assertValidSarif } from './sarifSchema';

const repo = join(import.meta.dirname, '../../..');
const cli = join(repo, 'dist/cli.js');
const fixtures = join(repo, 'test/fixtures/manifests');
const fixture = (name: string, file = 'input.yaml') => join(fixtures, name, file);

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertUsageError(result: ReturnType<typeof run>, pattern: RegExp) {
  assert.equal(result.code, 2);
  assert.match(result.stderr, pattern);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, 'one line on stderr');
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'sa-token-cli-'));

before(() => assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build first'));

describe('sa-token lint', () => {
  it('prints file:line:column findings and exits 1', () => {
    const result = run('lint', fixture('sat001-pod-flush'));
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /sat001-pod-flush\/input\.yaml:15:9: error SAT001 Environment variable API_TOKEN .* \[fixable\]/,
    );
    assert.match(result.stdout, /3 problem\(s\) in 1 file\(s\)\./);
  });

  it('a document with a YAML syntax error gets that error only, no finding on the same line (issue 18 item 7)', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    // serviceAccountName sits after the error: a partial parse would read the pod as on the default account.
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p\nspec:\n  serviceAccountName: app\n  containers:\n    - name: c\n',
    );
    const result = run('lint', file);
    assert.doesNotMatch(result.stdout, /SAT006/);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /broken\.yaml:4:1: YAML syntax error: .*; the rules skip this document/);
  });

  it('prints the JSON array with 1-based positions', () => {
    const result = run('lint', '--format', 'json', fixture('sat003-expiration'));
    assert.equal(result.stderr, '');
    assert.equal(result.code, 1);
    const findings = JSON.parse(result.stdout);
    assert.deepEqual(findings[0], {
      file: fixture('sat003-expiration'),
      rule: 'SAT003',
      severity: 'error',
      line: 21,
      column: 34,
      endLine: 21,
      endColumn: 37,
      message: 'expirationSeconds 300 is below 600: the API server rejects the pod.',
      fixable: true,
    });
    assert.deepEqual(
      findings.map((f: { severity: string }) => f.severity),
      ['error', 'error', 'warning'],
    );
  });

  it('recurses into directories and exits 0 with [] when nothing is wrong', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    writeFileSync(join(dir, 'notes.txt'), 'kind: Pod\n');
    const result = run('lint', '--format', 'json', dir);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('writes SARIF 2.1.0 that code scanning accepts', () => {
    const result = run('lint', '--format', 'sarif', fixture('sat004-projected'), fixture('sat002-token-secrets'));
    assert.equal(result.code, 1);
    const log = JSON.parse(result.stdout);
    assertValidSarif(log);
    assert.equal(log.version, '2.1.0');
    const [runOf] = log.runs;
    const rules = runOf.tool.driver.rules;
    assert.deepEqual(
      rules.map((r: { id: string }) => r.id),
      [
        'SAT001',
        'SAT002',
        'SAT003',
        'SAT004',
        'SAT005',
        'SAT006',
        'SAT007',
        'SAT008',
        'SAT009',
        'SAT101',
        'SAT102',
        'SAT103',
        'SAT104',
        'SAT201',
        'SAT202',
        'SAT203',
        'SAT301',
        'SAT302',
      ],
    );
    for (const rule of rules) assert.ok(rule.shortDescription.text && rule.help.text && rule.name);
    assert.equal(runOf.results.length, 5);
    for (const res of runOf.results) {
      assert.equal(rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const { artifactLocation, region } = res.locations[0].physicalLocation;
      assert.match(artifactLocation.uri, /^test\/fixtures\/manifests\/sat00[24]-[a-z-]+\/input\.yaml$/);
      assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endLine >= region.startLine);
    }
    assert.ok(
      runOf.results.some((res: { level: string }) => res.level === 'note'),
      'info maps to note',
    );
  });

  it('matches token Secrets across all given files', () => {
    const dir = tempDir();
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: robot}\ntype: kubernetes.io/service-account-token\n';
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: robot\n  containers:\n  - name: c\n    image: x\n' +
      '    env:\n    - name: T\n      valueFrom:\n        secretKeyRef: {name: robot, key: token}\n';
    writeFileSync(join(dir, 'secret.yaml'), secret);
    writeFileSync(join(dir, 'pod.yaml'), pod);
    const rulesOf = (...paths: string[]) =>
      JSON.parse(run('lint', '--format', 'json', ...paths).stdout).map((f: { rule: string }) => f.rule);
    assert.ok(rulesOf(dir).includes('SAT001'));
    assert.ok(!rulesOf(join(dir, 'pod.yaml')).includes('SAT001'), 'alone, "robot" is not a known token Secret');
  });

  it('exits 2 with one line for missing paths, binary files, bad formats', () => {
    assertUsageError(
      run('lint', '/nonexistent/manifests'),
      /^sa-token: cannot read \/nonexistent\/manifests: no such file or directory$/m,
    );
    const dir = tempDir();
    writeFileSync(join(dir, 'blob.yaml'), Buffer.from([0, 1, 2, 3]));
    assertUsageError(run('lint', join(dir, 'blob.yaml')), /not a text file/);
    assertUsageError(run('lint', '--format', 'xml', dir), /xml/);
    assertUsageError(run('lint'), /missing required argument/);
  });
});

describe('sa-token fix', () => {
  it('prints the fixed file, byte for byte the golden output', () => {
    const result = run('fix', fixture('sat001-deployment-env'));
    assert.equal(result.code, 0);
    assert.equal(result.stdout, readFileSync(fixture('sat001-deployment-env', 'expected.yaml'), 'utf8'));
  });

  it('prints unchanged input and exits 0 when nothing needs fixing', () => {
    const result = run('fix', fixture('sat001-already-fixed'));
    assert.equal(result.code, 0);
    assert.equal(result.stdout, readFileSync(fixture('sat001-already-fixed'), 'utf8'));
  });

  it('applies only the rules asked for', () => {
    const result = run('fix', '--rule', 'SAT007', fixture('sat007-deprecated'));
    assert.equal(result.stdout, readFileSync(fixture('sat007-deprecated', 'expected.yaml'), 'utf8'));
    const none = run('fix', '--rule', 'sat003', fixture('sat007-deprecated'));
    assert.equal(none.stdout, readFileSync(fixture('sat007-deprecated'), 'utf8'));
  });

  it('refuses several files without --write, and unknown rules', () => {
    assertUsageError(run('fix', fixture('sat007-deprecated'), fixture('sat008-own-mount')), /add --write/);
    assertUsageError(run('fix', '--rule', 'SAT999', fixture('sat007-deprecated')), /unknown rule SAT999/);
  });

  it('rewrites files in place with --write, keeping their mode, leaving no temp file', () => {
    const dir = tempDir();
    const cases = ['sat001-statefulset-crlf', 'sat001-daemonset-bom', 'sat002-token-secrets'];
    for (const name of cases) copyFileSync(fixture(name), join(dir, `${name}.yaml`));
    chmodSync(join(dir, 'sat001-statefulset-crlf.yaml'), 0o640);
    const result = run('fix', '--write', dir);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /sat001-statefulset-crlf\.yaml: \d+ fix\(es\) applied/);
    assert.doesNotMatch(result.stdout, /sat002-token-secrets/, 'nothing to fix there: untouched');
    for (const name of cases) {
      assert.equal(
        readFileSync(join(dir, `${name}.yaml`), 'utf8'),
        readFileSync(fixture(name, 'expected.yaml'), 'utf8'),
      );
    }
    assert.equal(statSync(join(dir, 'sat001-statefulset-crlf.yaml')).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir).sort(), cases.map((name) => `${name}.yaml`).sort());
    const again = run('fix', '--write', dir);
    assert.equal(again.code, 0);
    assert.equal(again.stdout, '', 'second run: nothing left to fix');
  });
});

describe('the manifest size limit (--max-manifest-size, the editor setting saToken.diagnostics.maxManifestSizeKB)', () => {
  // A pod reading a legacy token (SAT001), padded past 2,048 KB with a comment: generated-file size.
  const padded = () => {
    const dir = tempDir();
    const text = readFileSync(fixture('sat001-pod-flush'), 'utf8');
    writeFileSync(join(dir, 'huge.yaml'), `${text}#${'x'.repeat(2048 * 1024)}\n`);
    copyFileSync(fixture('sat001-pod-flush'), join(dir, 'small.yaml'));
    return dir;
  };

  it('lint skips a file over the limit with one stderr line, and lints the rest', () => {
    const dir = padded();
    const result = run('lint', '--max-manifest-size', '2048', dir);
    assert.equal(result.code, 1, 'small.yaml still has findings');
    assert.equal(
      result.stderr,
      `sa-token: ${join(dir, 'huge.yaml')}: skipped: 2,049 KB is over the 2,048 KB limit for manifests, so service account token rules do not run on it (raise the limit with --max-manifest-size)\n`,
    );
    assert.doesNotMatch(result.stdout, /huge\.yaml/);
    assert.match(result.stdout, /small\.yaml:15:9: error SAT001/);
    const raised = run('lint', '--max-manifest-size', '4096', dir);
    assert.equal(raised.stderr, '');
    assert.match(raised.stdout, /huge\.yaml:15:9: error SAT001/);
  });

  it("the CLI reads a generated bundle over the editor's 2 MB by default (16 MB: Argo Rollouts' install.yaml is 3 MB)", () => {
    const dir = padded();
    const result = run('lint', dir);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /huge\.yaml:15:9: error SAT001/);
    assert.match(run('lint', '--help').stdout, /\(default: 16384\)/);
    assert.equal(DEFAULT_CLI_MANIFEST_LIMIT_KB, 16384);
  });

  it("the editor setting's default is the editor's limit", () => {
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
    };
    const setting = manifest.contributes.configuration.properties['saToken.diagnostics.maxManifestSizeKB'];
    assert.equal(setting.default, DEFAULT_MANIFEST_LIMIT_KB);
  });

  it('fix prints (or leaves) a file over the limit unchanged; a bad limit is a usage error', () => {
    const dir = padded();
    const huge = join(dir, 'huge.yaml');
    const printed = run('fix', '--max-manifest-size', '2048', huge);
    assert.equal(printed.code, 0);
    assert.equal(printed.stdout, readFileSync(huge, 'utf8'));
    assert.match(printed.stderr, /huge\.yaml: skipped: .* limit for manifests/);
    const before = readFileSync(huge, 'utf8');
    const written = run('fix', '--write', '--max-manifest-size', '2048', dir);
    assert.match(written.stdout, /small\.yaml: \d+ fix\(es\) applied/);
    assert.equal(readFileSync(huge, 'utf8'), before);
    assertUsageError(run('lint', '--max-manifest-size', '0', dir), /--max-manifest-size takes a whole number of KB/);
    assertUsageError(run('fix', '--max-manifest-size', '1.5', huge), /not 1\.5/);
  });
});

describe('sa-token lint on a mixed directory: manifests, dependency files and application code', () => {
  const MANIFEST = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: cart
  namespace: shop
  annotations:
    azure.workload.identity/client-id: 6b3c1f2a-0d4e-4f5a-9b8c-7d6e5f4a3b2c
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: cart}
    spec:
      serviceAccountName: cart
      automountServiceAccountToken: false
      containers:
        - name: cart
          image: shop/cart:1.0
          volumeMounts:
            - name: vault-token
              mountPath: /var/run/secrets/tokens
      volumes:
        - name: vault-token
          projected:
            sources:
              - serviceAccountToken: {audience: vault, path: vault-token}
`;

  function mixedDirectory(): string {
    const dir = tempDir();
    const write = (path: string, text: string) => {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    };
    write('deploy/cart.yaml', MANIFEST);
    write('requirements.txt', 'kubernetes==11.0.0\nrequests==2.31.0\n');
    write('go.mod', 'module example.com/cart\n\ngo 1.22\n\nrequire k8s.io/client-go v0.29.0\n');
    write(
      'app/main.py',
      'TOKEN = open("/var/run/secrets/tokens/vault-token").read()\n\ndef handler():\n    return TOKEN\n',
    );
    write('app/README.md', 'open("/var/run/secrets/tokens/vault-token").read()\n');
    // Vendored and installed code is someone else's.
    write('node_modules/old/package.json', '{"dependencies": {"@kubernetes/client-node": "0.8.0"}}\n');
    write('vendor/lib/requirements.txt', 'kubernetes==1.0.0\n');
    return dir;
  }

  it('reports SAT203, SAT201 and SAT202 (linked to the mount), in file order, and exits 1', () => {
    const dir = mixedDirectory();
    const result = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as { file: string; rule: string; line: number; message: string }[];
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line} ${f.rule}`),
      ['app/main.py:1 SAT202', 'deploy/cart.yaml:19 SAT203', 'requirements.txt:1 SAT201'],
    );
    const [code, identity, library] = findings;
    assert.match(code.message, /read at module level and kept/);
    assert.match(code.message, /The token is mounted by deploy\/cart\.yaml:26\.$/);
    assert.match(identity.message, /azure\.workload\.identity\/use/);
    assert.match(library.message, /^Python kubernetes 11\.0\.0 reads the service account token once/);
  });

  it('text and SARIF carry the same findings; a directory without text files is a usage error', () => {
    const dir = mixedDirectory();
    const text = spawnSync(process.execPath, [cli, 'lint', dir], { encoding: 'utf8' });
    assert.match(text.stdout, /requirements\.txt:1:11: warning SAT201 /);
    assert.match(text.stdout, /3 problem\(s\) in 3 file\(s\)\./);
    const sarifRun = spawnSync(process.execPath, [cli, 'lint', '--format', 'sarif', dir], { encoding: 'utf8' });
    const results = JSON.parse(sarifRun.stdout).runs[0].results as { ruleId: string; level: string }[];
    assert.deepEqual(results.map((r) => `${r.ruleId} ${r.level}`).sort(), [
      'SAT201 warning',
      'SAT202 note',
      'SAT203 warning',
    ]);
    const empty = tempDir();
    writeFileSync(join(empty, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    assertUsageError(run('lint', empty), /no text files in /);
  });
});

describe('sa-token lint on real-repository shapes (issue 11)', () => {
  const write = (dir: string, files: Record<string, string | Buffer>) => {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
  };
  const defaultPod = (name: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: c, image: x}]\n`;
  const json = (...args: string[]) => {
    const result = run('lint', '--format', 'json', ...args);
    return { ...result, findings: JSON.parse(result.stdout) as { file: string; rule: string; severity: string }[] };
  };

  it('gives a folder the same findings alone and next to an unrelated folder', () => {
    const dir = tempDir();
    write(dir, {
      'app/pod.yaml': defaultPod('app'),
      'app/bound.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  serviceAccountName: web\n  containers: [{name: c, image: x}]\n`,
      // Unrelated: a namespace-less default ServiceAccount with automount off, and a binding for "web".
      'other/default.yaml':
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default}\nautomountServiceAccountToken: false\n',
      'other/binding.yaml':
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nsubjects: [{kind: ServiceAccount, name: web}]\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n',
    });
    const args = ['--enable', 'SAT005'];
    const alone = json(...args, join(dir, 'app')).findings;
    const together = json(...args, join(dir, 'app'), join(dir, 'other')).findings.filter((f) =>
      f.file.startsWith(join(dir, 'app')),
    );
    assert.deepEqual(together, alone);
    assert.deepEqual(alone.map((f) => f.rule).sort(), ['SAT005', 'SAT006']);
  });

  it('takes a directory named like a scope marker for a directory (argo-cd has folders named Kustomization)', () => {
    const dir = tempDir();
    write(dir, {
      'pod.yaml': defaultPod('o'),
      'Kustomization/pod.yaml': defaultPod('p'),
      'Chart.yaml/pod.yaml': defaultPod('q'),
    });
    const result = json(dir);
    assert.equal(result.stderr, '');
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ['SAT006', 'SAT006', 'SAT006'],
    );
  });

  it('exits by --fail-on (default warning), and turns rules on, off and to another severity', () => {
    const dir = tempDir();
    write(dir, { 'pod.yaml': defaultPod('p') });
    assert.equal(run('lint', dir).code, 1, 'SAT006 is a warning');
    assert.equal(run('lint', '--fail-on', 'error', dir).code, 0);
    assert.equal(run('lint', '--fail-on', 'never', dir).code, 0);
    assert.equal(run('lint', '--disable', 'SAT006', dir).code, 0);
    assert.equal(json('--severity', 'SAT006=info', dir).findings[0].severity, 'info');
    assert.equal(run('lint', '--severity', 'SAT006=info', dir).code, 0, 'info-only findings pass at warning');
    assert.equal(run('lint', '--severity', 'SAT006=info', '--fail-on', 'info', dir).code, 1);
    assertUsageError(run('lint', '--enable', 'SAT999', dir), /unknown rule SAT999/);
  });

  it('reads .sa-token.yaml upwards from each file: rule levels, ignore globs, fix settings', () => {
    const dir = tempDir();
    write(dir, {
      '.sa-token.yaml':
        'rules:\n  SAT006: info\n  SAT007: off\nignore:\n  - "**/testdata/**"\nfix:\n  hardening: true\n',
      'deploy/pod.yaml': defaultPod('p').replace('spec:\n', 'spec:\n  serviceAccount: p\n'),
      'deploy/testdata/broken.yaml': Buffer.from([0xff, 0x00, 0x01]),
      'deploy/default.yaml': defaultPod('d'),
    });
    const result = json(join(dir, 'deploy'));
    assert.equal(result.stderr, '');
    assert.deepEqual(
      result.findings.map((f) => `${f.rule} ${f.severity}`),
      ['SAT006 info'],
    );
    const fixed = run('fix', join(dir, 'deploy', 'default.yaml'));
    assert.match(fixed.stdout, /automountServiceAccountToken: false/, 'fix.hardening from the config');
  });

  it('decodes UTF-16 with a BOM, reports an undecodable file and lints the rest, writes UTF-16 back', () => {
    const dir = tempDir();
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(defaultPod('wide').replace('spec:\n', 'spec:\n  serviceAccount: wide\n'), 'utf16le'),
    ]);
    write(dir, { 'wide.yaml': utf16, 'junk.yaml': Buffer.from([0xc3, 0x28, 0x0a]), 'pod.yaml': defaultPod('p') });
    const result = json(dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read .*junk\.yaml: not valid UTF-8 text/);
    assert.deepEqual(result.findings.map((f) => `${f.file.slice(dir.length + 1)} ${f.rule}`).sort(), [
      'pod.yaml SAT006',
      'wide.yaml SAT007',
    ]);
    run('fix', '--write', join(dir, 'wide.yaml'));
    const bytes = readFileSync(join(dir, 'wide.yaml'));
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
    assert.match(bytes.subarray(2).toString('utf16le'), /serviceAccountName: wide/);
  });

  it('lints files a kustomization names as patches as patches, and the default fix applies migrations only', () => {
    const dir = tempDir();
    write(dir, {
      'kustomization.yaml': 'resources: [deployment.yaml]\npatches:\n  - path: patch.yaml\n',
      'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      serviceAccountName: d\n      containers: [{name: c, image: x}]\n`,
      'patch.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          env: [{name: T, valueFrom: {secretKeyRef: {name: d-token-abcde, key: token}}}]\n`,
    });
    const findings = json('--enable', 'SAT005', dir).findings.map((f) => `${f.file.slice(dir.length + 1)} ${f.rule}`);
    assert.deepEqual(findings.sort(), ['deployment.yaml SAT005', 'patch.yaml SAT001']);
    run('fix', '--write', dir);
    assert.doesNotMatch(readFileSync(join(dir, 'deployment.yaml'), 'utf8'), /automountServiceAccountToken/);
    assert.match(readFileSync(join(dir, 'patch.yaml'), 'utf8'), /serviceAccountToken/);
  });
});
