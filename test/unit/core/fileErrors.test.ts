import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileErrorReason } from '../../../src/core/fileErrors';

const errorOf = (read: () => unknown): unknown => {
  try {
    read();
  } catch (error) {
    return error;
  }
  assert.fail('no error');
};

test('a file error is said in words, from the real errors Node gives', () => {
  assert.equal(fileErrorReason(errorOf(() => readFileSync('/nonexistent/sa-token'))), 'no such file or directory');
  assert.equal(fileErrorReason(errorOf(() => readFileSync('/'))), 'is a directory');
  const file = join(mkdtempSync(join(tmpdir(), 'sa-token-file-errors-')), 'file');
  writeFileSync(file, '');
  assert.equal(fileErrorReason(errorOf(() => readFileSync(join(file, 'x')))), 'a part of the path is not a directory');

  // A code without words keeps its code; an error without a code keeps its message.
  assert.equal(fileErrorReason(Object.assign(new Error('x'), { code: 'EIO' })), 'EIO');
  assert.equal(fileErrorReason(new Error('not a text file')), 'not a text file');
});
