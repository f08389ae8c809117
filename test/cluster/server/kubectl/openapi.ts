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

const documents = new Map(
  [
    ['api/v1', groupVersionDocument('api/v1', '', resources)],
    [`apis/${rbacGroup}/v1`, groupVersionDocument(`apis/${rbacGroup}/v1`, rbacGroup, rbacResources)],
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
