import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintManifest } from '../../../../../src/core/manifests/lint';

const template = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: r
spec:
  template:
    spec:
      serviceAccountName: r
      containers: [{name: c, image: x}]
      volumes:
        - name: certs
          projected:
            sources:
              - secret:
                  name: a
                  items:
                    {{- if not .Values.override }}
                    - key: ca.crt
                      path: ca.pem
                    {{- end }}
              {{- if .Values.override }}
              - secret:
                  name: b
                  items:
                    - key: ca.crt
                      path: ca.pem
              {{- end }}
`;

describe('SAT004 duplicate projected paths', () => {
  it('are not reported across exclusive template branches (bitnami rabbitmq certs)', () => {
    assert.deepEqual(lintManifest(template, { fileName: 'templates/sts.yaml' }), []);
  });
  it('are reported when nothing separates them', () => {
    const plain = template.replace(/^\s*\{\{-.*\}\}\n/gm, '');
    assert.deepEqual(
      lintManifest(plain, { fileName: 'sts.yaml' }).map((f) => f.rule),
      ['SAT004'],
    );
  });
});
