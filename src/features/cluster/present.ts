// How each tree node reads: label, description, tooltip, icon and contextValue. Pure (no vscode import);
// the provider turns a NodeView into a TreeItem. Tooltips are plain text: cluster data is never rendered as markdown.
import {
  accountRisks,
  DEFAULT_CLEAN_UP_PERIOD_DAYS,
  describeCleanup,
  isCleanerCandidate,
  legacyCleanup,
  isRiskyRead,
  type CleanupTimeline,
  STALE_DAYS,
  tokenSecretState,
  tokenSecretSummary,
  type TokenSecretState,
} from '../../core/cluster/judgements';
import type { ContainerUse, PodTokenSource, ServiceAccountInfo } from '../../core/cluster/model';
import {
  DEFAULT_PROJECTED_EXPIRATION_SECONDS,
  INJECTED_VOLUME_PREFIX,
  INVALID_SINCE_LABEL,
  LAST_USED_LABEL,
  TOKEN_SECRET_TYPE,
} from '../../core/kubernetes';
import type { PolicyRule } from '../../core/rbac/index';
import type { SecretContext } from '../../core/tokens/explain';
import { formatInstant, formatSeconds } from '../../core/time';
import type { ClusterNode, GroupKind } from './nodes';

/** `warning` and `error` become themed icons; `muted` a disabled-looking one. */
export type IconTone = 'warning' | 'error' | 'muted';

export interface NodeView {
  label: string;
  description?: string;
  tooltip?: string;
  icon: { id: string; tone?: IconTone };
  /** Fixed words used by `viewItem == …` menu clauses. */
  contextValue: string;
  collapsible: boolean;
  /** Shown open from the start (the context root). */
  expanded?: boolean;
}

/**
 * `cleanUpPeriodDays`: the cluster's legacy token clean-up period (setting; the controller flag is not visible).
 * `namespaceProblems`: for a namespace whose inventory is loaded, how many of its service accounts deserve a look.
 */
export function present(
  node: ClusterNode,
  now: Date,
  cleanUpPeriodDays = DEFAULT_CLEAN_UP_PERIOD_DAYS,
  namespaceProblems?: number,
): NodeView {
  switch (node.type) {
    case 'context':
      return {
        label: node.context,
        description: node.server ?? undefined,
        tooltip: `Kubernetes context ${node.context}${node.server ? ` (${node.server})` : ''}. Switch with "Switch Context".`,
        icon: { id: 'server-environment' },
        contextValue: 'context',
        collapsible: true,
        expanded: true,
      };
    case 'namespace':
      return {
        label: node.namespace,
        description: namespaceProblems ? `${count(namespaceProblems, 'service account')} to review` : undefined,
        tooltip: namespaceProblems
          ? `Namespace ${node.namespace}: ${count(namespaceProblems, 'service account')} with legacy tokens, missing Secrets or pods reading token Secrets.`
          : undefined,
        icon: namespaceProblems ? { id: 'symbol-namespace', tone: 'warning' } : { id: 'symbol-namespace' },
        contextValue: 'namespace',
        collapsible: true,
      };
    case 'serviceAccount':
      return presentServiceAccount(node.account);
    case 'group':
      return presentGroup(node.group, node.account);
    case 'tokenSecret':
      return presentTokenSecret(node, now, cleanUpPeriodDays);
    case 'secretRef':
      return presentSecretRef(node);
    case 'pod':
      return presentPod(node.pod.name, node.pod.automount, node.pod.tokenSources);
    case 'staticPod':
      return {
        label: node.name,
        description: 'static pod · no service account token',
        tooltip: `Static (mirror) pod ${node.namespace}/${node.name}: a kubelet runs it from a file on its node. It has no service account and cannot mount a service account token (the API server's admission forbids it).`,
        icon: { id: 'vm', tone: 'muted' },
        contextValue: 'staticPod',
        collapsible: false,
      };
    case 'tokenSource':
      return presentTokenSource(node.source);
    case 'container':
      return presentContainer(node.use);
    case 'permissions':
      return {
        label: 'Permissions',
        tooltip: `RBAC bindings that apply to ${node.account.namespace}/${node.account.name}: as a ServiceAccount subject, as User system:serviceaccount:${node.account.namespace}:${node.account.name}, or through the groups system:serviceaccounts, system:serviceaccounts:${node.account.namespace} and system:authenticated. RBAC only: other authorizers may allow more.`,
        icon: { id: 'shield' },
        contextValue: 'permissions',
        collapsible: true,
      };
    case 'binding':
      return presentBinding(node);
    case 'rule':
      return presentRule(node.rule, node.scope);
    case 'forbidden':
      return {
        label: node.error.reason,
        tooltip: `${node.error.reason}\nThe rest of the tree is shown; ask your cluster admin for access to ${node.error.resource} if you need it.`,
        icon: { id: 'lock', tone: 'warning' },
        contextValue: 'forbidden',
        collapsible: false,
      };
    case 'message':
      return {
        label: node.text,
        icon: {
          id: node.tone === 'loading' ? 'loading~spin' : node.tone === 'error' ? 'error' : 'info',
          tone: node.tone === 'error' ? 'error' : undefined,
        },
        contextValue: 'message',
        collapsible: false,
      };
  }
}

function presentServiceAccount(account: ServiceAccountInfo): NodeView {
  const parts = [
    count(account.tokenSecrets.length, 'token secret'),
    count(account.pods.length, 'pod'),
    account.automountServiceAccountToken === false ? 'automount off' : undefined,
  ].filter(Boolean);
  const risky = accountRisks(account);
  return {
    label: account.name,
    description: parts.join(' · ') || undefined,
    tooltip: [
      `ServiceAccount ${account.namespace}/${account.name}`,
      automountLine(account.automountServiceAccountToken),
      ...risky,
    ].join('\n'),
    // A distinct icon, not a tint: a warning sign in the theme's warning colour.
    icon: risky.length ? { id: 'warning', tone: 'warning' } : { id: 'account' },
    contextValue: 'serviceAccount',
    collapsible: serviceAccountHasChildren(account),
  };
}

/** Always: every ServiceAccount has its Permissions node. */
function serviceAccountHasChildren(_account: ServiceAccountInfo): boolean {
  return true;
}

function automountLine(automount: boolean | null): string {
  if (automount === null) return 'automountServiceAccountToken: not set (pods get a token unless they opt out)';
  return `automountServiceAccountToken: ${automount}`;
}

const GROUP_LABELS: Record<GroupKind, string> = {
  tokenSecrets: 'Token Secrets',
  secretsList: '.secrets',
  imagePullSecrets: 'imagePullSecrets',
  pods: 'Pods',
};

const GROUP_ICONS: Record<GroupKind, string> = {
  tokenSecrets: 'key',
  secretsList: 'list-unordered',
  imagePullSecrets: 'package',
  pods: 'vm',
};

function presentGroup(group: GroupKind, account: ServiceAccountInfo): NodeView {
  const size = {
    tokenSecrets: account.tokenSecrets,
    secretsList: account.secretsList,
    imagePullSecrets: account.imagePullSecrets,
    pods: account.pods,
  }[group].length;
  const tooltips: Record<GroupKind, string> = {
    tokenSecrets: `Secrets of type ${TOKEN_SECRET_TYPE} annotated for this service account.`,
    secretsList: "Names in the ServiceAccount's .secrets list (pre-1.24 clusters generated one token Secret here).",
    imagePullSecrets: "The ServiceAccount's imagePullSecrets, added to its pods.",
    pods: 'Pods running as this service account, with every way they get a token.',
  };
  return {
    label: GROUP_LABELS[group],
    description: String(size),
    tooltip: tooltips[group],
    icon: { id: GROUP_ICONS[group] },
    contextValue: `${group}Group`,
    collapsible: true,
  };
}

/** What the cluster's labels and the legacy token cleaner say about a token Secret (the decoded view shows it). */
export function tokenSecretContext(
  { secret, readers, listedInSecrets, trackedSince }: Extract<ClusterNode, { type: 'tokenSecret' }>,
  cleanUpPeriodDays: number,
): SecretContext & { timeline: CleanupTimeline } {
  const timeline = legacyCleanup(
    secret,
    { listedInSecrets: listedInSecrets ?? false, readBy: readers, trackedSince },
    cleanUpPeriodDays,
  );
  return {
    lastUsed: secret.lastUsed,
    invalidSince: secret.invalidSince,
    cleanup: describeCleanup(timeline),
    timeline,
  };
}

function presentTokenSecret(
  node: Extract<ClusterNode, { type: 'tokenSecret' }>,
  now: Date,
  cleanUpPeriodDays: number,
): NodeView {
  const { secret, readers } = node;
  const state = tokenSecretState(secret, now);
  const { timeline, cleanup } = tokenSecretContext(node, cleanUpPeriodDays);
  const candidate = isCleanerCandidate(timeline, now);
  const tooltip = [
    `Token Secret ${secret.namespace}/${secret.name} of service account ${secret.serviceAccount}`,
    TOKEN_SECRET_EXPLANATIONS[state],
    candidate && state !== 'invalidated'
      ? `Cleanup candidate: the legacy token cleaner invalidates it on its next daily run (unused and older than the clean-up period, ${cleanUpPeriodDays} days).`
      : undefined,
    `Created: ${secret.createdAt ? formatInstant(new Date(secret.createdAt), 'utc') : 'not known'}`,
    secret.lastUsed
      ? `Last used: ${secret.lastUsed} (label ${LAST_USED_LABEL}: the API server sets it when the token authenticates, at most once a day)`
      : `Last used: no record (label ${LAST_USED_LABEL} absent: not used since the API server started tracking, Kubernetes 1.29+; counted from its creation)`,
    secret.invalidSince
      ? `Invalidated: ${secret.invalidSince} (label ${INVALID_SINCE_LABEL}, set by the legacy token cleaner)`
      : undefined,
    readers.length ? `Read by pods: ${readers.join(', ')}` : 'Read by pods: none in this namespace.',
    cleanup
      ? `Legacy token cleaner (clean-up period ${cleanUpPeriodDays} days, setting saToken.cluster.legacyTokenCleanUpPeriodDays): ${cleanup}`
      : undefined,
  ].filter(Boolean);
  const icon =
    state === 'empty'
      ? { id: 'key', tone: 'muted' as const }
      : state === 'invalidated'
        ? { id: 'trash', tone: 'warning' as const }
        : { id: 'warning', tone: 'warning' as const };
  return {
    label: secret.name,
    // Dates, never ages: a row drawn today still says the truth next month (the tree also redraws when the day turns).
    description: tokenSecretSummary(secret, timeline, now),
    tooltip: tooltip.join('\n'),
    icon,
    contextValue: secret.populated ? 'tokenSecret' : 'emptyTokenSecret',
    collapsible: false,
  };
}

const TOKEN_SECRET_EXPLANATIONS: Record<TokenSecretState, string> = {
  empty: 'Empty: the token controller has not written data.token yet (is the service account missing?).',
  legacy:
    'Never expires: a legacy token, valid until this Secret is deleted; anyone who can read Secrets here can use it. Prefer TokenRequest or a projected serviceAccountToken volume.',
  stale: `Never expires, and unused for ${STALE_DAYS}+ days: delete it if nothing needs it.`,
  invalidated: 'Invalidated by the legacy token cleaner: it no longer authenticates. A cleanup candidate: delete it.',
};

function presentSecretRef(node: Extract<ClusterNode, { type: 'secretRef' }>): NodeView {
  if (node.missing) {
    return {
      label: node.name,
      description: 'missing',
      tooltip: `⚠ ${node.namespace}/${node.name} is listed in the .secrets of service account ${node.serviceAccount} but does not exist (common after upgrading past 1.24). Right-click: Create Explicit Token Secret (under this name) or Remove Reference from .secrets. Selecting it opens the ServiceAccount.`,
      icon: { id: 'warning', tone: 'error' },
      contextValue: 'missingSecret',
      collapsible: false,
    };
  }
  const what =
    node.list === 'secrets'
      ? "Listed in the ServiceAccount's .secrets"
      : 'Image pull secret added to pods of this service account';
  return {
    label: node.name,
    tooltip: `${what}: ${node.namespace}/${node.name}`,
    icon: { id: node.list === 'secrets' ? 'key' : 'package' },
    contextValue: 'secretRef',
    collapsible: false,
  };
}

function presentPod(name: string, automount: boolean, sources: PodTokenSource[]): NodeView {
  const risky = sources.filter(isRiskyRead);
  const tooltip = [
    `Pod ${name}`,
    `Effective automount: ${automount ? 'on' : 'off'} (the pod's setting wins over the service account's)`,
    sources.length ? undefined : 'No service account token reaches this pod.',
    ...risky.map(riskExplanation),
  ].filter(Boolean);
  return {
    label: name,
    description: [`automount ${automount ? 'on' : 'off'}`, count(sources.length, 'token source')]
      .filter(Boolean)
      .join(' · '),
    tooltip: tooltip.join('\n'),
    icon: { id: risky.length ? 'warning' : 'vm', tone: risky.length ? 'warning' : undefined },
    contextValue: 'pod',
    collapsible: sources.length > 0,
  };
}

export function riskExplanation(source: PodTokenSource): string {
  if (source.kind === 'projected') return '';
  const how =
    source.kind === 'env'
      ? `env from Secret ${source.secretName}${source.key ? ` (key ${source.key})` : ''}`
      : `secret volume ${source.volume} of Secret ${source.secretName}`;
  return `⚠ Reads a legacy non-expiring token via ${how}: it never rotates and leaks with the pod spec's Secret access. Use a projected serviceAccountToken volume instead.`;
}

function presentTokenSource(source: PodTokenSource): NodeView {
  const collapsible = source.containers.length > 0;
  if (source.kind === 'projected') {
    const injected = source.volume.startsWith(INJECTED_VOLUME_PREFIX);
    const seconds = source.expirationSeconds ?? DEFAULT_PROJECTED_EXPIRATION_SECONDS;
    const audience = source.audience ?? 'API server (default)';
    return {
      label: source.volume,
      description: `projected · ${source.path} · aud ${audience} · ${formatSeconds(seconds)}`,
      tooltip: [
        `Projected serviceAccountToken volume${injected ? ' (injected by ServiceAccount admission)' : ''}`,
        `path: ${source.path}`,
        `audience: ${audience}`,
        `expirationSeconds: ${source.expirationSeconds ?? `not set (default ${DEFAULT_PROJECTED_EXPIRATION_SECONDS})`}`,
        'Bound, expiring token refreshed by the kubelet: the app must re-read the file.',
      ].join('\n'),
      icon: { id: 'shield' },
      contextValue: 'projectedToken',
      collapsible,
    };
  }
  const label = source.kind === 'env' ? `env ← ${source.secretName}` : source.volume;
  const description =
    source.kind === 'env' ? `env${source.key ? ` · key ${source.key}` : ''}` : `secret volume · ${source.secretName}`;
  return {
    label,
    description,
    tooltip: riskExplanation(source),
    icon: { id: 'warning', tone: 'warning' },
    contextValue: 'secretRead',
    collapsible,
  };
}

function presentContainer(use: ContainerUse): NodeView {
  const where = 'mountPath' in use ? use.mountPath : `env ${use.env}`;
  return {
    label: use.name,
    description: where,
    tooltip: `Container ${use.name}: ${'mountPath' in use ? `mounts at ${use.mountPath}` : `reads into env ${use.env}`}`,
    icon: { id: 'symbol-field' },
    contextValue: 'container',
    collapsible: false,
  };
}

function count(n: number, noun: string): string | undefined {
  if (n === 0) return undefined;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function presentBinding({ applied, risks }: Extract<ClusterNode, { type: 'binding' }>): NodeView {
  const { binding, via, scope, roleError } = applied;
  const where = binding.kind === 'RoleBinding' ? `${binding.namespace}/${binding.name}` : binding.name;
  const viaText =
    via === 'serviceaccount' ? 'as ServiceAccount' : via === 'user' ? 'as User' : `via group ${via.slice(6)}`;
  return {
    label: `${binding.roleRef.kind} ${binding.roleRef.name}`,
    description: [
      `${binding.kind} ${where}`,
      viaText,
      scope === 'cluster' ? 'cluster-wide' : `in ${scope}`,
      risks.length ? risks.map((risk) => risk.code).join(', ') : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    tooltip: [
      `${binding.kind} ${where} → ${binding.roleRef.kind} ${binding.roleRef.name}`,
      `Applies ${viaText}; ${scope === 'cluster' ? 'rules apply in every namespace' : `rules apply in namespace ${scope} only`}.`,
      ...(roleError ? [`The role does not exist: ${roleError}`] : []),
      ...risks.map((risk) => `Risk ${risk.code}: ${risk.message}`),
    ].join('\n'),
    icon: { id: roleError ? 'warning' : 'key', tone: roleError ? 'error' : risks.length ? 'warning' : undefined },
    contextValue: risks.length ? 'riskyBinding' : 'binding',
    collapsible: (applied.role?.rules.length ?? 0) > 0,
  };
}

function presentRule(rule: PolicyRule, scope: string): NodeView {
  const groups = rule.apiGroups.map((group) => group || 'core').join(',');
  const target = rule.nonResourceURLs.length
    ? rule.nonResourceURLs.join(', ')
    : `${rule.resources.join(', ')}${rule.resourceNames.length ? ` [${rule.resourceNames.join(', ')}]` : ''}`;
  return {
    label: `${rule.verbs.join(', ')} ${target}`,
    description: rule.nonResourceURLs.length ? 'non-resource URLs' : groups,
    tooltip: `verbs: ${rule.verbs.join(', ')}\n${rule.nonResourceURLs.length ? `nonResourceURLs: ${rule.nonResourceURLs.join(', ')}` : `apiGroups: ${groups}\nresources: ${rule.resources.join(', ')}${rule.resourceNames.length ? `\nresourceNames: ${rule.resourceNames.join(', ')}` : ''}`}\nscope: ${scope === 'cluster' ? 'every namespace' : `namespace ${scope}`}`,
    icon: { id: 'symbol-key' },
    contextValue: 'rule',
    collapsible: false,
  };
}
