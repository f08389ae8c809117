// YAML aliases: resolved through one anchor map per document, exactly as `Alias.resolve` would, so that thousands
// of aliases cost one walk instead of one walk each (issue 10, item 3: 8,000 aliases took ~11 s).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { Alias, isAlias, parseAllDocuments, visit } from 'yaml';
import { lintManifest, parseProblems } from '../../../../src/core/manifests/lint';
import { aliasTarget } from '../../../../src/core/manifests/nodes';

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

  it('alias flood (8,000 aliases in one document): anchors are resolved in one walk, not one walk per alias', () => {
    const text = aliasHeavyDeployment(8000);
    const findings = lintManifest(text);
    assert.deepEqual(parseProblems(text), []);
    assert.ok(findings.some((finding) => finding.rule === 'SAT001'));
    // Alias.resolve walks the whole document on each call: once per alias made linting quadratic.
    assert.ok(resolveCalls <= 1, `Alias.resolve walked the document ${resolveCalls} times`);
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
