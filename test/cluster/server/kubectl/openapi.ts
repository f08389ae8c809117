// A minimal OpenAPI v3 surface: enough for kubectl to learn that the server validates fields itself
// (`fieldValidation` on each kind's PATCH operation), so `kubectl create -f` with default validation sends
// fieldValidation=Strict instead of downloading full schemas. No schemas are served.
import { createHash } from 'node:crypto';
import { rbacGroup, rbacResources } from '../rbac/resources';
import { resources, type ResourceDef } from '../resources';

const fieldValidation = {
  name: 'fieldValidation',
  in: 'query',
  description:
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.',
  schema: { type: 'string', uniqueItems: true },
};

const operationPrefix = (group: string) =>
  group ? `${group.split('.')[0].replace(/^./, (first) => first.toUpperCase())}AuthorizationV1` : 'CoreV1';

function groupVersionDocument(prefix: string, group: string, definitions: ResourceDef[]) {
  const paths: Record<string, unknown> = {};
  for (const definition of definitions) {
    const path = definition.namespaced
      ? `/${prefix}/namespaces/{namespace}/${definition.name}/{name}`
      : `/${prefix}/${definition.name}/{name}`;
    const gvk = { group, version: 'v1', kind: definition.kind };
    paths[path] = {
      get: {
        operationId: `read${operationPrefix(group)}${definition.kind}`,
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': { description: 'OK' } },
      },
      patch: {
        operationId: `patch${operationPrefix(group)}${definition.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [fieldValidation],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths };
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const described = (description: string, schema: object) => ({ description, ...schema });
const text = (description: string) => ({ description, type: 'string', default: '' });
const texts = (description: string) => ({ description, type: 'array', items: { type: 'string', default: '' } });

/**
 * authentication.k8s.io/v1 as kube-apiserver publishes it: the TokenReview create operation and the schemas
 * `kubectl explain tokenreview` walks (descriptions are this server's own summaries of the API's).
 */
function authenticationDocument() {
  const gvk = { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview' };
  const prefix = 'io.k8s.api.authentication.v1';
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths: {
      '/apis/authentication.k8s.io/v1/tokenreviews': {
        post: {
          operationId: 'createAuthenticationV1TokenReview',
          'x-kubernetes-action': 'post',
          'x-kubernetes-group-version-kind': gvk,
          parameters: [{ name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } }, fieldValidation],
          responses: { '201': { description: 'Created' } },
        },
      },
    },
    components: {
      schemas: {
        [`${prefix}.TokenReview`]: {
          description: 'TokenReview authenticates a token, and reports who it belongs to and for which audiences.',
          type: 'object',
          required: ['spec'],
          properties: {
            apiVersion: text('The versioned schema of this representation of an object.'),
            kind: text('The REST resource this object represents.'),
            metadata: described('Standard object metadata.', {
              allOf: [schemaRef('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')],
              default: {},
            }),
            spec: described('The token to review and the audiences to check it for.', {
              allOf: [schemaRef(`${prefix}.TokenReviewSpec`)],
              default: {},
            }),
            status: described('Filled in by the server: whether the token is authenticated, and as whom.', {
              allOf: [schemaRef(`${prefix}.TokenReviewStatus`)],
              default: {},
            }),
          },
          'x-kubernetes-group-version-kind': [gvk],
        },
        [`${prefix}.TokenReviewSpec`]: {
          description: 'What to review.',
          type: 'object',
          properties: {
            audiences: texts("Identifiers the token must be valid for; empty means the API server's own audiences."),
            token: text('The opaque bearer token.'),
          },
        },
        [`${prefix}.TokenReviewStatus`]: {
          description: 'The result of the review.',
          type: 'object',
          properties: {
            audiences: texts('The requested audiences the token is valid for.'),
            authenticated: { description: 'Whether the token belongs to a known user.', type: 'boolean' },
            error: text('Why the token could not be checked or was refused.'),
            user: described('The user the token belongs to.', {
              allOf: [schemaRef(`${prefix}.UserInfo`)],
              default: {},
            }),
          },
        },
        [`${prefix}.UserInfo`]: {
          description: 'A user, as an authenticator reports it.',
          type: 'object',
          properties: {
            extra: {
              description: 'Further facts the authenticator supplied (pod and node names, credential id).',
              type: 'object',
              additionalProperties: { type: 'array', items: { type: 'string', default: '' } },
            },
            groups: texts('The groups the user belongs to.'),
            uid: text('A unique value that identifies this user across time.'),
            username: text('The name that uniquely identifies this user among all active users.'),
          },
        },
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
          description: 'Metadata that all persisted resources must have.',
          type: 'object',
          properties: {
            name: text('Name, unique within a namespace.'),
            namespace: text('The namespace the object belongs to.'),
          },
        },
      },
    },
  };
}

const documents = new Map(
  [
    ['api/v1', groupVersionDocument('api/v1', '', resources)],
    [`apis/${rbacGroup}/v1`, groupVersionDocument(`apis/${rbacGroup}/v1`, rbacGroup, rbacResources)],
    ['apis/authentication.k8s.io/v1', authenticationDocument()],
  ].map(([path, document]) => [path as string, JSON.stringify(document)]),
);
const hashOf = (text: string) => createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase();

export function openApiV3Root() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, text] of documents) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(text)}` };
  return { paths };
}

/** The document for a group-version path under /openapi/v3/, or undefined. */
export function openApiV3Document(path: string): string | undefined {
  return documents.get(path.replace(/^\/openapi\/v3\//, ''));
}
