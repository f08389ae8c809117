// Text edits, fix-all and the two editor helpers (consumers of a token Secret, explicit token Secret).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments, parseDocument } from 'yaml';
import { explicitTokenSecretEdit, findConsumers } from '../../../../src/core/manifests/consumers';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { applyEdits, chooseEdits, fixAll } from '../../../../src/core/manifests/fix';
import { analyzeManifest, lintManifest } from '../../../../src/core/manifests/lint';
import type { LintOptions, RuleId } from '../../../../src/core/manifests/types';

const fixtures = join(import.meta.dirname, '../../../fixtures/manifests');
const read = (name: string, file = 'input.yaml') => readFileSync(join(fixtures, name, file), 'utf8');

describe('applyEdits', () => {
  it('keeps the order of inserts at one offset, before a replacement starting there', () => {
    const edits = [
      { start: 2, end: 4, newText: 'R' },
      { start: 2, end: 2, newText: 'a' },
      { start: 2, end: 2, newText: 'b' },
    ];
    assert.equal(applyEdits('0123456', edits), '01abR456');
  });

  it('refuses overlapping edits', () => {
    assert.throws(
      () =>
        applyEdits('0123456', [
          { start: 1, end: 4, newText: '' },
          { start: 3, end: 5, newText: '' },
        ]),
      RangeError,
    );
  });
});

describe('fixAll', () => {
  it('counts applied fixes, reaches a fixed point, and honours onlyRules', () => {
    const text = read('sat001-deployment-env');
    const all = fixAll(text);
    assert.equal(all.applied, 1, 'the per-pod SAT001 fix (a migration)');
    assert.equal(fixAll(all.text).applied, 0);
    assert.ok(!lintManifest(all.text).some((f) => f.rule === 'SAT008'), 'no SAT008 on the fix output');
    assert.equal(fixAll(text, { onlyRules: ['SAT001'] }).text, all.text);
    assert.equal(fixAll(text, { onlyRules: ['SAT007'] }).applied, 0);
  });

  it('uses the configured mount path, expiration and audience', () => {
    const text = read('sat001-podtemplate');
    const fix = { mountPath: '/var/run/secrets/app/', expirationSeconds: 7200, audience: 'vault' };
    const fixed = fixAll(text, { fix, onlyRules: ['SAT001'] }).text;
    const volume = parseDocument(fixed).getIn(['template', 'spec', 'volumes', 0]) as { toJSON(): unknown };
    assert.deepEqual((volume.toJSON() as { projected: { sources: unknown[] } }).projected.sources[0], {
      serviceAccountToken: { path: 'token', expirationSeconds: 7200, audience: 'vault' },
    });
    assert.match(fixed, /value: \/var\/run\/secrets\/app\/token\n/);
    assert.match(fixed, /mountPath: \/var\/run\/secrets\/app\n/);
  });

  it('turns automount off where the key is empty, and concludes nothing where it holds something else', () => {
    const notBoolean = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken:\n  - a\n  containers: [{name: c, image: x}]\n`;
    assert.deepEqual(lintManifest(notBoolean), []);
    for (const value of ['', ' # unset']) {
      const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken:${value}\n  containers: [{name: c, image: x}]\n`;
      const fixed = fixAll(text, { onlyRules: ['SAT006'] }).text;
      assert.equal(parseDocument(fixed).getIn(['spec', 'automountServiceAccountToken']), false, fixed);
      assert.equal(parseDocument(fixed).errors.length, 0);
    }
  });

  it('leaves a document with syntax errors alone', () => {
    const broken = `${read('sat001-podtemplate')}    bad: [unclosed\n`;
    assert.equal(fixAll(broken).text, broken);
  });
});

// The straightforward fix-all: lint the whole text every round. The real one re-parses and re-lints only what changed.
function fixAllByFullRelint(text: string, options: LintOptions & { onlyRules?: RuleId[] } = {}) {
  const problems = analyzeManifest(text, options).parseProblems.length;
  let current = { text, applied: 0 };
  for (let round = 0; round < 8; round++) {
    const chosen = chooseEdits(analyzeManifest(current.text, options).findings, options);
    if (chosen.count === 0) break;
    const next = applyEdits(current.text, chosen.edits);
    if (analyzeManifest(next, options).parseProblems.length > problems) break;
    current = { text: next, applied: current.applied + chosen.count };
  }
  return current;
}

describe('fixAll re-parses only what changed, with the result of re-linting everything', () => {
  const inputs = readdirSync(fixtures)
    .map((name) => read(name).replace(/^\uFEFF/, ''))
    .filter((text) => !text.includes('\r\n'));

  it('on every golden input', () => {
    for (const text of inputs) assert.deepEqual(fixAll(text), fixAllByFullRelint(text));
  });

  it('on files mixing the golden documents (fixes across documents, shared index, edits at cuts)', () => {
    const file = fc
      .array(fc.constantFrom(...inputs), { minLength: 2, maxLength: 4 })
      .map((texts) => texts.join('---\n'));
    fc.assert(
      fc.property(
        file,
        fc.constantFrom<RuleId[] | undefined>(undefined, ['SAT001'], ['SAT005', 'SAT006']),
        (text, onlyRules) => {
          assert.deepEqual(fixAll(text, { onlyRules }), fixAllByFullRelint(text, { onlyRules }));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('findConsumers', () => {
  it('finds env, envFrom and volume reads of a Secret across files, by namespace', () => {
    const files = [
      { fileName: 'deploy.yaml', text: read('sat001-deployment-env') },
      { fileName: 'other.yaml', text: read('sat001-pod-flush') },
    ];
    const found = findConsumers('app-token-x7k2p', 'shop', files);
    assert.deepEqual(
      found.map((c) => c.fileName),
      ['deploy.yaml', 'deploy.yaml', 'deploy.yaml'],
    );
    assert.deepEqual(
      found.map((c) => files[0].text.slice(c.start, c.end).split(':')[0]),
      ['secretKeyRef', 'secretRef', 'secret'],
    );
    assert.deepEqual(findConsumers('app-token-x7k2p', 'elsewhere', files), []);
    assert.equal(findConsumers('app-token-x7k2p', undefined, files).length, 3);
  });
});

describe('explicitTokenSecretEdit', () => {
  const account =
    '# the builder\r\napiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: builder\r\n  namespace: ci\r\n---\r\nkind: ConfigMap\r\n';

  it('inserts the documented Secret after the ServiceAccount, in CRLF', () => {
    const edit = explicitTokenSecretEdit(account, account.indexOf('builder'));
    assert.ok(edit);
    const text = applyEdits(account, [edit]);
    assert.doesNotMatch(text, /(?<!\r)\n/);
    const docs = parseAllDocuments(text);
    assert.equal(docs.length, 3);
    assert.deepEqual(docs[1].toJS(), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'builder-token',
        namespace: 'ci',
        annotations: { 'kubernetes.io/service-account.name': 'builder' },
      },
      type: 'kubernetes.io/service-account-token',
    });
    assert.equal(docs[2].toJS().kind, 'ConfigMap', 'the next document is untouched');
  });

  it('offers nothing outside a ServiceAccount document', () => {
    assert.equal(explicitTokenSecretEdit(account, account.indexOf('ConfigMap')), undefined);
    assert.equal(explicitTokenSecretEdit('not: [yaml', 0), undefined);
  });

  it('adds a line break before the new document when the file has none at the end', () => {
    const text = 'kind: ServiceAccount\nmetadata: {name: x}';
    const fixed = applyEdits(text, [explicitTokenSecretEdit(text, 0)!]);
    assert.match(fixed, /^kind: ServiceAccount\nmetadata: \{name: x\}\n---\napiVersion: v1\nkind: Secret\n/);
  });
});

describe('alternative fixes', () => {
  const allRules = { rules: { SAT005: { enabled: true } } };
  const fixOf = (text: string, rule: string, title: RegExp) => {
    const fix = lintManifest(text, allRules)
      .find((f) => f.rule === rule)
      ?.fixes.find((candidate) => title.test(candidate.title));
    assert.ok(fix, `${rule} offers "${title}"`);
    return applyEdits(text, fix.edits);
  };

  it('SAT006: scaffolds a dedicated ServiceAccount after the workload and uses it', () => {
    const text = read('sat006-default');
    const fixed = fixOf(text, 'SAT006', /Run it as its own ServiceAccount "frontend"/);
    const docs = parseAllDocuments(fixed).map((doc) => doc.toJS());
    assert.deepEqual(docs[1], {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'frontend' },
      automountServiceAccountToken: false,
    });
    assert.equal(docs[0].spec.template.spec.serviceAccountName, 'frontend');
    assert.equal(docs[2].metadata.name, 'debug', 'the next document follows unchanged');
    assert.ok(fixed.endsWith(text.slice(text.indexOf('---\napiVersion: v1\nkind: Pod'))));
    assert.ok(!lintManifest(fixed).some((f) => f.rule === 'SAT006' && f.start < fixed.indexOf('kind: Pod')));
  });

  it('SAT005: can turn automount off on the ServiceAccount of the same file instead', () => {
    const fixed = fixOf(read('sat005-automount'), 'SAT005', /on ServiceAccount "web"/);
    assert.equal(parseAllDocuments(fixed)[0].toJS().automountServiceAccountToken, false);
    assert.ok(
      !lintManifest(fixed, allRules).some((f) => f.rule === 'SAT005'),
      'the ServiceAccount setting is honoured',
    );
  });

  it('SAT002: names the Secret so the editor can show its consumers', () => {
    const subjects = lintManifest(read('sat002-token-secrets')).map((f) => f.subject);
    assert.deepEqual(subjects, [
      { kind: 'Secret', name: 'builder-token-7g8h9', namespace: 'ci' },
      { kind: 'Secret', name: 'builder-token-7g8h9', namespace: 'ci' },
    ]);
  });
});
