import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { measureActivation } from '../metrics/activation';

// An extension shaped like esbuild's CommonJS output: the `vscode` module is copied key by key into a wrapper.
const extensionSource = (extra: string) => `
const vscode = { ...require('vscode') };
exports.activate = (context) => {
  const kind = vscode.CodeActionKind.SourceFixAll.append('saToken');
  context.subscriptions.push(vscode.languages.registerHoverProvider({ scheme: 'file' }, {}), { kind });
  context.subscriptions.push(vscode.window.createOutputChannel('x', { log: true }));
  ${extra}
};`;

function fakeRepo(extra: string): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-activation-'));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist/extension.js'), extensionSource(extra));
  writeFileSync(join(root, 'dist/kube.js'), 'exports.connect = () => {};\n');
  return root;
}

const context = (repoRoot: string) => ({ repoRoot, quick: true, log: () => {} });

test('activation bytes are the module files loaded by activate(), with a vscode stub that bundles accept', () => {
  const root = fakeRepo('');
  try {
    const [bytes, clientNode, time] = measureActivation(context(root));
    assert.equal(bytes.value, statSync(join(root, 'dist/extension.js')).size);
    assert.equal(clientNode.value, false);
    assert.equal(typeof time.value, 'number');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('loading dist/kube.js during activation, even a moment later, is detected', () => {
  const root = fakeRepo("setTimeout(() => require('./kube.js'), 10);");
  try {
    const [bytes, clientNode] = measureActivation(context(root));
    assert.equal(clientNode.value, true);
    assert.ok((bytes.value as number) > statSync(join(root, 'dist/extension.js')).size);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an activation that throws is reported, not measured', () => {
  const root = fakeRepo("throw new Error('boom');");
  try {
    const [bytes] = measureActivation(context(root));
    assert.equal(bytes.value, null);
    assert.match(bytes.pending ?? '', /activation failed: Error: boom/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
