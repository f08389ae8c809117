// Field validation on create (apiserver endpoints/handlers/create.go): the body is decoded strictly
// (sigs.k8s.io/json) and its unknown fields are, by `?fieldValidation=`, refused (Strict: 400, worded by
// rest.go transformDecodeError), reported as warnings (Warn, the default when the parameter is absent) or ignored.
import type { ServerResponse } from 'node:http';
import { definitionOf, unknownFields } from './kubectl/schemas';
import { isObject } from './objects';
import { badRequest } from './status';

export function validateFields(query: URLSearchParams, response: ServerResponse, body: unknown): void {
  const directive = query.get('fieldValidation') || 'Warn';
  if (directive === 'Ignore' || !isObject(body)) return;
  const { apiVersion, kind } = body;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const definition = definitionOf(group, version, kind);
  if (!definition) return;
  const unknown = unknownFields(definition, body).map((path) => `unknown field ${JSON.stringify(path)}`);
  if (!unknown.length) return;
  if (directive === 'Strict')
    throw badRequest(
      `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${unknown.join(', ')}`,
    );
  // warning.AddWarning for each: `Warning: 299 - "<text>"`, which kubectl prints as "Warning: <text>".
  const previous = response.getHeader('Warning');
  const earlier = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  response.setHeader('Warning', [...earlier, ...unknown.map((text) => `299 - ${JSON.stringify(text)}`)]);
}
