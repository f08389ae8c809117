// What the editor's diagnostics say (issue 18): one short sentence, then what each quick fix means, or why none.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diagnosticMessage, firstSentence } from '../../../../src/core/manifests/diagnosticMessage';
import { lintManifest } from '../../../../src/core/manifests/lint';

const fixtures = join(import.meta.dirname, '../../../fixtures/manifests');
const findingsOf = (name: string, options = {}) =>
  lintManifest(readFileSync(join(fixtures, name, 'input.yaml'), 'utf8'), options);

describe('diagnosticMessage', () => {
  it('SAT001: the read and why it breaks, then what the fix asks of the app', () => {
    const [finding] = findingsOf('sat001-deployment-env');
    assert.equal(
      diagnosticMessage(finding),
      'Environment variable KUBE_TOKEN reads key "token" of the legacy token Secret "app-token-x7k2p": the workload ' +
        'breaks after an upgrade.\n' +
        'Use a projected token volume instead: the app must read the token file and re-read it, as it rotates.',
    );
  });

  it('a hardening fix says in the diagnostic what the workload loses (its title stays short)', () => {
    const finding = findingsOf('sat006-default').find((candidate) => candidate.rule === 'SAT006');
    assert.ok(finding);
    const [first, ...fixes] = diagnosticMessage(finding).split('\n');
    assert.match(first, /^Runs as the "default" ServiceAccount with its token mounted: .*\.$/);
    assert.ok(!first.includes('. '), 'one sentence');
    assert.deepEqual(
      fixes.map((line) => line.split(':')[0]),
      finding.fixes.map((fix) => fix.title.split(':')[0]),
    );
    assert.match(fixes[0], /lose the token they use to call the API server\.$/);
  });

  it('says why there is no quick fix: shared YAML, a Helm template', () => {
    const aliased = findingsOf('sat001-aliased-env').find((finding) => finding.fixes.length === 0);
    assert.ok(aliased);
    assert.match(diagnosticMessage(aliased), /\nNo automatic fix: the text is shared by a YAML anchor\.$/);
    const options = JSON.parse(readFileSync(join(fixtures, 'sat001-helm-template', 'options.json'), 'utf8'));
    const [templated] = findingsOf('sat001-helm-template', options);
    assert.match(diagnosticMessage(templated), /\nNo automatic fix in a Helm template\.$/);
  });

  it('leads with one sentence for every finding of every golden case', () => {
    for (const name of readdirSync(fixtures)) {
      for (const finding of findingsOf(name)) {
        const [lead] = diagnosticMessage(finding).split('\n');
        assert.equal(firstSentence(lead), lead, `${name} ${finding.rule}: ${lead}`);
        assert.ok(finding.message.startsWith(lead), `${name} ${finding.rule}: the start of the full message`);
      }
    }
  });
});

describe('firstSentence', () => {
  it('stops at a full stop before a capital, not inside a quoted name or a version', () => {
    assert.equal(firstSentence('Secret "a. B" is read. Since 1.24 it is gone.'), 'Secret "a. B" is read.');
    assert.equal(firstSentence('Needs 1.30. Then more.'), 'Needs 1.30.');
    assert.equal(firstSentence('One sentence only.'), 'One sentence only.');
    assert.equal(firstSentence('Version 1.24 such Secrets.'), 'Version 1.24 such Secrets.');
  });
});
