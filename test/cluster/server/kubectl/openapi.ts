// The OpenAPI kubectl reads before `kubectl create -f` (cli-runtime's query param verifiers, then kubectl's schema
// validation) and for `kubectl explain`:
// - /openapi/v3: each kind's PATCH operation with its `fieldValidation` parameter, so kubectl leaves field
//   validation to the server (`?fieldValidation=Strict`, ../field-validation.ts) — query_param_verifier_v3.go;
// - /openapi/v2 (protobuf, as kubectl asks for it): for a kind with no PATCH operation (TokenReview) the v3 verifier
//   finds no path, falls back to v2 (fallback_query_param_verifier.go), learns the same, and kubectl validates the
//   object client-side against the v2 definitions (kubectl/pkg/util/openapi/validation) before it posts.
import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import { stringify } from 'yaml';
import { rbacGroup, rbacResources } from '../rbac/resources';
import { resources, type ResourceDef } from '../resources';
import { definitions, type Field } from './schemas';

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

/** The kinds kubectl validates against /openapi/v2: those without a PATCH operation in /openapi/v3. */
const clientValidatedKinds = ['io.k8s.api.authentication.v1.TokenReview'];

function v2Schema(field: Field): Record<string, unknown> {
  if (field === 'open') return {};
  if (field === 'integer') return { type: 'integer', format: 'int64' };
  if (typeof field === 'string') return { type: field };
  if ('ref' in field) return { $ref: `#/definitions/${field.ref}` };
  if ('array' in field) return { type: 'array', items: v2Schema(field.array) };
  return { type: 'object', additionalProperties: v2Schema(field.map) };
}

/** The v2 (swagger 2.0) document: the definitions the client-validated kinds reach, and no paths. */
function openApiV2(): { swagger: string; info: object; paths: object; definitions: Record<string, object> } {
  const reached = new Map<string, object>();
  const reach = (name: string) => {
    if (reached.has(name)) return;
    const definition = definitions[name];
    const properties: Record<string, unknown> = {};
    reached.set(name, {});
    const refs = (field: Field): string[] =>
      typeof field === 'string' ? [] : 'ref' in field ? [field.ref] : refs('array' in field ? field.array : field.map);
    for (const [key, field] of Object.entries(definition.properties)) {
      properties[key] = v2Schema(field);
      refs(field).forEach(reach);
    }
    reached.set(
      name,
      definition.primitive ?? {
        type: 'object',
        ...(Object.keys(properties).length ? { properties } : {}),
        ...(definition.required ? { required: definition.required } : {}),
        ...(definition.gvk ? { 'x-kubernetes-group-version-kind': [definition.gvk] } : {}),
      },
    );
  };
  clientValidatedKinds.forEach(reach);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths: {},
    definitions: Object.fromEntries([...reached].sort(([a], [b]) => a.localeCompare(b))),
  };
}

// gnostic's openapi_v2 messages (github.com/google/gnostic-models openapiv2/OpenAPIv2.proto), the fields used here.
const v2Proto = protobuf.Root.fromJSON({
  nested: {
    Document: {
      fields: {
        swagger: { type: 'string', id: 1 },
        info: { type: 'Info', id: 2 },
        paths: { type: 'Paths', id: 8 },
        definitions: { type: 'Definitions', id: 9 },
      },
    },
    Info: { fields: { title: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } } },
    Paths: { fields: { path: { rule: 'repeated', type: 'NamedAny', id: 2 } } },
    Definitions: { fields: { additionalProperties: { rule: 'repeated', type: 'NamedSchema', id: 1 } } },
    NamedSchema: { fields: { name: { type: 'string', id: 1 }, value: { type: 'Schema', id: 2 } } },
    NamedAny: { fields: { name: { type: 'string', id: 1 }, value: { type: 'Any', id: 2 } } },
    Any: { fields: { yaml: { type: 'string', id: 2 } } },
    Schema: {
      fields: {
        ref: { type: 'string', id: 1 },
        format: { type: 'string', id: 2 },
        required: { rule: 'repeated', type: 'string', id: 19 },
        additionalProperties: { type: 'AdditionalPropertiesItem', id: 21 },
        type: { type: 'TypeItem', id: 22 },
        items: { type: 'ItemsItem', id: 23 },
        properties: { type: 'Properties', id: 25 },
        vendorExtension: { rule: 'repeated', type: 'NamedAny', id: 31 },
      },
    },
    AdditionalPropertiesItem: { fields: { schema: { type: 'Schema', id: 1 } } },
    TypeItem: { fields: { value: { rule: 'repeated', type: 'string', id: 1 } } },
    ItemsItem: { fields: { schema: { rule: 'repeated', type: 'Schema', id: 1 } } },
    Properties: { fields: { additionalProperties: { rule: 'repeated', type: 'NamedSchema', id: 1 } } },
  },
});

type JsonSchema = Record<string, unknown>;

function protoSchema(schema: JsonSchema): object {
  const named = (entries: Record<string, JsonSchema>) =>
    Object.entries(entries).map(([name, value]) => ({ name, value: protoSchema(value) }));
  return {
    ...(schema.$ref ? { ref: schema.$ref } : {}),
    ...(schema.format ? { format: schema.format } : {}),
    ...(schema.required ? { required: schema.required } : {}),
    ...(schema.additionalProperties
      ? { additionalProperties: { schema: protoSchema(schema.additionalProperties as JsonSchema) } }
      : {}),
    ...(schema.type ? { type: { value: [schema.type] } } : {}),
    ...(schema.items ? { items: { schema: [protoSchema(schema.items as JsonSchema)] } } : {}),
    ...(schema.properties ? { properties: { additionalProperties: named(schema.properties as never) } } : {}),
    vendorExtension: Object.entries(schema)
      .filter(([key]) => key.startsWith('x-'))
      .map(([name, value]) => ({ name, value: { yaml: stringify(value) } })),
  };
}

const v2Document = openApiV2();
const v2Json = JSON.stringify(v2Document);
const Document = v2Proto.lookupType('Document');
const v2Protobuf = Buffer.from(
  Document.encode(
    Document.fromObject({
      ...v2Document,
      definitions: {
        additionalProperties: Object.entries(v2Document.definitions).map(([name, value]) => ({
          name,
          value: protoSchema(value as JsonSchema),
        })),
      },
    }),
  ).finish(),
);

// kube-openapi handler.go: kubectl asks for the deprecated `…spec.v2@v1.0+protobuf`; either is answered with the
// `…spec.v2.v1.0+protobuf` content type (Go's mime parser refuses the '@').
const v2ProtobufSubTypes = [
  'com.github.proto-openapi.spec.v2@v1.0+protobuf',
  'com.github.proto-openapi.spec.v2.v1.0+protobuf',
];

/** /openapi/v2 in protobuf when asked for it, else in JSON. */
export function openApiV2Body(accept: string): { body: Buffer | string; contentType: string } {
  return v2ProtobufSubTypes.some((subType) => accept.includes(`application/${subType}`))
    ? { body: v2Protobuf, contentType: `application/${v2ProtobufSubTypes[1]}` }
    : { body: v2Json, contentType: 'application/json' };
}
