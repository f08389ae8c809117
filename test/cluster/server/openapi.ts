// A minimal OpenAPI v3 surface: enough for kubectl to learn that the server validates fields itself
// (`fieldValidation` on each kind's PATCH operation), so `kubectl create -f` with default validation sends
// fieldValidation=Strict instead of downloading full schemas. No schemas are served.
import { createHash } from 'node:crypto';
import { resources } from './resources';

const fieldValidation = {
  name: 'fieldValidation',
  in: 'query',
  description:
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.',
  schema: { type: 'string', uniqueItems: true },
};

function coreDocument() {
  const paths: Record<string, unknown> = {};
  for (const definition of resources) {
    const path = definition.namespaced
      ? `/api/v1/namespaces/{namespace}/${definition.name}/{name}`
      : `/api/v1/${definition.name}/{name}`;
    const gvk = { group: '', version: 'v1', kind: definition.kind };
    paths[path] = {
      get: {
        operationId: `readCoreV1${definition.kind}`,
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': { description: 'OK' } },
      },
      patch: {
        operationId: `patchCoreV1${definition.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [fieldValidation],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths };
}

const core = JSON.stringify(coreDocument());
const coreHash = createHash('sha512').update(core).digest('hex').slice(0, 128).toUpperCase();

export function openApiV3Root() {
  return { paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${coreHash}` } } };
}

/** The document for a group-version path under /openapi/v3/, or undefined. */
export function openApiV3Document(path: string): string | undefined {
  return path === '/openapi/v3/api/v1' ? core : undefined;
}
