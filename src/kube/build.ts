// Joins the lean lists into the per-service-account model. Pure and deterministic (sorted output).
import type { LeanPod, LeanServiceAccount } from '../core/cluster/lean';
import type {
  Inventory,
  InventoryError,
  PodInfo,
  ServiceAccountInfo,
  StaticPodInfo,
  TokenSecretInfo,
} from '../core/cluster/model';

export interface LeanLists {
  serviceAccounts: LeanServiceAccount[];
  tokenSecrets: TokenSecretInfo[];
  pods: LeanPod[];
  /** Namespaces whose token Secrets were listed; elsewhere "missing" cannot be told and is left empty. */
  secretsKnownIn: (namespace: string) => boolean;
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

export function buildInventory(context: string, lists: LeanLists, errors: InventoryError[]): Inventory {
  const accounts = new Map<string, ServiceAccountInfo>();
  const accountFor = (namespace: string, name: string): ServiceAccountInfo => {
    let account = accounts.get(key(namespace, name));
    if (!account) {
      // Referenced by a pod or a token Secret but not listed (deleted, or listing it was forbidden).
      account = newAccount({
        namespace,
        name,
        uid: '',
        automountServiceAccountToken: null,
        secrets: [],
        imagePullSecrets: [],
      });
      accounts.set(key(namespace, name), account);
    }
    return account;
  };
  for (const lean of lists.serviceAccounts) accounts.set(key(lean.namespace, lean.name), newAccount(lean));

  const existingTokenSecrets = new Set(lists.tokenSecrets.map((secret) => key(secret.namespace, secret.name)));
  for (const secret of lists.tokenSecrets) {
    if (secret.serviceAccount) accountFor(secret.namespace, secret.serviceAccount).tokenSecrets.push(secret);
  }
  for (const account of accounts.values()) {
    if (!lists.secretsKnownIn(account.namespace)) continue;
    account.missingSecrets = account.secretsList.filter(
      (name) => !existingTokenSecrets.has(key(account.namespace, name)),
    );
  }

  const tokenSecretNames = tokenSecretNamesByKey(lists);
  const staticPods: StaticPodInfo[] = [];
  for (const pod of lists.pods) {
    // A static pod has no service account (its empty serviceAccountName is not "default") and no token.
    if (pod.mirror) {
      staticPods.push({ namespace: pod.namespace, name: pod.name });
      continue;
    }
    const account = accountFor(pod.namespace, pod.serviceAccount);
    account.pods.push(podInfo(pod, account, tokenSecretNames));
  }
  staticPods.sort((a, b) => (a.namespace === b.namespace ? byName(a, b) : a.namespace < b.namespace ? -1 : 1));
  return { context, serviceAccounts: sortAccounts([...accounts.values()]), staticPods, errors };
}

function newAccount(lean: LeanServiceAccount): ServiceAccountInfo {
  return {
    namespace: lean.namespace,
    name: lean.name,
    uid: lean.uid,
    automountServiceAccountToken: lean.automountServiceAccountToken,
    tokenSecrets: [],
    secretsList: lean.secrets,
    missingSecrets: [],
    imagePullSecrets: lean.imagePullSecrets,
    pods: [],
  };
}

/** Names that are token Secrets: the listed ones, plus any named in a `.secrets` list (legacy, maybe deleted since). */
function tokenSecretNamesByKey(lists: LeanLists): Set<string> {
  const names = new Set(lists.tokenSecrets.map((secret) => key(secret.namespace, secret.name)));
  for (const account of lists.serviceAccounts) {
    for (const name of account.secrets) names.add(key(account.namespace, name));
  }
  return names;
}

function podInfo(pod: LeanPod, account: ServiceAccountInfo, tokenSecretNames: Set<string>): PodInfo {
  return {
    name: pod.name,
    // The pod's setting wins over the service account's; Kubernetes mounts by default.
    automount: pod.automount ?? account.automountServiceAccountToken ?? true,
    tokenSources: pod.sources.filter(
      (source) => source.kind === 'projected' || tokenSecretNames.has(key(pod.namespace, source.secretName)),
    ),
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sortAccounts(accounts: ServiceAccountInfo[]): ServiceAccountInfo[] {
  for (const account of accounts) {
    account.tokenSecrets.sort(byName);
    account.pods.sort(byName);
  }
  return accounts.sort((a, b) => (a.namespace === b.namespace ? byName(a, b) : a.namespace < b.namespace ? -1 : 1));
}
