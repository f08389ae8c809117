// Lists service accounts, token Secrets and pods (cluster-wide, or per namespace when cluster-wide is forbidden),
// reduces every page to the lean model as it arrives, and turns per-resource refusals into InventoryErrors.
import { buildInventory } from './build';
import { ClusterError, isClusterError, toClusterError } from './errors';
import { METADATA_LIST_ONLY, parseJson, type KubeHttp } from './http';
import { LEGACY_TOKEN_TRACKING_CONFIGMAP, TOKEN_SECRET_TYPE } from '../core/kubernetes';
import { leanPod, leanServiceAccount, leanTokenSecret } from '../core/cluster/lean';
import type { Inventory, InventoryError } from '../core/cluster/model';

export type ListedResource = 'serviceaccounts' | 'secrets' | 'pods';
const RESOURCES: ListedResource[] = ['serviceaccounts', 'secrets', 'pods'];
const REDUCERS = { serviceaccounts: leanServiceAccount, secrets: leanTokenSecret, pods: leanPod } as const;
/**
 * Per-namespace fallback requests in flight at once (all resources together): enough to hide latency, few enough
 * not to flood the server. Halved each time the server throttles (429), down to one.
 */
const NAMESPACE_CONCURRENCY = 12;

type LeanOf<R extends ListedResource> = NonNullable<ReturnType<(typeof REDUCERS)[R]>>;

interface Outcome {
  resource: ListedResource;
  /** null: all namespaces at once. */
  namespace: string | null;
  items?: unknown[];
  /** What `keep` made of each item (same order), when a keeper was given for the resource. */
  kept?: unknown[];
  error?: ClusterError;
}

/** A second reduction of each listed item, next to the lean one (e.g. what the report's doctor reads of a pod). */
export type Keepers = Partial<Record<ListedResource, (item: unknown) => unknown>>;

export interface InventoryOptions {
  namespace?: string;
  signal?: AbortSignal;
  /** Where to look when namespaces may not be listed (ClusterConnection: the kubeconfig's namespaces). */
  fallbackNamespaces?: string[];
}

export interface NamespaceChoice {
  names: string[];
  /** Set when these are not the cluster's list (listing namespaces was forbidden). */
  note?: string;
}

/** What the tree and the CLI say when they show the kubeconfig's namespaces instead of the cluster's list. */
export function namespaceFallbackNote(names: string[]): string {
  return `forbidden: cannot list namespaces; showing the namespaces your kubeconfig names for this cluster (${names.join(', ')}). Pick others with Filter Namespaces (setting saToken.namespaces) or sa-token inventory --namespace`;
}

export function resourcePath(resource: string, namespace: string | null): string {
  return namespace === null ? `/api/v1/${resource}` : `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/** Lists one resource in one namespace (or all), reduced to lean records page by page. */
export async function listLean<R extends ListedResource>(
  http: KubeHttp,
  resource: R,
  namespace: string | null,
  signal?: AbortSignal,
  onThrottled?: () => void,
  keep?: { reduce: (item: unknown) => unknown; into: unknown[] },
): Promise<LeanOf<R>[]> {
  const reduce = REDUCERS[resource] as (item: unknown) => LeanOf<R> | null;
  const items: LeanOf<R>[] = [];
  // Token Secrets as metadata only: their data is fetched one Secret at a time, when the user asks.
  const secrets = resource === 'secrets';
  const query = secrets ? { fieldSelector: `type=${TOKEN_SECRET_TYPE}` } : {};
  await http.list(
    {
      path: resourcePath(resource, namespace),
      query,
      accept: secrets ? METADATA_LIST_ONLY : undefined,
      purpose: { verb: 'list', resource, namespace },
      signal,
      onThrottled,
    },
    (page) => {
      for (const item of page) {
        const lean = reduce(item);
        if (lean) items.push(lean);
        if (lean && keep) keep.into.push(keep.reduce(item));
      }
    },
    () => {
      items.length = 0;
      if (keep) keep.into.length = 0;
    },
  );
  return items;
}

export async function listNamespaceNames(http: KubeHttp, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  await http.list(
    { path: '/api/v1/namespaces', purpose: { verb: 'list', resource: 'namespaces' }, signal },
    (page) => {
      for (const item of page) {
        const name = (item as { metadata?: { name?: unknown } } | null)?.metadata?.name;
        if (typeof name === 'string') names.push(name);
      }
    },
    () => (names.length = 0),
  );
  return names.sort();
}

/** Errors that make the whole answer meaningless rather than partial. */
const FATAL_KINDS = new Set(['unauthorized', 'cancelled', 'tls', 'config']);

export async function collectInventory(http: KubeHttp, context: string, options: InventoryOptions): Promise<Inventory> {
  return (await collectInventoryKeeping(http, context, options, {})).inventory;
}

/** The inventory, and what `keepers` made of every listed item of their resources (lists fetched once for both). */
export async function collectInventoryKeeping(
  http: KubeHttp,
  context: string,
  options: InventoryOptions,
  keepers: Keepers,
): Promise<{ inventory: Inventory; kept: Record<ListedResource, unknown[]> }> {
  const run = new InventoryRun(http, options.signal, options.fallbackNamespaces ?? [], keepers);
  const scope = options.namespace || null;
  // Each resource falls back on its own, so a quick 403 on secrets is retried while pods are still listing.
  const tracking = legacyTokenTrackingSince(http, run.signal);
  const outcomes = (await Promise.all(RESOURCES.map((resource) => run.listWithFallback(resource, scope)))).flat();
  if (run.fatal) throw run.fatal;
  const failures = outcomes.filter((outcome) => outcome.error);
  const firstHardFailure = failures.find((outcome) => outcome.error?.kind !== 'forbidden');
  if (firstHardFailure?.error && failures.length === outcomes.length) throw firstHardFailure.error;
  const errors = [...run.errors, ...failures.map((failure) => inventoryError(failure, outcomes))];
  const inventory = {
    ...buildInventory(context, leanLists(outcomes), errors),
    legacyTokenTrackingSince: await tracking,
  };
  // Listing in a namespace that does not exist succeeds with nothing: tell a typo from an empty namespace.
  if (scope !== null && inventory.serviceAccounts.length === 0 && errors.length === 0)
    await assertNamespaceExists(http, scope, options.signal);
  const keptOf = (resource: ListedResource) =>
    outcomes.filter((outcome) => outcome.resource === resource && outcome.kept).flatMap((outcome) => outcome.kept!);
  return {
    inventory,
    kept: { serviceaccounts: keptOf('serviceaccounts'), secrets: keptOf('secrets'), pods: keptOf('pods') },
  };
}

/**
 * The tracking ConfigMap's `since` (kube-system): null when it is missing, unreadable (most users may not read
 * kube-system) or malformed — it only refines the cleanup dates, so it never fails the inventory.
 */
async function legacyTokenTrackingSince(http: KubeHttp, signal: AbortSignal): Promise<string | null> {
  const { namespace, name, key } = LEGACY_TOKEN_TRACKING_CONFIGMAP;
  try {
    const response = await http.send({
      path: `/api/v1/namespaces/${namespace}/configmaps/${name}`,
      purpose: { verb: 'get', resource: 'configmap', namespace, name },
      signal,
    });
    if (response.status !== 200) return null;
    const since = parseJson<{ data?: Record<string, unknown> }>(response.body, {
      verb: 'get',
      resource: 'configmap',
      namespace,
      name,
    })?.data?.[key];
    return typeof since === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(since) ? since : null;
  } catch {
    return null;
  }
}

async function assertNamespaceExists(http: KubeHttp, namespace: string, signal?: AbortSignal): Promise<void> {
  const response = await http.send({
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
    purpose: { verb: 'get', resource: 'namespace', name: namespace },
    signal,
  });
  if (response.status === 404) throw new ClusterError('not-found', `namespace "${namespace}" does not exist`, 404);
}

/** One inventory's requests: shared cancellation, the first fatal error, the namespace list if it is needed. */
class InventoryRun {
  fatal: ClusterError | undefined;
  readonly errors: InventoryError[] = [];
  private readonly stop = new AbortController();
  readonly signal: AbortSignal;
  private namespaces: Promise<string[] | null> | undefined;
  private readonly permits = new Permits(NAMESPACE_CONCURRENCY);

  constructor(
    private readonly http: KubeHttp,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly fallbackNamespaces: string[],
    private readonly keepers: Keepers = {},
  ) {
    this.signal = callerSignal ? AbortSignal.any([callerSignal, this.stop.signal]) : this.stop.signal;
  }

  async attempt(resource: ListedResource, namespace: string | null): Promise<Outcome> {
    const keeper = this.keepers[resource];
    const keep = keeper ? { reduce: keeper, into: [] as unknown[] } : undefined;
    try {
      const items = await listLean(this.http, resource, namespace, this.signal, () => this.permits.backOff(), keep);
      return { resource, namespace, items, kept: keep?.into };
    } catch (error) {
      const clusterError = toClusterError(error);
      if (FATAL_KINDS.has(clusterError.kind) && !this.fatal) {
        // The caller's own cancellation is reported as such, not as whatever our abort caused.
        this.fatal = this.callerSignal?.aborted ? new ClusterError('cancelled', 'cancelled: inventory') : clusterError;
        this.stop.abort();
      }
      return { resource, namespace, error: clusterError };
    }
  }

  /** A user allowed only some namespaces gets 403 on cluster-wide lists: list namespace by namespace instead. */
  async listWithFallback(resource: ListedResource, scope: string | null): Promise<Outcome[]> {
    const whole = await this.attempt(resource, scope);
    if (scope !== null || whole.error?.kind !== 'forbidden' || this.fatal) return [whole];
    const namespaces = await this.namespaceNames();
    if (!namespaces) return [whole];
    const retried = await Promise.all(
      namespaces.map((namespace) => this.permits.run(() => this.attempt(resource, namespace))),
    );
    // Forbidden everywhere: one error for the resource rather than one per namespace.
    return retried.every((outcome) => outcome.error?.kind === 'forbidden') ? [whole] : retried;
  }

  private namespaceNames(): Promise<string[] | null> {
    this.namespaces ??= listNamespaceNames(this.http, this.signal).catch((error: unknown) => {
      const forbidden = isClusterError(error) && error.kind === 'forbidden';
      // The usual restricted user may not list namespaces: look where the kubeconfig says they work.
      if (forbidden && this.fallbackNamespaces.length) {
        this.errors.push({
          resource: 'namespaces',
          namespace: null,
          reason: namespaceFallbackNote(this.fallbackNamespaces),
        });
        return this.fallbackNamespaces;
      }
      const reason = forbidden ? 'forbidden: cannot list namespaces' : String((error as Error).message);
      this.errors.push({ resource: 'namespaces', namespace: null, reason });
      return null;
    });
    return this.namespaces;
  }
}

/** A concurrency limit shared by the fallback lists of every resource, lowered when the server throttles. */
class Permits {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await job();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** The server said 429: fewer requests at once from now on (client-go's flowcontrol would slow down too). */
  backOff(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
  }
}

/** Listed in `namespace`; for null (all namespaces), listed anywhere. */
function succeeded(outcomes: Outcome[], resource: ListedResource, namespace: string | null): boolean {
  return outcomes.some(
    (o) =>
      o.resource === resource && o.items && (namespace === null || o.namespace === null || o.namespace === namespace),
  );
}

/** "forbidden: can list serviceaccounts and pods but not secrets in namespace team-b". */
function inventoryError(failure: Outcome, outcomes: Outcome[]): InventoryError {
  const { resource, namespace, error } = failure;
  if (error?.kind !== 'forbidden') return { resource, namespace, reason: error?.message ?? 'failed' };
  const where = namespace === null ? 'in any namespace' : `in namespace ${namespace}`;
  const allowed = RESOURCES.filter((other) => other !== resource && succeeded(outcomes, other, namespace));
  const reason = allowed.length
    ? `forbidden: can list ${allowed.join(' and ')} but not ${resource} ${where}`
    : `forbidden: cannot list ${resource} ${where}`;
  return { resource, namespace, reason };
}

function leanLists(outcomes: Outcome[]) {
  const itemsOf = <R extends ListedResource>(resource: R) =>
    outcomes
      .filter((outcome) => outcome.resource === resource && outcome.items)
      .flatMap((outcome) => outcome.items as LeanOf<R>[]);
  return {
    serviceAccounts: itemsOf('serviceaccounts'),
    tokenSecrets: itemsOf('secrets'),
    pods: itemsOf('pods'),
    secretsKnownIn: secretsKnownIn(outcomes),
  };
}

function secretsKnownIn(outcomes: Outcome[]): (namespace: string) => boolean {
  const listed = outcomes.filter((outcome) => outcome.resource === 'secrets' && outcome.items);
  if (listed.some((outcome) => outcome.namespace === null)) return () => true;
  const namespaces = new Set(listed.map((outcome) => outcome.namespace));
  return (namespace) => namespaces.has(namespace);
}
