// Read-only YAML of one object for the "Open YAML" document: managedFields dropped, Secret values masked.
import { stringify } from 'yaml';
import type { KubeHttp } from './http';
import { resourcePath } from './inventory';

export type ObjectKind = 'ServiceAccount' | 'Secret' | 'Pod' | 'Namespace';

const RESOURCES: Record<ObjectKind, string> = {
  ServiceAccount: 'serviceaccounts',
  Secret: 'secrets',
  Pod: 'pods',
  Namespace: 'namespaces',
};

/** kubectl apply keeps the whole applied object, Secret data included, in this annotation. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface RawObject {
  metadata?: { managedFields?: unknown; annotations?: Record<string, string> };
  data?: Record<string, unknown>;
  stringData?: Record<string, unknown>;
}

export async function getObjectYaml(
  http: KubeHttp,
  kind: ObjectKind,
  namespace: string | null,
  name: string,
  signal?: AbortSignal,
): Promise<string> {
  const resource = RESOURCES[kind];
  const collection = kind === 'Namespace' ? '/api/v1/namespaces' : resourcePath(resource, namespace ?? 'default');
  const object = await http.json<RawObject>({
    path: `${collection}/${encodeURIComponent(name)}`,
    purpose: { verb: 'get', resource: kind.toLowerCase(), namespace, name },
    signal,
  });
  return stringify(kind === 'Secret' ? maskSecret(withoutManagedFields(object)) : withoutManagedFields(object));
}

function withoutManagedFields(object: RawObject): RawObject {
  if (object.metadata) delete object.metadata.managedFields;
  return object;
}

export function maskSecret(secret: RawObject): RawObject {
  for (const field of ['data', 'stringData'] as const) {
    const values = secret[field];
    if (!values || typeof values !== 'object') continue;
    for (const key of Object.keys(values)) values[key] = maskedValue(field, values[key]);
  }
  const annotations = secret.metadata?.annotations;
  if (annotations && LAST_APPLIED in annotations) annotations[LAST_APPLIED] = '<masked: holds the Secret data>';
  return secret;
}

function maskedValue(field: 'data' | 'stringData', value: unknown): string {
  if (typeof value !== 'string') return '<masked>';
  const bytes = field === 'data' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value);
  return `<masked: ${bytes} bytes>`;
}
