// YAML aliases: resolved through one anchor map per document, exactly as `Alias.resolve` would, so that thousands
// of aliases cost one walk instead of one walk each (issue 10, item 3: 8,000 aliases took ~11 s) — in the linter and
// when a manifest is read as plain data.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { Alias, isAlias, parseAllDocuments, visit } from 'yaml';
import { allowedAliasRatio } from '../../../../src/core/manifests/aliasing';
import { fixAll } from '../../../../src/core/manifests/fix';
import { lintManifest, parseProblems } from '../../../../src/core/manifests/lint';
import { aliasTarget, documentValue, parseYaml, parseYamlValues } from '../../../../src/core/manifests/nodes';
import { indexWorkspaceFile } from '../../../../src/core/manifests/workspace';

/** A Deployment whose container reads a legacy token, with `count` aliases in its args and env. */
function aliasHeavyDeployment(count: number): string {
  const args = Array.from({ length: count - 100 }, () => '*image').join(', ');
  const env = Array.from({ length: 100 }, (_, i) => `{name: E${i}, value: *image}`).join(', ');
  return (
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n' +
    '      serviceAccountName: app\n      containers:\n      - name: app\n        image: &image nginx\n' +
    `        args: [${args}]\n        env: [${env}]\n` +
    '        envFrom:\n        - secretRef: {name: app-token-abcde}\n'
  );
}

describe('YAML aliases', () => {
  let resolveCalls = 0;
  const originalResolve = Alias.prototype.resolve;
  beforeEach(() => {
    resolveCalls = 0;
    Alias.prototype.resolve = function countedResolve(this: Alias, ...args: Parameters<Alias['resolve']>) {
      resolveCalls++;
      return originalResolve.apply(this, args);
    };
  });
  afterEach(() => {
    Alias.prototype.resolve = originalResolve;
  });

  it('8,000 aliases in one document are resolved in one walk, not one walk per alias (alias-flood attack)', () => {
    const text = aliasHeavyDeployment(8000);
    const started = performance.now();
    const findings = lintManifest(text);
    const ms = performance.now() - started;
    assert.deepEqual(parseProblems(text), []);
    assert.ok(findings.some((finding) => finding.rule === 'SAT001'));
    // Alias.resolve walks the whole document on each call: once per alias made linting quadratic.
    assert.ok(resolveCalls <= 1, `Alias.resolve walked the document ${resolveCalls} times`);
    // Printed for the README, not asserted (timings are the bench's).
    console.log(`aliases: 8,000 in one document linted in ${ms.toFixed(0)} ms, ${resolveCalls} Alias.resolve walks`);
  });

  it('a Role with 16,000 aliases is indexed for the workspace without a walk per alias (alias-flood attack)', () => {
    const lines = ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata: {name: reader, namespace: a}'];
    lines.push('rules:', '- apiGroups: [""]', '  resources: &resources [pods]', '  verbs: [get]', 'x:');
    for (let i = 0; i < 16_000; i++) lines.push(`  - &a${i} v${i}`, `  - *a${i}`);
    lines.push('more:', '- apiGroups: [""]', '  resources: *resources');
    const started = performance.now();
    const { roles } = indexWorkspaceFile(lines.join('\n'));
    const ms = performance.now() - started;
    assert.deepEqual(
      roles?.map((role) => [role.name, role.rules]),
      [['reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: [], nonResourceURLs: [] }]]],
    );
    // yaml's toJS, which the index used, resolved every alias with Alias.resolve (16,000 took ~14 s).
    assert.equal(resolveCalls, 0);
    console.log(`aliases: a Role with 16,000 aliases indexed in ${ms.toFixed(0)} ms`);
  });

  it('finds the same node as Alias.resolve: the last anchor of that name before the alias', () => {
    const name = fc.constantFrom('a', 'b');
    const value: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('x', '1', 'true'),
        name.map((anchor) => `*${anchor}`),
        fc.tuple(name, tie('value')).map(([anchor, inner]) => `&${anchor} [${inner}]`),
        fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
        fc
          .array(fc.tuple(fc.constantFrom('k', 'l', 'm'), tie('value')), { maxLength: 3 })
          .map((pairs) => `{${pairs.map(([key, inner]) => `${key}: ${inner}`).join(', ')}}`),
      ),
    })).value;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), (values) => {
        const text = values.map((item, i) => `key${i}: ${item}`).join('\n');
        for (const doc of parseAllDocuments(text)) {
          visit(doc, {
            Alias(_key, alias) {
              assert.equal(aliasTarget(doc, alias), originalResolve.call(alias, doc), `${alias.source} in ${text}`);
            },
          });
        }
      }),
      { seed: 20240301, numRuns: 300 },
    );
  });

  it('keeps reporting an alias without an anchor before it', () => {
    assert.equal(parseProblems('a: *later\nb: &later 1\n').length, 1);
    const [doc] = parseAllDocuments('a: &x 1\nb: *x\n');
    let resolved: unknown;
    visit(doc, { Alias: (_key, alias) => void (resolved = isAlias(alias) && aliasTarget(doc, alias)) });
    assert.equal((resolved as { value?: unknown }).value, 1);
  });
});

/**
 * The nested alias bomb: `count` containers listed by alias, each with `count` env entries by alias (every one reading
 * a legacy token Secret). Its text grows with `count`, what a reader that follows aliases visits with `count`².
 */
function nestedAliasBomb(count: number): string {
  const env = Array.from(
    { length: count },
    (_, i) => `{name: E${i}, valueFrom: {secretKeyRef: {name: app-token-abcde, key: token}}}`,
  ).join(', ');
  return (
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx:\n' +
    `  env: &env [${env}]\n  container: &c {name: c, image: nginx, env: *env}\n` +
    `spec:\n  containers: [${Array.from({ length: count }, () => '*c').join(', ')}]\n`
  );
}

/** Whether the real kubectl refuses the file for its aliases (client-side decode; the server is never reached). */
function kubectlRefuses(text: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'sa-alias-'));
  try {
    writeFileSync(join(dir, 'bomb.yaml'), text);
    const result = spawnSync(
      'kubectl',
      [
        'create',
        '--dry-run=client',
        '--validate=false',
        '-o',
        'name',
        '--server=https://127.0.0.1:9',
        '-f',
        'bomb.yaml',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(dir, 'none') }, timeout: 60_000 },
    );
    assert.equal(result.error, undefined, 'kubectl must be on PATH');
    return /excessive aliasing|value contains itself/.test(result.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('YAML alias bombs: refused where Kubernetes refuses them (go-yaml decode.go, allowedAliasRatio)', () => {
  it('nested alias bomb (2,000 containers by alias × 2,000 env entries by alias): one parse problem, nothing read', () => {
    const text = nestedAliasBomb(2000);
    const started = performance.now();
    const problems = parseProblems(text);
    console.log(
      `aliases: a ${Math.round(text.length / 1024)} KB nested alias bomb refused in ${(performance.now() - started).toFixed(0)} ms`,
    );
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(
      problems[0].message,
      /Excessive aliasing: expanding \*c here .*"document contains excessive aliasing"/,
    );
    assert.equal(text.slice(problems[0].start, problems[0].end), '*c');
    // The reader never walks the expansion: no finding (there would be one per container), no index entry, no fix.
    assert.deepEqual(lintManifest(text), []);
    assert.equal(fixAll(text).text, text);
    assert.deepEqual(indexWorkspaceFile(text).serviceAccounts, []);
  });

  it('draws the line exactly where kubectl does (108 containers pass, 109 are refused)', () => {
    for (const count of [30, 107, 108, 109, 120]) {
      const text = nestedAliasBomb(count);
      const refused = parseProblems(text).some((problem) => problem.message.startsWith('Excessive aliasing'));
      assert.equal(refused, kubectlRefuses(text), `${count} containers`);
      // Below the line the document is read as before: one SAT001 per container reading the token.
      if (!refused) assert.ok(lintManifest(text).filter((finding) => finding.rule === 'SAT001').length >= 1);
    }
  });

  it('an anchor that contains its own alias is refused, as kubectl does ("anchor \'s\' value contains itself")', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: &s {containers: [{name: c, <<: *s}]}\n';
    const [problem] = parseProblems(text);
    assert.match(problem.message, /Alias \*s is inside its own anchor/);
    assert.ok(kubectlRefuses(text));
    assert.deepEqual(lintManifest(text), []);
  });

  it('merge-key bomb (9 levels, each merging the one below 6 times): refused, not walked 6⁸ times', () => {
    const lines = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'x:', '  m0: &m0 {a: 1, b: 2}'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `  m${i}: &m${i} {<<: [${Array(6)
          .fill(`*m${i - 1}`)
          .join(', ')}]}`,
      );
    lines.push('spec:', '  <<: *m8', '  containers: [{name: c, <<: *m8}]');
    const text = `${lines.join('\n')}\n`;
    assert.match(parseProblems(text)[0]?.message ?? '', /Excessive aliasing/);
    assert.ok(kubectlRefuses(text));
  });

  it("allowedAliasRatio is go-yaml's: 99% up to 400,000 decodes, 10% from 4,000,000, linear between", () => {
    assert.equal(allowedAliasRatio(1000), 0.99);
    assert.equal(allowedAliasRatio(400_000), 0.99);
    assert.ok(Math.abs(allowedAliasRatio(2_200_000) - 0.545) < 1e-12);
    assert.equal(allowedAliasRatio(4_000_000), 0.1);
    assert.equal(allowedAliasRatio(9_000_000), 0.1);
  });
});

describe('manifest documents as plain data (the doctor, the RBAC commands, the diagnose view)', () => {
  it('16,000 anchors, each aliased once, are read without a scan of the anchors per alias (alias-flood attack)', () => {
    const lines = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'x:'];
    for (let i = 0; i < 16_000; i++) lines.push(`  - &a${i} v${i}`, `  - *a${i}`);
    const originalResolve = Alias.prototype.resolve;
    let resolveCalls = 0;
    Alias.prototype.resolve = function countedResolve(this: Alias, ...args: Parameters<Alias['resolve']>) {
      resolveCalls++;
      return originalResolve.apply(this, args);
    };
    try {
      const started = performance.now();
      const { values, skipped } = parseYamlValues(lines.join('\n'));
      const ms = performance.now() - started;
      assert.deepEqual(skipped, []);
      const x = (values[0] as { x: string[] }).x;
      assert.equal(x.length, 32_000);
      assert.deepEqual(x.slice(-2), ['v15999', 'v15999']);
      // yaml's toJS resolves each alias by scanning every anchor and alias before it: 16,000 took ~15 s.
      assert.equal(resolveCalls, 0);
      console.log(`aliases: 16,000 anchors each aliased once read as plain data in ${ms.toFixed(0)} ms`);
    } finally {
      Alias.prototype.resolve = originalResolve;
    }
  });

  it('an alias bomb is skipped with the reason Kubernetes gives, the other documents read', () => {
    const { values, skipped } = parseYamlValues(
      `kind: ServiceAccount\nmetadata: {name: a}\n---\n${nestedAliasBomb(2000)}`,
    );
    assert.deepEqual(values, [{ kind: 'ServiceAccount', metadata: { name: 'a' } }]);
    assert.equal(skipped.length, 1);
    assert.match(skipped[0], /^Excessive aliasing: .*"document contains excessive aliasing"/);
  });

  it("equals yaml's toJS: merge keys (own keys win, then earlier sources), duplicate keys, shared anchors", () => {
    const text = [
      'a: &a {x: 1, y: 2}',
      'b: &b {y: 3, z: 4}',
      'c: {w: 0, <<: [*a, *b], x: 9}',
      "d: {<<: *a, '<<': quoted, y: 5}",
      'e: [*a, *a, &s text, *s]',
      'f: 1',
      'f: 2',
      '1: one',
      '~: nothing',
      'true: yes',
      '__proto__: {polluted: true}',
    ].join('\n');
    const [doc] = parseYaml(text);
    const read = documentValue(doc);
    assert.ok('value' in read);
    assert.deepEqual(read.value, doc.toJS());
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it("equals yaml's toJS on every manifest fixture", () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'manifests');
    let compared = 0;
    for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.yaml'),
    )) {
      for (const doc of parseYaml(readFileSync(join(root, entry), 'utf8'))) {
        const read = documentValue(doc);
        if (!('value' in read) || doc.errors.length > 0) continue;
        let expected: unknown;
        try {
          expected = doc.toJS({ maxAliasCount: -1 });
        } catch {
          continue; // an alias without an anchor: toJS throws, the plain value holds null
        }
        assert.deepEqual(read.value, expected ?? null, entry);
        compared++;
      }
    }
    assert.ok(compared > 100, `${compared} documents compared`);
  });
});
