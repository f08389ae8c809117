import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveKeyFilePath } from '../../../../src/features/tokens/keyFilePaths';

const context = { home: '/home/dev', workspaceFolder: '/work/repo' };

test('absolute, home-relative, workspace-relative and ${workspaceFolder} entries resolve', () => {
  assert.equal(resolveKeyFilePath('/etc/keys/sa.pub', context), '/etc/keys/sa.pub');
  assert.equal(resolveKeyFilePath('~/keys/jwks.json', context), '/home/dev/keys/jwks.json');
  assert.equal(resolveKeyFilePath('keys/sa.pem', context), '/work/repo/keys/sa.pem');
  assert.equal(resolveKeyFilePath('${workspaceFolder}/sa.pem', context), '/work/repo/sa.pem');
  assert.equal(resolveKeyFilePath('  /trimmed.pem ', context), '/trimmed.pem');
});

test('relative entries without an open folder and empty entries do not resolve', () => {
  const noFolder = { home: '/home/dev', workspaceFolder: undefined };
  assert.equal(resolveKeyFilePath('keys/sa.pem', noFolder), undefined);
  assert.equal(resolveKeyFilePath('${workspaceFolder}/sa.pem', noFolder), undefined);
  assert.equal(resolveKeyFilePath('   ', context), undefined);
});
