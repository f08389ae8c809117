import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RESTRICTED_SETTINGS, trustedSettingValue, type SettingSources } from '../../../../src/features/shared/trust';

/** A setting the user set to `user` and a cloned repository's workspace settings to `workspace`. */
function planted<T>(user: T | undefined, workspace: T): SettingSources<T> & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    effective: () => {
      asked.push('effective');
      return workspace;
    },
    user: () => {
      asked.push('user');
      return user;
    },
  };
}

test('untrusted: a restricted setting counts only from the user, never from the workspace', () => {
  assert.equal(
    trustedSettingValue('kubeconfig', false, planted('/home/me/.kube/config', '/repo/evil-kubeconfig')),
    '/home/me/.kube/config',
  );
  assert.deepEqual(
    trustedSettingValue('verification.keyFiles', false, planted(['/home/me/key.pem'], ['/repo/key.pem'])),
    ['/home/me/key.pem'],
  );
  assert.equal(
    trustedSettingValue('kubeconfig', false, planted(undefined, '/repo/evil-kubeconfig')),
    undefined,
    'no user value: none',
  );
});

test('untrusted: the workspace value is not even read for a restricted setting', () => {
  const sources = planted('/home/me/.kube/config', '/repo/evil-kubeconfig');
  trustedSettingValue('kubeconfig', false, sources);
  assert.deepEqual(sources.asked, ['user']);
});

test('trusted: every setting counts as VS Code resolves it', () => {
  assert.equal(
    trustedSettingValue('kubeconfig', true, planted('/home/me/.kube/config', '/repo/kubeconfig')),
    '/repo/kubeconfig',
  );
  assert.deepEqual(trustedSettingValue('verification.keyFiles', true, planted([], ['keys/demo.pem'])), [
    'keys/demo.pem',
  ]);
});

test('untrusted: settings that name no file still count from the workspace', () => {
  for (const key of ['fix.audience', 'namespaces', 'timeZone']) {
    assert.equal(trustedSettingValue(key, false, planted('user', 'workspace')), 'workspace', key);
  }
});

test('untrusted: a workspace cannot choose which kubeconfig context (credentials, exec plugins) runs (context-switch attack)', () => {
  assert.equal(trustedSettingValue('context', false, planted('user', 'prod-admin')), 'user');
  assert.equal(trustedSettingValue('context', true, planted('user', 'prod-admin')), 'prod-admin');
});

test('untrusted: a workspace cannot raise the manifest size limit to make the editor lint a huge file on every keystroke (editor-freeze attack)', () => {
  assert.equal(trustedSettingValue('diagnostics.maxManifestSizeKB', false, planted(undefined, 65536)), undefined);
  assert.equal(trustedSettingValue('diagnostics.maxManifestSizeKB', false, planted(4096, 65536)), 4096);
  assert.equal(trustedSettingValue('diagnostics.maxManifestSizeKB', true, planted(4096, 8192)), 8192);
});

test('the restricted list is the one package.json declares to VS Code', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, { restricted?: boolean }> } };
  };
  const ours = [...RESTRICTED_SETTINGS].map((key) => `saToken.${key}`).sort();
  assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), ours);
  const markedRestricted = Object.entries(manifest.contributes.configuration.properties)
    .filter(([, property]) => property.restricted)
    .map(([key]) => key)
    .sort();
  assert.deepEqual(markedRestricted, ours);
});
