// meta.k8s.io Table responses, which `kubectl get` asks for (Accept: ...;as=Table) to print server-side columns.
import type { KubeObject } from '../objects';
import { apiVersionOf, type ResourceDef } from '../resources';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function rowObject(definition: ResourceDef, object: KubeObject, include: IncludeObject, version: string) {
  if (include === 'None') return undefined;
  if (include === 'Object') return { kind: definition.kind, apiVersion: apiVersionOf(definition), ...object };
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata };
}

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  include: IncludeObject;
  listMeta: Record<string, unknown>;
  withColumns?: boolean;
  now?: number;
}

export function toTable(definition: ResourceDef, objects: KubeObject[], options: TableOptions) {
  const now = options.now ?? Date.now();
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: options.listMeta,
    ...(options.withColumns === false ? {} : { columnDefinitions: definition.columns }),
    rows: objects.map((object) => ({
      cells: definition.cells(object, now),
      object: rowObject(definition, object, options.include, options.version),
    })),
  };
}
