// What leaves the kube layer as text: Secret YAML with every value masked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskSecret } from '../../../src/kube/objectYaml';

describe('masked Secret YAML', () => {
  it('masks data, stringData and the last-applied annotation, keeping sizes', () => {
    const secret = maskSecret({
      metadata: {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"token":"ZXlK..."}}', keep: 'me' },
      },
      data: { token: Buffer.from('eyJhbGciOiJSUzI1NiJ9.e30.sig').toString('base64'), 'ca.crt': 'Y2E=' },
      stringData: { extra: 'plain secret' },
    });
    assert.deepEqual(secret.data, { token: '<masked: 28 bytes>', 'ca.crt': '<masked: 2 bytes>' });
    assert.deepEqual(secret.stringData, { extra: '<masked: 12 bytes>' });
    assert.deepEqual(secret.metadata?.annotations, {
      'kubectl.kubernetes.io/last-applied-configuration': '<masked: holds the Secret data>',
      keep: 'me',
    });
  });
});
