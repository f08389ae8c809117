// Kubernetes client libraries and the first version of each that re-reads a rotated service account token file
// (rule SAT201). A fixed table: the editor opens only these changelog URLs, never one taken from a file.
// Sources are cited per row and in the README rule table; docs/kubernetes-token-facts.md has the details.

export type Ecosystem = 'go' | 'npm' | 'pypi' | 'maven' | 'nuget' | 'rubygems' | 'cargo';

export interface ClientLibrary {
  /** Short id, stable for tests and settings. */
  id: string;
  /** How people call it. */
  title: string;
  ecosystem: Ecosystem;
  /** Package names as the ecosystem spells them (Maven: group:artifact). */
  packages: readonly string[];
  /** The first version that reloads the token; anything below reads it once and fails after it expires. */
  firstReloading: string;
  /** The changelog or release entry of that version (opened by the code action). */
  changelog: string;
  /** Where the version comes from. */
  source: string;
}

const KUBERNETES_DOCS =
  'Kubernetes documentation (bound service account tokens: client libraries that reload the token)';

export const CLIENT_LIBRARIES: readonly ClientLibrary[] = [
  {
    id: 'client-go',
    title: 'Go client-go',
    ecosystem: 'go',
    packages: ['k8s.io/client-go'],
    firstReloading: '0.15.7',
    changelog: 'https://github.com/kubernetes/client-go/releases/tag/v0.15.7',
    source: KUBERNETES_DOCS,
  },
  {
    id: 'kubernetes-python',
    title: 'Python kubernetes',
    ecosystem: 'pypi',
    packages: ['kubernetes'],
    firstReloading: '12.0.0',
    changelog: 'https://github.com/kubernetes-client/python/blob/master/CHANGELOG.md#v1200',
    source: KUBERNETES_DOCS,
  },
  {
    id: 'client-java',
    title: 'Java io.kubernetes:client-java',
    ecosystem: 'maven',
    packages: ['io.kubernetes:client-java'],
    firstReloading: '9.0.0',
    changelog: 'https://github.com/kubernetes-client/java/releases/tag/client-java-parent-9.0.0',
    source: KUBERNETES_DOCS,
  },
  {
    id: 'client-node',
    title: 'JavaScript @kubernetes/client-node',
    ecosystem: 'npm',
    packages: ['@kubernetes/client-node'],
    firstReloading: '0.10.3',
    changelog: 'https://www.npmjs.com/package/@kubernetes/client-node/v/0.10.3',
    source: KUBERNETES_DOCS,
  },
  {
    id: 'fabric8',
    title: 'fabric8 kubernetes-client',
    ecosystem: 'maven',
    packages: ['io.fabric8:kubernetes-client', 'io.fabric8:kubernetes-client-api'],
    firstReloading: '5.8.0',
    changelog: 'https://github.com/fabric8io/kubernetes-client/blob/main/CHANGELOG.md#580-2021-09-23',
    source:
      'fabric8io/kubernetes-client CHANGELOG 5.8.0 (2021-09-23): "Fix #3445: TokenRefreshInterceptor throws when running incluster config" (commit 5b7b0e7b10): on a 401 the client re-reads the token file',
  },
  {
    id: 'kubernetes-client-csharp',
    title: 'C# KubernetesClient',
    ecosystem: 'nuget',
    packages: ['KubernetesClient'],
    firstReloading: '2.0.22',
    changelog: 'https://github.com/kubernetes-client/csharp/pull/440',
    source:
      'kubernetes-client/csharp PR #440 "add TokenFileAuth which reloads token if it expires" (commit 6d5fefdb, 2020-05-18); 2.0.22 is that commit\'s Nerdbank.GitVersioning version (version.json 2.0, height 22)',
  },
  {
    id: 'kubeclient',
    title: 'Ruby kubeclient',
    ecosystem: 'rubygems',
    packages: ['kubeclient'],
    firstReloading: '4.10.0',
    changelog: 'https://github.com/ManageIQ/kubeclient/blob/master/CHANGELOG.md#4100--2022-08-29',
    source:
      'ManageIQ/kubeclient CHANGELOG 4.10.0 (2022-08-29): "When using :bearer_token_file, re-read the file on every request. (#566 closed #561)"',
  },
  {
    id: 'kube-rs',
    title: 'Rust kube',
    ecosystem: 'cargo',
    packages: ['kube', 'kube-client'],
    firstReloading: '0.69.1',
    changelog: 'https://github.com/kube-rs/kube/releases/tag/0.69.1',
    source:
      'kube-rs/kube CHANGELOG: 0.69.0 added in-cluster token reloading (PR #768) but deadlocked after about a minute (#829); 0.69.1 (PR #831) fixed it',
  },
];

/** The library a package name of an ecosystem belongs to (names compared the way each registry does). */
export function clientLibrary(ecosystem: Ecosystem, name: string): ClientLibrary | undefined {
  const normalized = normalizePackageName(ecosystem, name);
  return CLIENT_LIBRARIES.find(
    (library) =>
      library.ecosystem === ecosystem &&
      library.packages.some((candidate) => normalizePackageName(ecosystem, candidate) === normalized),
  );
}

/** PyPI names are case-insensitive with -_. equivalent (PEP 503); NuGet ids are case-insensitive. */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === 'pypi') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (ecosystem === 'nuget') return name.toLowerCase();
  return name;
}

export const changelogOf = (id: string): string | undefined =>
  CLIENT_LIBRARIES.find((library) => library.id === id)?.changelog;
