// "What Can This Token Do?": the identity and the rules a cluster gives a token, asked as that token
// (SelfSubjectReview + SelfSubjectRulesReview: no impersonation rights needed). The token goes only to the cluster
// the user picks, after a confirmation naming it; it is held in local variables and never logged or stored.
import * as vscode from 'vscode';
import { inspectToken, isTokenError } from '../../core/tokens/inspect';
import { legacyReviewChange, legacyReviewWarning, legacySecretOf } from '../../core/tokens/legacyUse';
import type { TokenSelfReview } from '../../kube/index';
import type { ClusterSession } from '../cluster/session';
import type { Report, ReportItem, ReportPanel } from './reportPanel';

export interface TokenAccessPreset {
  /** Context to send the token to (else the user picks). */
  context?: string;
  namespace?: string;
}

/** What scripts and tests get back: never the token. */
export interface TokenAccessResult {
  context: string;
  authenticated: boolean;
  username: string | null;
  resourceRules: number;
  /** For a legacy token: its Secret's last-used label before and after (undefined: unreadable). */
  lastUsed?: { before: string | null | undefined; after: string | null | undefined };
}

export async function whatCanThisTokenDo(
  session: ClusterSession<unknown>,
  panel: ReportPanel,
  token: string,
  preset: TokenAccessPreset = {},
  /** FeatureContext.confirm: always asked, whatever the arguments say (a command link chooses those). */
  confirm: (message: string, detail: string, action: string) => Promise<boolean>,
): Promise<TokenAccessResult | undefined> {
  const context = preset.context ?? (await pickContext(session));
  if (!context) return undefined;
  const connection = await session.connectionTo(context);
  try {
    // A legacy token's Secret gets its last-used label set by these requests: say so first, with today's value
    // (read with the user's own credentials, like Check Token).
    const legacySecret = legacySecretOf(token);
    const readLastUsed = () =>
      legacySecret
        ? connection.tokenSecretLastUsed(legacySecret.namespace, legacySecret.name, {}).catch(() => undefined)
        : Promise.resolve(undefined);
    const before = await readLastUsed();
    const send = await confirm(
      `Send this token to cluster "${connection.context}" (${connection.server})?`,
      [
        'It is sent, as the only credential, with a SelfSubjectReview and a SelfSubjectRulesReview to this server alone. Only do this if the token belongs to this cluster: the server learns the token. Nothing is stored or logged.',
        ...(legacySecret ? [legacyReviewWarning(legacySecret, before, 'Sending it')] : []),
      ].join('\n\n'),
      'Send',
    );
    if (!send) return undefined;
    const namespace = preset.namespace ?? tokenNamespace(token) ?? connection.defaultNamespace ?? 'default';
    const review = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Asking ${connection.context} what this token may do…` },
      () => connection.selfReviewAs(token, namespace, {}),
    );
    const after = legacySecret && review.authenticated ? await readLastUsed() : before;
    const report = tokenAccessReport(connection.context, review);
    if (legacySecret && review.authenticated) {
      if (session.current?.context === connection.context) session.invalidateNamespace(legacySecret.namespace);
      report.items.push({
        status: 'info',
        title: `Legacy token: Secret ${legacySecret.namespace}/${legacySecret.name}`,
        detail: legacyReviewChange(before, after),
        evidence: [],
        actions: [],
      });
    }
    panel.show(report);
    return {
      context: connection.context,
      authenticated: review.authenticated,
      username: review.user?.username ?? null,
      resourceRules: review.resourceRules.length,
      ...(legacySecret ? { lastUsed: { before, after } } : {}),
    };
  } finally {
    connection.close();
  }
}

async function pickContext(session: ClusterSession<unknown>): Promise<string | undefined> {
  const contexts = session.contexts();
  if (contexts.length === 0) throw new Error('No kubeconfig contexts found. Set saToken.kubeconfig or KUBECONFIG.');
  const active = session.current?.context ?? session.contextChoice() ?? contexts.find((c) => c.current)?.name;
  const items = contexts
    .map((c) => ({
      label: c.name,
      description: c.name === active ? 'in use' : undefined,
      detail: `cluster ${c.cluster}`,
    }))
    .sort((a, b) => Number(b.label === active) - Number(a.label === active));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'What Can This Token Do? — send it to which cluster?',
    placeHolder: 'Only the cluster you pick receives the token',
  });
  return picked?.label;
}

/** The token's own namespace (service account tokens say it), to ask for the rules that matter to it. */
function tokenNamespace(token: string): string | undefined {
  const report = inspectToken(token);
  return isTokenError(report) ? undefined : (report.namespace ?? undefined);
}

const ruleLine = (rule: TokenSelfReview['resourceRules'][number]): string => {
  const groups = rule.apiGroups.map((group) => (group === '' ? 'core' : group)).join(', ');
  const names = rule.resourceNames.length ? ` (only ${rule.resourceNames.join(', ')})` : '';
  return `${rule.verbs.join(', ')} — ${rule.resources.join(', ')} [${groups}]${names}`;
};

export function tokenAccessReport(context: string, review: TokenSelfReview): Report {
  if (!review.authenticated) {
    return {
      title: 'What Can This Token Do?',
      subtitle: `Cluster ${context}`,
      summary: 'The cluster rejected the token',
      items: [
        {
          status: 'fail',
          title: 'Not authenticated (401)',
          detail:
            'The API server does not accept this token: expired, revoked (its Secret, pod or ServiceAccount is gone or was recreated), signed by another cluster or key, or meant for another audience.',
          evidence: [],
          actions: [],
        },
      ],
    };
  }
  const user = review.user;
  const identity: ReportItem = user
    ? {
        status: 'info',
        title: `Authenticated as ${user.username}`,
        detail: `Groups: ${user.groups.join(', ') || 'none'}`,
        evidence: [
          `username: ${user.username}`,
          ...(user.uid ? [`uid: ${user.uid}`] : []),
          ...user.groups.map((group) => `group: ${group}`),
          ...Object.entries(user.extra).map(([key, values]) => `${key}: ${values.join(', ')}`),
        ],
        actions: [],
      }
    : {
        status: 'info',
        title: 'Authenticated',
        detail: review.userUnavailable ?? 'The cluster did not say who this is.',
        evidence: [],
        actions: [],
      };
  const resourceRules: ReportItem = {
    status: review.resourceRules.length ? 'info' : 'warn',
    title: `${review.resourceRules.length} resource rule${review.resourceRules.length === 1 ? '' : 's'} in namespace ${review.namespace}`,
    detail: 'What RBAC (and any other rule-listing authorizer) allows this token here, including cluster-wide grants.',
    list: { heading: 'verbs — resources [API groups]', entries: review.resourceRules.map(ruleLine) },
    evidence: [],
    actions: [],
  };
  const nonResource: ReportItem = {
    status: 'info',
    title: `${review.nonResourceRules.length} non-resource rule${review.nonResourceRules.length === 1 ? '' : 's'}`,
    detail: 'URLs such as /healthz or /openid/v1/jwks.',
    evidence: review.nonResourceRules.map((rule) => `${rule.verbs.join(', ')} ${rule.nonResourceURLs.join(' ')}`),
    actions: [],
  };
  const items = [identity, resourceRules, nonResource];
  if (review.incomplete || review.evaluationError)
    items.push({
      status: 'warn',
      title: 'The list may be incomplete',
      detail:
        'An authorizer (e.g. a webhook) cannot list its rules, or evaluation failed: the token may be allowed more than shown.',
      evidence: review.evaluationError ? [review.evaluationError] : [],
      actions: [],
    });
  return {
    title: 'What Can This Token Do?',
    subtitle: `Cluster ${context} · namespace ${review.namespace}`,
    summary: user ? `${user.username}: ${review.resourceRules.length} resource rules` : 'authenticated',
    items,
  };
}
