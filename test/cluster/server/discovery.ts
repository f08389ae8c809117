// Discovery documents: /version, /api, /apis, the resource lists, and aggregated discovery (apidiscovery.k8s.io v2)
// when the client asks for it in Accept.
import { rbacGroup, rbacResources } from './rbac/resources';
import { resources } from './resources';

const verbs = ['create', 'delete', 'get', 'list', 'watch'];
/** Core resources also take a JSON patch (resource-handlers.ts). */
const coreVerbs = ['create', 'delete', 'get', 'list', 'patch', 'watch'];
const authenticationGroup = 'authentication.k8s.io';

export const versionInfo = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** The non-core groups: cluster-scoped, create-only review resources unless said otherwise. */
const groups: Record<string, { name: string; kind: string; namespaced?: boolean; verbs?: string[] }[]> = {
  [authenticationGroup]: [
    { name: 'selfsubjectreviews', kind: 'SelfSubjectReview' },
    { name: 'tokenreviews', kind: 'TokenReview' },
  ],
  'authorization.k8s.io': [
    { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
    { name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview' },
    { name: 'subjectaccessreviews', kind: 'SubjectAccessReview' },
  ],
  [rbacGroup]: rbacResources.map(({ name, kind, namespaced }) => ({ name, kind, namespaced, verbs })),
};

const groupVersion = (name: string) => ({ groupVersion: `${name}/v1`, version: 'v1' });

export function groupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(groups).map((name) => group(name)) };
}

export function group(name: string) {
  if (!groups[name]) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions: [groupVersion(name)],
    preferredVersion: groupVersion(name),
  };
}

export function coreResourceList(tokenRequest: boolean) {
  const list = resources.flatMap((definition) => {
    const entry = {
      name: definition.name,
      singularName: definition.singularName,
      namespaced: definition.namespaced,
      kind: definition.kind,
      verbs: coreVerbs,
      ...(definition.shortNames.length ? { shortNames: definition.shortNames } : {}),
      ...(definition.categories ? { categories: definition.categories } : {}),
    };
    if (definition.name !== 'serviceaccounts' || !tokenRequest) return [entry];
    const token = {
      name: 'serviceaccounts/token',
      singularName: '',
      namespaced: true,
      group: authenticationGroup,
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    };
    return [entry, token];
  });
  return { kind: 'APIResourceList', groupVersion: 'v1', resources: list };
}

/** The APIResourceList of /apis/<group>/v1, or undefined for groups the server does not serve. */
export function groupResourceList(name: string) {
  const resources = groups[name];
  if (!resources) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${name}/v1`,
    resources: resources.map(({ name: resource, kind, namespaced = false, verbs = ['create'] }) => ({
      name: resource,
      singularName: resource.slice(0, -1),
      namespaced,
      kind,
      verbs,
    })),
  };
}

/** Aggregated discovery for /api (core) or /apis (groups). */
export function aggregatedDiscovery(version: 'v2' | 'v2beta1', core: boolean, tokenRequest: boolean) {
  const coreGroup = {
    metadata: { creationTimestamp: null },
    versions: [
      {
        version: 'v1',
        freshness: 'Current',
        resources: resources.map((definition) => coreDiscoveryResource(definition, tokenRequest)),
      },
    ],
  };
  const groupItems = Object.entries(groups).map(([name, resources]) => ({
    metadata: { name, creationTimestamp: null },
    versions: [
      {
        version: 'v1',
        freshness: 'Current',
        resources: resources.map(({ name: resource, kind, namespaced = false, verbs = ['create'] }) => ({
          resource,
          responseKind: { group: name, version: 'v1', kind },
          scope: namespaced ? 'Namespaced' : 'Cluster',
          singularResource: resource.slice(0, -1),
          verbs,
        })),
      },
    ],
  }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: core ? [coreGroup] : groupItems,
  };
}

function coreDiscoveryResource(definition: (typeof resources)[number], tokenRequest: boolean) {
  const token = {
    subresource: 'token',
    responseKind: { group: authenticationGroup, version: 'v1', kind: 'TokenRequest' },
    verbs: ['create'],
  };
  return {
    resource: definition.name,
    responseKind: { group: '', version: 'v1', kind: definition.kind },
    scope: definition.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: definition.singularName,
    verbs,
    ...(definition.shortNames.length ? { shortNames: definition.shortNames } : {}),
    ...(definition.categories ? { categories: definition.categories } : {}),
    ...(definition.name === 'serviceaccounts' && tokenRequest ? { subresources: [token] } : {}),
  };
}

export function openIdConfiguration(serverUrl: string, issuerUrl: string, algorithms: string[]) {
  return {
    issuer: issuerUrl,
    jwks_uri: `${serverUrl}/openid/v1/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algorithms,
  };
}
