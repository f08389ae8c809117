// RBAC commands of the cluster view: Can It…? and Who Can…? (a SubjectAccessReview when the user may create one,
// else the local evaluator over the cluster's RBAC objects), who can obtain an account's token, and a kubeconfig for
// an account. Results open as untitled documents (a scaffolded grant is never applied); notifications carry only
// fixed words and Kubernetes-validated names, with link syntax neutralised.
import * as vscode from 'vscode';
import { serviceAccountKubeconfig } from '../../core/cluster/kubeconfig';
import { tokenRequestFrom, type TokenRequestPreset } from '../../core/cluster/tokenRequest';
import { inertMessage } from '../../core/messageText';
import { inspectToken, isTokenError } from '../../core/tokens/inspect';
import {
  builtInResources,
  canI,
  describeAttributes,
  describeGrantSource,
  NO_RULE_GRANTS_IT,
  parseQuestion,
  QuestionError,
  scaffoldGrant,
  serviceAccountUser,
  tokenObtainers,
  whoCan,
  type Decision,
  type RequestAttributes,
  type ResourceResolver,
  type ServiceAccountRef,
} from '../../core/rbac/index';
import { printable } from '../../core/printable';
import { askTokenRequest, createFilledTokenSecret, withCancellableProgress, type ClusterCommandDeps } from './commands';
import type { ClusterNode } from './nodes';

type NodeOf<T extends ClusterNode['type']> = Extract<ClusterNode, { type: T }>;

/** One line, no control characters, and no `[…](…)` a notification would turn into a link. */

export interface CanIResult {
  /** The question as decided (`list pods in namespace x`): what was typed or picked. */
  question: string;
  allowed: boolean;
  source: 'subjectaccessreview' | 'rbac';
  reason: string;
  grantedBy: string[];
  /** The scaffolded Role+RoleBinding opened for a "no". */
  suggestion: string | null;
}

export interface CanIPreset {
  /** `list pods -n team-a`; skips the prompt. */
  question?: string;
}

async function resolver(deps: ClusterCommandDeps): Promise<ResourceResolver> {
  const connection = await deps.session.connection();
  const served = await connection.apiResources().catch(() => []);
  const groups = new Map(served.map((entry) => [entry.resource, entry.group]));
  return { groupOf: (name) => builtInResources.groupOf(name) ?? groups.get(name) };
}

/** The pickable questions, in discovery's order: each served verb of each resource (and serviceaccounts/token). */
export function discoveryQuestions(
  resources: ReadonlyArray<{ resource: string; group: string; verbs: string[] }>,
): string[] {
  return resources
    .filter((entry) => !entry.resource.includes('/') || entry.resource.endsWith('/token'))
    .flatMap((entry) =>
      entry.verbs.map((verb) => `${verb} ${entry.group ? `${entry.resource}.${entry.group}` : entry.resource}`),
    );
}

/** Typed (`list pods -n x`), or picked from what discovery serves. */
async function askQuestion(deps: ClusterCommandDeps, title: string, namespace: string): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = title;
  pick.placeholder = `VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NAMESPACE | -A] — e.g. "list pods" (namespace ${namespace})`;
  pick.ignoreFocusOut = true;
  pick.busy = true;
  void deps.session
    .connection()
    .then((connection) => connection.apiResources())
    .then((resources) => {
      pick.items = discoveryQuestions(resources).map((label) => ({ label }));
    })
    .catch(() => undefined)
    .finally(() => (pick.busy = false));
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      const value = pick.selectedItems[0]?.label ?? pick.value;
      resolve(value.trim() || undefined);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

function parse(question: string, namespace: string, resolve: ResourceResolver): RequestAttributes {
  try {
    return parseQuestion(question, namespace, resolve);
  } catch (error) {
    if (error instanceof QuestionError) throw new Error(`Cannot read "${inertMessage(question)}": ${error.message}`);
    throw error;
  }
}

/** The API server's decision when we may ask it, else RBAC's over the listed objects. */
async function decide(
  deps: ClusterCommandDeps,
  account: ServiceAccountRef,
  attributes: RequestAttributes,
): Promise<{ allowed: boolean; source: CanIResult['source']; reason: string; local?: Decision }> {
  const connection = await deps.session.connection();
  const review = await connection
    .subjectAccessReview(serviceAccountUser(account), attributes)
    .catch((error: unknown) => {
      if ((error as { kind?: string }).kind === 'forbidden') return undefined;
      throw error;
    });
  const local = await deps.session
    .rbac()
    .then((rbac) => canI(account, attributes, rbac.index))
    .catch(() => undefined);
  if (review)
    return {
      allowed: review.allowed,
      source: 'subjectaccessreview',
      reason: review.reason || review.evaluationError || (review.allowed ? 'allowed' : 'no authorizer allows it'),
      local,
    };
  if (!local) throw new Error('You may neither create SubjectAccessReviews nor list the RBAC objects of this cluster.');
  return {
    allowed: local.allowed,
    source: 'rbac',
    reason: local.allowed
      ? local.reason
      : `${NO_RULE_GRANTS_IT} (RBAC only: other authorizers such as Node or webhook may still allow)`,
    local,
  };
}

export async function canItCommand(
  deps: ClusterCommandDeps,
  node: NodeOf<'serviceAccount'>,
  preset?: CanIPreset,
): Promise<CanIResult | undefined> {
  const account = { namespace: node.account.namespace, name: node.account.name };
  const asked =
    preset?.question ?? (await askQuestion(deps, `Can ${account.namespace}/${account.name}…?`, account.namespace));
  if (!asked) return undefined;
  const attributes = parse(asked, account.namespace, await resolver(deps));
  const answer = await decide(deps, account, attributes);
  const grantedBy = (answer.local?.grants ?? []).map(
    (grant) =>
      `${describeGrantSource(grant.binding)}, rule ${grant.ruleIndex + 1} of ${grant.binding.binding.roleRef.kind} ${grant.binding.binding.roleRef.name}`,
  );
  const question = describeAttributes(attributes);
  const what = `${account.namespace}/${account.name} ${question}`;
  const how = answer.source === 'subjectaccessreview' ? 'the API server says' : 'RBAC objects say';
  if (answer.allowed) {
    void deps.context.showInformationMessage(
      `Yes: ${what} (${how}). ${grantedBy[0] ? `Granted by ${grantedBy[0]}.` : answer.reason}`,
    );
    return { question, allowed: true, source: answer.source, reason: answer.reason, grantedBy, suggestion: null };
  }
  const suggestion = scaffoldGrant(account, attributes);
  const header = [
    `# Can ${what}? No (${how}): ${answer.reason}.`,
    '# A minimal grant that would allow it — review, then apply it yourself:',
  ]
    .map(printable)
    .join('\n');
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: `${header}\n${suggestion}` });
  await vscode.window.showTextDocument(document, { preview: false });
  void deps.context.showWarningMessage(
    `No: ${what} (${how}). A minimal Role and binding are in the new editor; nothing was applied.`,
  );
  return { question, allowed: false, source: answer.source, reason: answer.reason, grantedBy, suggestion };
}

function whoCanReport(title: string, sections: Array<{ heading: string; lines: string[] }>, errors: string[]): string {
  const lines = [title, ''];
  for (const section of sections) {
    lines.push(
      section.heading,
      ...(section.lines.length ? section.lines.map((line) => `  ${line}`) : ['  nobody']),
      '',
    );
  }
  if (errors.length)
    lines.push('Incomplete — lists that could not be read:', ...errors.map((error) => `  ${error}`), '');
  lines.push(
    'RBAC only: other authorizers (Node, webhook) may allow more. ServiceAccounts only; users and groups are not listed.',
  );
  return lines.map(printable).join('\n') + '\n';
}

async function openReport(text: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: text });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

export async function whoCanCommand(
  deps: ClusterCommandDeps,
  node: ClusterNode | undefined,
  preset?: CanIPreset,
): Promise<{ serviceAccounts: string[] } | undefined> {
  const namespace = node?.type === 'namespace' ? node.namespace : 'default';
  const question = preset?.question ?? (await askQuestion(deps, `Who can… in ${namespace}?`, namespace));
  if (!question) return undefined;
  const attributes = parse(question, namespace, await resolver(deps));
  const rbac = await deps.session.rbac();
  const entries = whoCan(attributes, rbac.index, rbac.serviceAccounts);
  const lines = entries.map(
    (entry) =>
      `${entry.serviceAccount.namespace}/${entry.serviceAccount.name}${entry.exists ? '' : ' (no such ServiceAccount)'} ← ${entry.grantedBy.map((grant) => `${grant.binding.kind} ${grant.binding.namespace ? `${grant.binding.namespace}/` : ''}${grant.binding.name} → ${grant.roleRef.kind} ${grant.roleRef.name} (via ${grant.via})`).join('; ')}`,
  );
  await openReport(
    whoCanReport(
      `Who can ${describeAttributes(attributes)}?`,
      [{ heading: 'ServiceAccounts:', lines }],
      rbac.errors.map((error) => error.reason),
    ),
  );
  return { serviceAccounts: entries.map((entry) => `${entry.serviceAccount.namespace}/${entry.serviceAccount.name}`) };
}

export async function tokenObtainersCommand(
  deps: ClusterCommandDeps,
  node: NodeOf<'serviceAccount'>,
): Promise<{ how: string[] }> {
  const { account } = node;
  const rbac = await deps.session.rbac();
  const obtainers = tokenObtainers(
    account,
    account.tokenSecrets.map((secret) => secret.name),
    rbac.index,
    rbac.serviceAccounts,
  );
  await openReport(
    whoCanReport(
      `Who can obtain the token of ${account.namespace}/${account.name}?`,
      obtainers.map(({ how, who }) => ({
        heading: `${how}:`,
        lines: who.map(
          (entry) =>
            `${entry.serviceAccount.namespace}/${entry.serviceAccount.name} ← ${entry.grantedBy.map((grant) => `${grant.binding.kind} ${grant.binding.name} (via ${grant.via})`).join('; ')}`,
        ),
      })),
      rbac.errors.map((error) => error.reason),
    ),
  );
  return { how: obtainers.map((obtainer) => obtainer.how) };
}

export interface KubeconfigPreset extends TokenRequestPreset {
  /** `tokenRequest` (default) or `tokenSecret` (a long-lived token Secret, after a warning). */
  method?: 'tokenRequest' | 'tokenSecret';
}

export async function generateKubeconfigCommand(
  deps: ClusterCommandDeps,
  node: NodeOf<'serviceAccount'>,
  preset?: KubeconfigPreset,
): Promise<{ document: string } | undefined> {
  const { namespace, name } = node.account;
  const method =
    preset?.method ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'TokenRequest', description: 'short-lived token (recommended)', method: 'tokenRequest' as const },
          {
            label: 'Token Secret',
            description: 'long-lived legacy token that never expires',
            method: 'tokenSecret' as const,
          },
        ],
        {
          title: `Kubeconfig for ${namespace}/${name}`,
          placeHolder: 'Where does the token come from?',
          ignoreFocusOut: true,
        },
      )
    )?.method;
  if (!method) return undefined;
  const connection = await deps.session.connection();
  let token: string | undefined;
  let expiresAt: Date | null = null;
  let source: string;
  if (method === 'tokenRequest') {
    const request = preset
      ? tokenRequestFrom(preset)
      : await askTokenRequest(`${namespace}/${name}`, node.account.pods);
    if (!request) return undefined;
    token = await withCancellableProgress(`Requesting a token for ${namespace}/${name}`, undefined, (signal) =>
      connection.requestToken(namespace, name, { ...request, signal }),
    );
    if (!token) return undefined;
    const report = inspectToken(token);
    expiresAt = !isTokenError(report) && report.expiresAt ? new Date(report.expiresAt) : null;
    source = `TokenRequest${request.audiences?.length ? ` for audience ${request.audiences.join(', ')}` : ''}`;
  } else {
    const confirmed = await deps.context.confirm(
      `Create a long-lived token Secret for ${namespace}/${name}?`,
      'Its token never expires: anyone holding this kubeconfig keeps access until the Secret is deleted. Prefer TokenRequest.',
      'Create',
    );
    if (!confirmed) return undefined;
    const created = await createFilledTokenSecret(deps, namespace, name);
    if (!created) return undefined;
    token = created.token;
    source = `token Secret ${namespace}/${created.secretName}`;
  }
  const content = serviceAccountKubeconfig({
    cluster: connection.clusterAccess(),
    namespace,
    serviceAccount: name,
    token,
    expiresAt,
    source,
  });
  // Untitled: nothing reaches the disk unless the user saves it.
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  await vscode.window.showTextDocument(document, { preview: false });
  return { document: document.uri.toString() };
}
