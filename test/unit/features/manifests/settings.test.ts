import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  displayedLevel,
  engineFixOptions,
  engineRuleSettings,
  isManifestDocument,
} from '../../../../src/features/manifests/settings';

test('rule levels become engine settings; hint lints as info and off disables', () => {
  assert.deepEqual(engineRuleSettings({ SAT001: 'error', SAT005: 'off', SAT006: 'hint' }), {
    SAT001: { enabled: true, severity: 'error' },
    SAT005: { enabled: false },
    SAT006: { enabled: true, severity: 'info' },
  });
  assert.deepEqual(engineRuleSettings({}), {});
});

test('a hint setting shows the finding as a hint; otherwise the engine severity stands', () => {
  assert.equal(displayedLevel('SAT006', 'info', { SAT006: 'hint' }), 'hint');
  assert.equal(displayedLevel('SAT001', 'warning', { SAT006: 'hint' }), 'warning');
});

test('fix settings pass through, an empty audience is left out', () => {
  const base = { expirationSeconds: 7200, mountPath: '/var/run/token', audience: null, hardening: false };
  assert.deepEqual(engineFixOptions(base), { expirationSeconds: 7200, mountPath: '/var/run/token' });
  assert.deepEqual(engineFixOptions({ ...base, audience: 'vault' }).audience, 'vault');
});

test('manifests are YAML-language documents or *.yaml / *.yml files', () => {
  assert.ok(isManifestDocument('yaml', '/x/config'));
  assert.ok(isManifestDocument('helm', '/chart/templates/deploy.tpl'));
  assert.ok(isManifestDocument('plaintext', '/x/deploy.YML'));
  assert.ok(!isManifestDocument('json', '/x/deploy.json'));
  assert.ok(!isManifestDocument('plaintext', '/x/yaml.txt'));
});
