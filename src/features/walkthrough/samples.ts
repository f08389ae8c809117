// The sample documents of the Get Started walkthrough: a made-up bound token (its signature is fake) and a pod that
// still reads a legacy token Secret. No vscode import: unit-tested; web-safe (btoa, no Buffer).

export const SAMPLE_NAMESPACE = 'default';
export const SAMPLE_POD = 'sample-app';
const SAMPLE_ACCOUNT = 'sample-app';
const SAMPLE_SECRET = 'sample-app-token-x7k2p';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

const base64url = (json: unknown): string =>
  btoa(JSON.stringify(json)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A bound token as the kubelet would mount it for the sample pod, valid for an hour from `nowSeconds`. */
export function sampleBoundToken(nowSeconds: number): string {
  const header = { alg: 'RS256', kid: 'walkthrough-sample' };
  const claims = {
    aud: [ISSUER],
    exp: nowSeconds + 3600,
    iat: nowSeconds,
    nbf: nowSeconds,
    iss: ISSUER,
    sub: `system:serviceaccount:${SAMPLE_NAMESPACE}:${SAMPLE_ACCOUNT}`,
    'kubernetes.io': {
      namespace: SAMPLE_NAMESPACE,
      pod: { name: SAMPLE_POD, uid: '4f6c1a2e-9d3b-4c8e-a7f5-0b1d2e3f4a5b' },
      serviceaccount: { name: SAMPLE_ACCOUNT, uid: '7e2d9c4b-1a5f-4e3d-8c6b-9a0f1e2d3c4b' },
    },
  };
  return `${base64url(header)}.${base64url(claims)}.${base64url('not a real signature: made up for the walkthrough')}`;
}

export function sampleTokenDocument(nowSeconds: number): string {
  return [
    '# A sample service account token, made up by the Get Started walkthrough (its signature is fake).',
    '# Hover it: everything is decoded locally.',
    `Authorization: Bearer ${sampleBoundToken(nowSeconds)}`,
    '',
  ].join('\n');
}

/** A pod that mounts a legacy token Secret: SAT001 with a quick fix to a projected token volume. */
export const SAMPLE_LEGACY_MANIFEST = `# A sample pod from the Get Started walkthrough: it still mounts a legacy token Secret.
apiVersion: v1
kind: Pod
metadata:
  name: ${SAMPLE_POD}
  namespace: ${SAMPLE_NAMESPACE}
spec:
  serviceAccountName: ${SAMPLE_ACCOUNT}
  containers:
    - name: app
      image: registry.example/sample-app:1.0
      volumeMounts:
        - name: api-token
          mountPath: /var/run/secrets/sample-app
          readOnly: true
  volumes:
    - name: api-token
      secret:
        secretName: ${SAMPLE_SECRET}
`;

/** Where the quick fix applies: the line naming the legacy Secret. */
export const SAMPLE_LEGACY_LINE = SAMPLE_LEGACY_MANIFEST.split('\n').findIndex((line) => line.includes(SAMPLE_SECRET));
