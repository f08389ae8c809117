// The recogniser against the texts Kubernetes, client libraries and providers really print (each quoted from the
// source named in the pattern), plus hostile and huge input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  explainAuthErrors,
  tokenReviewRejection,
  type AuthErrorKind,
} from '../../../../src/core/troubleshoot/authErrors';

describe('explainAuthErrors: real error texts', () => {
  const cases: [string, AuthErrorKind][] = [
    // kubectl printing the Status from responsewriters.forbiddenMessage (namespaced, cluster scope, subresource).
    [
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:payments:billing" cannot list resource "pods" in API group "" in the namespace "payments"',
      'forbidden',
    ],
    [
      'nodes is forbidden: User "system:serviceaccount:ops:agent" cannot list resource "nodes" in API group "" at the cluster scope',
      'forbidden',
    ],
    ['User "system:anonymous" cannot get path "/metrics"', 'forbidden'],
    // The pre-1.14 format, still in old tickets.
    [
      'User "system:serviceaccount:ci:deployer" cannot patch deployments.apps/scale in the namespace "web"',
      'forbidden',
    ],
    ['error: You must be logged in to the server (Unauthorized)', 'unauthorized'],
    [
      '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
      'unauthorized',
    ],
    // kube-apiserver log: bearertoken.go's invalidToken joined with the validator's reason.
    [
      'E1130 10:00:00 authentication.go:73] "Unable to authenticate the request" err="invalid bearer token"',
      'unauthorized',
    ],
    [
      'E1130 10:00:00 authentication.go:73] "Unable to authenticate the request" err="[invalid bearer token, service account token has expired]"',
      'token-expired',
    ],
    ['err="[invalid bearer token, service account token has been invalidated]"', 'token-invalidated'],
    ['err="[invalid bearer token, Token has been invalidated]"', 'token-invalidated'],
    [
      'err="[invalid bearer token, the token in secret ci/deployer-token-x7k2q for service account ci/deployer has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the \'kubernetes.io/legacy-token-invalid-since\' label from the secret to temporarily allow use of this token]"',
      'token-invalidated',
    ],
    [
      'err="[invalid bearer token, pod UID (1234) does not match service account pod ref claim (5678)]"',
      'token-invalidated',
    ],
    ['err="[invalid bearer token, serviceaccounts \\"billing\\" not found]"', 'serviceaccount-missing'],
    ['err="[invalid bearer token, service account UID (a1b2) does not match claim (c3d4)]"', 'serviceaccount-missing'],
    [
      'Error from server (Forbidden): pods "web-0" is forbidden: error looking up service account shop/web: serviceaccount "web" not found',
      'serviceaccount-missing',
    ],
    ['err="[invalid bearer token, square/go-jose: error in cryptographic primitive]"', 'key-mismatch'],
    ['err="[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]"', 'key-mismatch'],
    [
      'err="[invalid bearer token, token audiences [\\"vault\\"] is invalid for the target audiences [\\"https://kubernetes.default.svc.cluster.local\\"]]"',
      'audience-mismatch',
    ],
    [
      'panic: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
      'token-file-missing',
    ],
    ['open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory', 'token-file-missing'],
    [
      "Error: ENOENT: no such file or directory, open '/var/run/secrets/kubernetes.io/serviceaccount/token'",
      'token-file-missing',
    ],
    ['kubernetes.config.config_exception.ConfigException: Service token file does not exists.', 'token-file-missing'],
    [
      'An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience',
      'cloud-audience',
    ],
    [
      "AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:default:app'.",
      'cloud-audience',
    ],
    [
      "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://oidc.example'.",
      'cloud-audience',
    ],
    ['Code: 400. Errors:\n\n* claim "aud" is invalid', 'cloud-audience'],
    ['Code: 403. Errors: * service account name not authorized', 'cloud-audience'],
  ];
  for (const [text, kind] of cases) {
    it(`${kind}: ${text.slice(0, 70)}`, () => {
      const found = explainAuthErrors(text);
      assert.ok(found.length >= 1, 'recognised');
      assert.equal(found[0].kind, kind);
      assert.ok(found[0].meaning.length > 0 && found[0].causes.length > 0 && found[0].next.length > 0);
      assert.ok(found[0].source.length > 0);
    });
  }

  it('reads the service account, verb, resource, group and namespace of a Forbidden', () => {
    const [found] = explainAuthErrors(
      'deployments.apps "web" is forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "web"',
    );
    assert.deepEqual(
      {
        serviceAccount: found.serviceAccount,
        verb: found.verb,
        resource: found.resource,
        apiGroup: found.apiGroup,
        namespace: found.namespace,
      },
      {
        serviceAccount: { namespace: 'ci', name: 'deployer' },
        verb: 'patch',
        resource: 'deployments/scale',
        apiGroup: 'apps',
        namespace: 'web',
      },
    );
    assert.ok(
      found.next.includes(
        'kubectl auth can-i patch deployments.apps/scale -n web --as=system:serviceaccount:ci:deployer',
      ),
    );
    assert.ok(
      found.next.some(
        (step) => step === 'sa-token doctor serviceaccount/deployer -n ci --for "patch deployments.apps/scale"',
      ),
    );
  });

  it('reads the old format the same way', () => {
    const [found] = explainAuthErrors(
      'User "system:serviceaccount:ci:deployer" groups ["system:serviceaccounts"] cannot patch deployments.apps/scale in the namespace "web".',
    );
    assert.equal(found.resource, 'deployments/scale');
    assert.equal(found.apiGroup, 'apps');
    assert.equal(found.namespace, 'web');
  });

  it('a human user is a user, not a service account', () => {
    const [found] = explainAuthErrors(
      'User "alice@example.com" cannot list resource "secrets" in API group "" at the cluster scope',
    );
    assert.equal(found.serviceAccount, null);
    assert.equal(found.user, 'alice@example.com');
    assert.equal(found.namespace, null);
  });

  it('reads the audiences of an audience error', () => {
    const [found] = explainAuthErrors(
      'token audiences ["vault" "other"] is invalid for the target audiences ["https://kubernetes.default.svc"]',
    );
    assert.deepEqual(found.audiences, { token: ['vault', 'other'], expected: ['https://kubernetes.default.svc'] });
  });

  it('takes the service account named elsewhere on a wrapper line', () => {
    const [found] = explainAuthErrors(
      'audit: user=system:serviceaccount:shop:web err="[invalid bearer token, service account token has expired]"',
    );
    assert.deepEqual(found.serviceAccount, { namespace: 'shop', name: 'web' });
  });
});

describe('explainAuthErrors: logs', () => {
  it('numbers lines, one explanation per line, in order; other lines are ignored', () => {
    const log = [
      'starting',
      'connecting to https://10.0.0.1:443',
      'E1130 "Unable to authenticate the request" err="[invalid bearer token, service account token has expired]"',
      'cannot connect to the database',
      '',
      'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:a:b" cannot get resource "secrets" in API group "" in the namespace "a"',
    ].join('\r\n');
    const found = explainAuthErrors(log);
    assert.deepEqual(
      found.map((entry) => [entry.line, entry.kind]),
      [
        [3, 'token-expired'],
        [6, 'forbidden'],
      ],
    );
    const sixth = log.split('\n')[5];
    assert.equal(sixth.slice(found[1].start, found[1].start + 4), 'User');
  });

  it('nothing recognised in ordinary text', () => {
    assert.deepEqual(explainAuthErrors('all good\nnothing to see\nthe file was not found'), []);
  });

  it('a huge single line is looked at only around the error', () => {
    const line = `${'x'.repeat(3_000_000)} invalid bearer token ${'y'.repeat(3_000_000)}`;
    const found = explainAuthErrors(line);
    assert.equal(found.length, 1);
    assert.ok(found[0].message.length <= 501);
  });

  it('names captured from hostile text stay in the Kubernetes name alphabet', () => {
    const [found] = explainAuthErrors(
      'User "system:serviceaccount:a;rm -rf /:b`x`" cannot list resource "pods" in API group "" in the namespace "a"',
    );
    assert.equal(found.serviceAccount, null);
    for (const step of found.next) assert.doesNotMatch(step, /[;`]/);
  });

  it('never throws, and ranges stay on their line (property)', () => {
    const piece = fc.constantFrom(
      'Unauthorized',
      'invalid bearer token',
      'User "system:serviceaccount:a:b" cannot ',
      'list resource "pods" in API group "" ',
      'in the namespace "a"',
      'token audiences [',
      '"',
      '\\"',
      '\n',
      ' ',
      'AADSTS70021',
      'not found',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const lines = text.split('\n');
        let last = 0;
        for (const found of explainAuthErrors(text)) {
          assert.ok(found.line > last && found.line <= lines.length);
          last = found.line;
          assert.ok(found.start >= 0 && found.start <= found.end && found.end <= lines[found.line - 1].length);
        }
      }),
    );
  });
});

describe('tokenReviewRejection', () => {
  it('explains the TokenReview error kube-apiserver returns for a token no key of its own signed', () => {
    // status.error of a TokenReview for such a token (the union authenticator's aggregate of go-jose's error).
    const message = tokenReviewRejection(
      'sa-demo',
      '[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]',
    );
    assert.equal(
      message,
      'The API server of sa-demo rejects this token: No service account signing key the API server trusts verifies this token. (It says: "[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]")',
    );
  });

  it('keeps an unknown error as the server said it (printable), and says nothing more without one', () => {
    assert.equal(
      tokenReviewRejection('c', 'something\u001b[2J odd'),
      'The API server of c rejects this token: something [2J odd.',
    );
    assert.equal(tokenReviewRejection('c', undefined), 'The API server of c rejects this token.');
  });
});
