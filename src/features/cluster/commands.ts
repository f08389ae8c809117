// Commands of the cluster view. Tokens read or minted here are shown (decoded) and optionally copied, never logged
// or kept: they live only in local variables until the decoded document has been opened.
import * as vscode from 'vscode';
import { exactlyOneJwt, isTokenError } from '../../core/tokens/inspect';
import { legacyReviewChange, legacyReviewWarning, legacySecretOf, type SecretRef } from '../../core/tokens/legacyUse';
import { tokenReviewRejection } from '../../core/troubleshoot/authErrors';
import { updateSetting } from '../shared/config';
import type { FeatureContext } from '../shared/context';
import { askStep, BACK, type InputStep, type StepAnswer, type StepPosition } from '../shared/multiStep';
import { tokenAtCursorOrAsked } from '../shared/editorToken';
import type { ClusterDocuments } from './documents';
import type { ClusterCommandHandler, ClusterCommandId } from './ids';
import {
  parseDuration,
  tokenRequestFrom,
  type TokenRequestPreset,
  type TokenRequestSpec,
} from '../../core/cluster/tokenRequest';
import { suggestedTokenSecretName, validateObjectName } from '../../core/cluster/names';
import { resolveMissingSecretRef, resolveNode, resolveObject, type ClusterNode, type ObjectRef } from './nodes';
import type { Inventory, ServiceAccountInfo } from '../../core/cluster/model';
import { tokenSecretContext } from './present';
import type { SecretContext } from '../../core/tokens/explain';
import {
  canItCommand,
  generateKubeconfigCommand,
  tokenObtainersCommand,
  whoCanCommand,
  type CanIPreset,
  type KubeconfigPreset,
} from './rbacCommands';
import type { ClusterSession } from './session';
import type { ClusterTreeProvider } from './tree';
import { ReportPanel } from '../troubleshoot/reportPanel';
import { applyDiagnoseFix, type DiagnoseFixRequest } from '../troubleshoot/diagnoseFixes';
import { clusterDiagnosis, diagnoseTokenProblems } from '../troubleshoot/diagnoseView';
import { type TokenAccessPreset, whatCanThisTokenDo } from '../troubleshoot/tokenAccess';
import { ReadinessPanel, upgradeReadinessReport } from '../report/readinessReport';

export interface ClusterCommandDeps {
  context: FeatureContext;
  session: ClusterSession<unknown>;
  tree: ClusterTreeProvider;
  documents: ClusterDocuments;
  /** Opens the read-only decoded view of a token (the tokens feature's document); `source` titles its tab; `secret`:
   * what the cluster says about the token Secret it was read from. */
  showDecoded: (token: string, source: string, secret?: SecretContext) => Promise<unknown>;
}

type NodeOf<T extends ClusterNode['type']> = Extract<ClusterNode, { type: T }>;

export type ClusterCommandHandlers = Record<ClusterCommandId, ClusterCommandHandler>;

/** The handlers behind CLUSTER_COMMAND_IDS (index.ts registers the ids at activation and forwards to these). */
export function clusterCommands(deps: ClusterCommandDeps): ClusterCommandHandlers {
  const reports = new ReportPanel('saToken.report', (error) => {
    void deps.context.showErrorMessage(error instanceof Error ? error.message : String(error));
  });
  const readiness = new ReadinessPanel(deps);
  deps.context.own(reports, readiness);
  return {
    'saToken.cluster.refresh': () => refresh(deps),
    'saToken.cluster.switchContext': () => switchContext(deps),
    'saToken.upgradeReadinessReport': (preset?: unknown) => upgradeReadinessReport(deps, readiness, preset),
    'saToken.upgradeReadinessReport.follow': (message?: unknown) => readiness.follow(message),
    'saToken.cluster.filterNamespaces': () => filterNamespaces(deps),
    'saToken.cluster.pickKubeconfig': () => pickKubeconfig(deps),
    // Node arguments are re-resolved against the session's own inventory (resolved()); extra arguments such as a
    // `{confirmed: true}` are ignored: confirmations are always asked by the command itself.
    // On a service account, or on a `.secrets` entry naming a missing Secret (then that name is offered).
    'saToken.cluster.createTokenSecret': async (node?: unknown, preset?: CreateTokenSecretPreset) =>
      createTokenSecret(deps, await tokenSecretOwner(deps, node), preset),
    'saToken.cluster.removeSecretReference': async (node?: unknown) =>
      removeSecretReference(deps, await resolvedMissingSecretRef(deps, node)),
    'saToken.cluster.requestToken': async (node?: unknown, preset?: TokenRequestPreset) =>
      requestToken(deps, await resolved(deps, node, 'serviceAccount'), preset),
    'saToken.cluster.decodeToken': async (node?: unknown) => {
      const secret = await resolved(deps, node, 'tokenSecret');
      const labels = tokenSecretContext(secret, deps.tree.cleanUpPeriodDays());
      return deps.showDecoded(await readToken(deps, secret), secret.secret.name, labels);
    },
    'saToken.cluster.copyToken': async (node?: unknown) =>
      copyToken(deps, await readToken(deps, await resolved(deps, node, 'tokenSecret'))),
    'saToken.cluster.deleteTokenSecret': async (node?: unknown) =>
      deleteTokenSecret(deps, await resolved(deps, node, 'tokenSecret')),
    'saToken.cluster.openYaml': async (node?: unknown) => openYaml(deps, await resolvedObject(deps, node)),
    'saToken.cluster.open': (node?: unknown) => openNode(deps, node),
    'saToken.diagnose': (target?: unknown) => diagnoseTokenProblems(deps.session, reports, target),
    'saToken.diagnose.applyFix': (request?: unknown) =>
      applyDiagnoseFix(
        {
          confirm: (message, detail, action) => deps.context.confirm(message, detail, action),
          clusterReport: (target) => clusterDiagnosis(deps.session, target),
          createTokenSecret: (namespace, serviceAccount, secretName) =>
            createFilledTokenSecret(deps, namespace, serviceAccount, secretName),
          requestToken: (namespace, name) =>
            vscode.commands.executeCommand('saToken.cluster.requestToken', {
              type: 'serviceAccount',
              account: { namespace, name },
            }),
          rediagnose: ({ kind, namespace, name, manifest }: DiagnoseFixRequest) =>
            diagnoseTokenProblems(deps.session, reports, { kind, namespace, name, manifest }),
        },
        request,
      ),
    'saToken.cluster.checkToken': async (node?: unknown) =>
      checkToken(deps, node === undefined ? undefined : await resolved(deps, node, 'tokenSecret')),
    'saToken.whatCanThisTokenDo': async (node?: unknown, preset?: TokenAccessPreset) => {
      const token = await tokenToCheck(
        deps,
        (node as { type?: unknown } | undefined)?.type === 'tokenSecret'
          ? await resolved(deps, node, 'tokenSecret')
          : undefined,
      );
      return token === undefined
        ? undefined
        : whatCanThisTokenDo(deps.session, reports, token, preset, (message, detail, action) =>
            deps.context.confirm(message, detail, action),
          );
    },
    'saToken.cluster.canI': async (node?: unknown, preset?: CanIPreset) =>
      canItCommand(deps, await resolved(deps, node, 'serviceAccount'), preset),
    'saToken.cluster.whoCan': (node?: ClusterNode, preset?: CanIPreset) => whoCanCommand(deps, node, preset),
    'saToken.cluster.whoCanGetToken': async (node?: unknown) =>
      tokenObtainersCommand(deps, await resolved(deps, node, 'serviceAccount')),
    'saToken.cluster.generateKubeconfig': async (node?: unknown, preset?: KubeconfigPreset) =>
      generateKubeconfigCommand(deps, await resolved(deps, node, 'serviceAccount'), preset),
  };
}

/**
 * The node the session's inventory holds for what the argument names. A command link in untrusted text can pass any
 * object; what the command acts on comes from the cluster as the session listed it: a token Secret is one listed
 * with type kubernetes.io/service-account-token, never whatever the argument claims.
 */
async function resolved<T extends 'serviceAccount' | 'tokenSecret'>(
  deps: ClusterCommandDeps,
  argument: unknown,
  type: T,
): Promise<NodeOf<T>> {
  if ((argument as { type?: unknown } | undefined)?.type !== type)
    throw new Error(`Run this command from the Clusters view, on a ${READABLE_TYPES[type] ?? type}.`);
  const node = await fromInventory(deps, argument, (inventory) => resolveNode(argument, type, inventory));
  if (!node)
    throw new Error(
      type === 'tokenSecret'
        ? 'That Secret is not a service account token Secret of the Clusters view (kubernetes.io/service-account-token); nothing was done.'
        : 'That service account is not in the Clusters view; nothing was done.',
    );
  return node;
}

/**
 * What `resolve` finds for the argument in its namespace's inventory: the one the view shows, else the namespace
 * listed afresh (as Refresh would: the argument may name something newer than the view). Undefined if neither has it.
 */
async function fromInventory<T>(
  deps: ClusterCommandDeps,
  argument: unknown,
  resolve: (inventory: Inventory) => T | undefined,
): Promise<T | undefined> {
  const namespace = namespaceOf(argument);
  if (namespace === undefined) return undefined;
  const loaded = deps.session.loadedInventory(namespace);
  const found = loaded && resolve(loaded);
  if (found) return found;
  deps.session.invalidateNamespace(namespace);
  return resolve(await deps.session.namespaceInventory(namespace));
}

/** The namespace a node argument names (where a service account, token Secret or other row says it is). */
function namespaceOf(argument: unknown): string | undefined {
  const node = (argument ?? {}) as { account?: { namespace?: unknown }; secret?: { namespace?: unknown } } & {
    namespace?: unknown;
  };
  const namespace = node.account?.namespace ?? node.secret?.namespace ?? node.namespace;
  return typeof namespace === 'string' ? namespace : undefined;
}

async function resolvedMissingSecretRef(deps: ClusterCommandDeps, argument: unknown) {
  const found = await fromInventory(deps, argument, (inventory) => resolveMissingSecretRef(argument, inventory));
  if (!found)
    throw new Error(
      'Run this on a .secrets entry that names a missing Secret, in the Clusters view (refresh it: the entry or the Secret may have changed); nothing was done.',
    );
  return found;
}

async function resolvedObject(deps: ClusterCommandDeps, argument: unknown): Promise<ObjectRef> {
  const object = await fromInventory(deps, argument, (inventory) => resolveObject(argument, inventory));
  if (!object) throw new Error('Run this on a service account, Secret or pod in the Clusters view.');
  return object;
}

const READABLE_TYPES: Partial<Record<ClusterNode['type'], string>> = {
  serviceAccount: 'service account',
  tokenSecret: 'populated token Secret',
};

function refresh({ session, tree }: ClusterCommandDeps): void {
  session.reset();
  tree.refresh();
}

async function switchContext(deps: ClusterCommandDeps): Promise<void> {
  const contexts = deps.session.contexts();
  if (contexts.length === 0) throw new Error('No kubeconfig contexts found. Set saToken.kubeconfig or KUBECONFIG.');
  const active = deps.session.current?.context ?? deps.session.contextChoice() ?? contexts.find((c) => c.current)?.name;
  const picked = await vscode.window.showQuickPick(
    contexts.map((c) => ({
      label: c.name,
      description: c.name === active ? 'in use' : undefined,
      detail: `cluster ${c.cluster} · user ${c.user}`,
    })),
    { title: 'Switch Kubernetes Context', placeHolder: 'The kubeconfig file is not changed' },
  );
  if (!picked) return;
  deps.session.switchContext(picked.label);
  deps.tree.refresh();
}

async function filterNamespaces({ context, session, tree }: ClusterCommandDeps): Promise<void> {
  const current = new Set(context.config.cluster.namespaces);
  const names = await session.namespaces().catch(() => [...current]);
  const items = [...new Set([...names, ...current])].map((label) => ({ label, picked: current.has(label) }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Namespaces to show',
    placeHolder: 'Pick nothing to show all namespaces',
    canPickMany: true,
  });
  if (!picked) return;
  // Which namespaces matter is a per-project choice: the workspace's settings, when a folder is open.
  await updateSetting(
    'namespaces',
    picked.map((item) => item.label),
    'workspace',
  );
  tree.refresh();
}

async function pickKubeconfig({ session, tree }: ClusterCommandDeps): Promise<void> {
  const [file] =
    (await vscode.window.showOpenDialog({
      title: 'Pick a kubeconfig file',
      canSelectMany: false,
      openLabel: 'Use this kubeconfig',
    })) ?? [];
  if (!file) return;
  // A restricted setting: it counts from the user's settings only, so that is where it goes.
  await updateSetting('kubeconfig', file.fsPath, 'user');
  // A context chosen for the previous file names nothing in this one: the new file's current-context applies.
  await updateSetting('context', undefined, 'every-scope-set');
  session.reset();
  tree.refresh();
}

/** What a script may answer Create Explicit Token Secret's name prompt with ('': a generated `<sa>-token-xxxxx`). */
export interface CreateTokenSecretPreset {
  secretName: string;
}

/** The service account a new token Secret is for, and the name to offer for it. */
interface TokenSecretOwner {
  account: ServiceAccountInfo;
  suggestedName: string;
}

async function tokenSecretOwner(deps: ClusterCommandDeps, argument: unknown): Promise<TokenSecretOwner> {
  if ((argument as { type?: unknown } | undefined)?.type === 'secretRef') {
    // The Secret a .secrets entry names but that does not exist: create it under that name, the entry then holds.
    const { node, account } = await resolvedMissingSecretRef(deps, argument);
    return { account, suggestedName: node.name };
  }
  const { account } = await resolved(deps, argument, 'serviceAccount');
  return { account, suggestedName: suggestedTokenSecretName(account) };
}

/** Resolves with the new Secret's name (never its token) once it is populated and shown. */
async function createTokenSecret(
  deps: ClusterCommandDeps,
  { account, suggestedName }: TokenSecretOwner,
  preset?: CreateTokenSecretPreset,
): Promise<{ secretName: string } | undefined> {
  const { namespace, name } = account;
  const secretName = preset ? presetSecretName(preset) : await askTokenSecretName(account, suggestedName);
  if (secretName === undefined) return undefined;
  const confirmed = await deps.context.confirm(
    `Create token Secret ${namespace}/${secretName || `${name}-token-…`} for service account ${namespace}/${name}?`,
    'The token controller fills it with a legacy token that never expires: it stays valid until the Secret is deleted. Prefer "Request Token" for short-lived access.',
    'Create',
  );
  if (!confirmed) return undefined;
  const created = await createFilledTokenSecret(deps, namespace, name, secretName || undefined);
  if (!created) return undefined;
  await showAndOfferCopy(
    deps,
    created.token,
    created.secretName,
    `Created token Secret ${namespace}/${created.secretName}.`,
  );
  return { secretName: created.secretName };
}

/** A preset name, checked as a typed one would be. */
function presetSecretName(preset: CreateTokenSecretPreset): string {
  const name = typeof preset.secretName === 'string' ? preset.secretName.trim() : undefined;
  if (name === undefined) throw new Error('secretName must be a string.');
  const invalid = name === '' ? undefined : validateObjectName(name);
  if (invalid) throw new Error(invalid);
  return name;
}

/** The new Secret's name, prefilled and checked as typed ('' for a generated one); undefined when dismissed. */
async function askTokenSecretName(account: ServiceAccountInfo, suggested: string): Promise<string | undefined> {
  const taken = new Set(account.tokenSecrets.map((secret) => secret.name));
  const answer = await vscode.window.showInputBox({
    title: `Create Explicit Token Secret for ${account.namespace}/${account.name}`,
    prompt: `Name of the new Secret in ${account.namespace} (empty: a generated ${account.name}-token-xxxxx). It will hold a legacy token that never expires.`,
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const name = value.trim();
      if (name === '') return undefined;
      if (taken.has(name)) return `A token Secret named ${name} exists already in ${account.namespace}.`;
      return validateObjectName(name);
    },
  });
  return answer?.trim();
}

/** Takes a missing Secret's name out of its ServiceAccount's `.secrets`; resolves whether it was removed. */
async function removeSecretReference(
  deps: ClusterCommandDeps,
  { node }: { node: NodeOf<'secretRef'> },
): Promise<boolean> {
  const { namespace, serviceAccount, name } = node;
  const confirmed = await deps.context.confirm(
    `Remove ${name} from the .secrets list of service account ${namespace}/${serviceAccount}?`,
    `No Secret ${name} exists in ${namespace}: the entry names nothing. Only the ServiceAccount's .secrets list changes; no pod or token is affected.`,
    'Remove',
    { destructive: true },
  );
  if (!confirmed) return false;
  const connection = await deps.session.connection();
  let removed: boolean;
  try {
    removed = await connection.removeServiceAccountSecretRef(namespace, serviceAccount, name);
  } catch (error) {
    // The JSON patch tests the entry before removing it: a 422 means the list changed since it was read.
    if ((error as { status?: number }).status === 422)
      throw new Error(
        `The .secrets list of ${namespace}/${serviceAccount} changed meanwhile; nothing was removed. Refresh the view and try again.`,
      );
    throw error;
  } finally {
    deps.session.invalidateNamespace(namespace);
    deps.tree.refresh();
  }
  void deps.context.showInformationMessage(
    removed
      ? `Removed ${name} from the .secrets list of service account ${namespace}/${serviceAccount}.`
      : `${namespace}/${serviceAccount} no longer lists ${name} in .secrets; nothing to remove.`,
  );
  return removed;
}

/** Creates `<sa>-token-xxxxx` (or `secretName`), waits for the token controller to fill it, shows it in the tree. */
export async function createFilledTokenSecret(
  deps: ClusterCommandDeps,
  namespace: string,
  name: string,
  secretName?: string,
) {
  const connection = await deps.session.connection();
  const timeoutMs = deps.context.config.cluster.requestTimeoutMs;
  const created = await withCancellableProgress(
    `Creating a token Secret for ${namespace}/${name}`,
    'waiting for the token controller to fill it…',
    (signal) => connection.createTokenSecret(namespace, name, { signal, timeoutMs, secretName }),
  );
  if (!created) return undefined;
  deps.session.invalidateNamespace(namespace);
  deps.tree.refresh();
  return created;
}

async function requestToken(
  deps: ClusterCommandDeps,
  node: NodeOf<'serviceAccount'>,
  preset?: TokenRequestPreset,
): Promise<void> {
  const { namespace, name } = node.account;
  const request = preset ? tokenRequestFrom(preset) : await askTokenRequest(`${namespace}/${name}`, node.account.pods);
  if (!request) return;
  const connection = await deps.session.connection();
  const token = await withCancellableProgress(`Requesting a token for ${namespace}/${name}`, undefined, (signal) =>
    connection.requestToken(namespace, name, { ...request, signal }),
  );
  if (token) {
    const message = `Requested a token for ${namespace}/${name} (not stored anywhere).`;
    await showAndOfferCopy(deps, token, `${name} requested token`, message);
  }
}

/** A pod the token may be bound to, as the pick shows it. */
export interface BindablePod {
  name: string;
  automount: boolean;
}

type BindTo = 'Pod' | 'Secret' | undefined;

/**
 * TokenRequest as one multi-step input (lifetime, audiences, bound object, then which pod or Secret), with a step
 * counter and Back. Pods are picked from the service account's own pods.
 */
export async function askTokenRequest(account: string, pods: BindablePod[]): Promise<TokenRequestSpec | undefined> {
  const title = `Request Token for ${account}`;
  const answers: { duration?: string; audiences?: string; bindTo?: BindTo; name?: string } = {};
  let step = 1;
  while (step <= 4) {
    const totalSteps = answers.bindTo ? 4 : 3;
    if (step === 4 && !answers.bindTo) break;
    const position = { title, step, totalSteps };
    const answer = await tokenRequestStep(position, answers, pods);
    if (answer === undefined) return undefined;
    if (answer === BACK) step--;
    else step++;
  }
  return tokenRequestFrom({
    duration: answers.duration ?? '1h',
    audiences: answers.audiences,
    boundObject: answers.bindTo && answers.name ? { kind: answers.bindTo, name: answers.name.trim() } : undefined,
  });
}

async function tokenRequestStep(
  position: StepPosition,
  answers: { duration?: string; audiences?: string; bindTo?: BindTo; name?: string },
  pods: BindablePod[],
): Promise<StepAnswer<true>> {
  const keep = <T>(answer: StepAnswer<T>, store: (value: T) => void): StepAnswer<true> => {
    if (answer === undefined || answer === BACK) return answer as undefined | typeof BACK;
    store(answer as T);
    return true;
  };
  /** A typed answer kept under `key`; the box shows the earlier answer when the user comes Back, else `step.value`. */
  const input = async (key: 'duration' | 'audiences' | 'name', step: Omit<InputStep, 'kind'>) =>
    keep(await askStep(position, { kind: 'input', ...step, value: answers[key] ?? step.value }), (value) => {
      answers[key] = value;
    });
  switch (position.step) {
    case 1:
      return input('duration', {
        prompt: 'Lifetime (like kubectl create token --duration): 1h, 30m, 1h30m; minimum 10m',
        value: '1h',
        validate: (value) => {
          const parsed = parseDuration(value);
          return 'error' in parsed ? parsed.error : undefined;
        },
      });
    case 2:
      return input('audiences', { prompt: "Audiences, comma-separated (empty: the API server's own)", value: '' });
    case 3:
      return keep(
        await askStep(position, { kind: 'pick', placeholder: 'Bind the token to an object?', items: BIND_KINDS }),
        (item) => {
          if (item.bindTo !== answers.bindTo) answers.name = undefined;
          answers.bindTo = item.bindTo;
        },
      );
    default:
      return answers.bindTo === 'Pod' && pods.length > 0
        ? keep(
            await askStep(position, {
              kind: 'pick',
              placeholder: 'The pod to bind the token to (it is invalid once the pod is gone)',
              items: pods.map((pod) => ({
                label: pod.name,
                description: pod.automount ? undefined : 'automount off: it mounts no token of its own',
              })),
            }),
            (item) => (answers.name = item.label),
          )
        : input('name', {
            prompt: `Name of the ${answers.bindTo ?? 'object'} in the same namespace`,
            validate: validateObjectName,
          });
  }
}

const BIND_KINDS: (vscode.QuickPickItem & { bindTo: BindTo })[] = [
  { label: 'Not bound', description: 'valid until it expires', bindTo: undefined },
  {
    label: 'Pod',
    // Deletion is graceful: the token works until the pod is gone, at most 60 s past its deletion timestamp.
    description: 'invalid once the pod is gone (not at the delete request: it terminates first)',
    bindTo: 'Pod',
  },
  {
    label: 'Secret',
    description: 'invalid once the Secret is gone (at most 60 s after its deletion starts)',
    bindTo: 'Secret',
  },
];

/** The token of a token Secret, only when data.token is exactly one JWT: whatever else a server (or whoever wrote
 * the Secret) put there is never decoded, copied or sent on. */
async function readToken({ session }: ClusterCommandDeps, node: NodeOf<'tokenSecret'>): Promise<string> {
  const { namespace, name } = node.secret;
  const connection = await session.connection();
  const token = exactlyOneJwt(await connection.readSecretToken(namespace, name, {}));
  if (isTokenError(token))
    throw new Error(
      `Secret ${namespace}/${name} does not hold a usable token: data.token must be exactly one JWT, but ${token.error}.`,
    );
  return token;
}

async function showAndOfferCopy(
  deps: ClusterCommandDeps,
  token: string,
  source: string,
  message: string,
): Promise<void> {
  await deps.showDecoded(token, source);
  // Not awaited: the command is done once the token is shown; the offer stays until dismissed.
  void deps.context
    .showInformationMessage(message, 'Copy Token')
    .then((choice) => (choice === 'Copy Token' ? copyToken(deps, token) : undefined));
}

async function copyToken(deps: ClusterCommandDeps, token: string): Promise<void> {
  await vscode.env.clipboard.writeText(token);
  void deps.context.showWarningMessage(
    'The clipboard now holds a service account token: a credential. Paste it only where it is needed, then clear the clipboard.',
  );
}

async function deleteTokenSecret(deps: ClusterCommandDeps, node: NodeOf<'tokenSecret'>): Promise<void> {
  const { namespace, name } = node.secret;
  const readers = node.readers.length
    ? `Pods reading it will lose their token: ${node.readers.join(', ')}.`
    : 'No pod in this namespace reads it.';
  const confirmed = await deps.context.confirm(
    `Delete token Secret ${namespace}/${name}?`,
    `The token it holds stops working at once. ${readers}`,
    'Delete',
    { destructive: true },
  );
  if (!confirmed) return;
  const connection = await deps.session.connection();
  await connection.deleteSecret(namespace, name, {});
  deps.session.invalidateNamespace(namespace);
  deps.tree.refresh();
  void deps.context.showInformationMessage(`Deleted token Secret ${namespace}/${name}.`);
}

/** Read-only YAML of the object from the cluster (Secret values masked by the kube layer). */
async function openYaml(deps: ClusterCommandDeps, object: ObjectRef, preserveFocus = false): Promise<void> {
  const connection = await deps.session.connection();
  const yaml = await connection.getObjectYaml(object.kind, object.namespace, object.name, {});
  const fileName = `${object.kind.toLowerCase()}-${object.namespace}-${object.name}.yaml`;
  await deps.documents.show(fileName, yaml, 'yaml', preserveFocus);
}

/**
 * Selecting a row: the object's manifest at its line when the workspace declares it, else its YAML from the cluster.
 * Focus stays in the view, so the keyboard keeps walking the tree. Resolves with what was opened.
 */
async function openNode(deps: ClusterCommandDeps, argument: unknown): Promise<{ opened: 'manifest' | 'cluster' }> {
  const object = await resolvedObject(deps, argument);
  const location = await deps.context.services.manifestLocator?.(object);
  if (location) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
    const start = document.positionAt(location.start);
    await vscode.window.showTextDocument(document, {
      preview: true,
      preserveFocus: true,
      selection: new vscode.Range(start, start),
    });
    return { opened: 'manifest' };
  }
  await openYaml(deps, object, true);
  return { opened: 'cluster' };
}

export interface CheckTokenResult {
  authenticated: boolean;
  /** For a legacy token: its Secret's last-used label before and after the check (undefined: unreadable). */
  lastUsed?: { before: string | null | undefined; after: string | null | undefined };
}

/** Resolves with the verdict (never the token) so scripts can use it; undefined when the user declined. */
async function checkToken(
  deps: ClusterCommandDeps,
  node: NodeOf<'tokenSecret'> | undefined,
): Promise<CheckTokenResult | undefined> {
  const fromSecret = node !== undefined;
  const token = fromSecret
    ? await readToken(deps, node)
    : (await tokenAtCursorOrAsked('Check Token with Cluster', 'The API server checks it (TokenReview).'))?.jwt;
  if (!token) return undefined;
  const connection = await deps.session.connection();
  const legacySecret = fromSecret
    ? { namespace: node.secret.namespace, name: node.secret.name }
    : legacySecretOf(token);
  const readLastUsed = (secret: SecretRef) =>
    connection.tokenSecretLastUsed(secret.namespace, secret.name, {}).catch(() => undefined);
  const before = legacySecret ? await readLastUsed(legacySecret) : undefined;
  const details = [
    fromSecret ? undefined : 'Only do this if the token belongs to this cluster: the API server learns the token.',
    legacySecret ? legacyReviewWarning(legacySecret, before) : undefined,
  ].filter((line): line is string => line !== undefined);
  if (details.length) {
    const send = await deps.context.confirm(
      `Send this token to the API server of context ${connection.context} for a TokenReview?`,
      details.join('\n\n'),
      'Check',
    );
    if (!send) return undefined;
  }
  const review = await connection.tokenReview(token, {});
  const after = legacySecret && review.authenticated ? await readLastUsed(legacySecret) : before;
  const change = legacySecret && review.authenticated ? ` ${legacyReviewChange(before, after)}` : '';
  if (legacySecret && review.authenticated) {
    deps.session.invalidateNamespace(legacySecret.namespace);
    deps.tree.refresh();
  }
  if (review.authenticated) {
    void deps.context.showInformationMessage(
      `The API server of ${connection.context} accepts this token now, as ${review.user ?? 'an unnamed user'}${review.audiences.length ? ` (audiences: ${review.audiences.join(', ')})` : ''}.${change}`,
    );
  } else {
    void deps.context.showWarningMessage(tokenReviewRejection(connection.context, review.error));
  }
  return { authenticated: review.authenticated, ...(legacySecret ? { lastUsed: { before, after } } : {}) };
}

/** A token Secret's token (read on the user's request), else the token at the cursor, else one typed in. */
async function tokenToCheck(
  deps: ClusterCommandDeps,
  node: NodeOf<'tokenSecret'> | undefined,
): Promise<string | undefined> {
  if (node) return readToken(deps, node);
  return (await tokenAtCursorOrAsked('What Can This Token Do?', 'It is not stored.'))?.jwt;
}

/** A notification with a Cancel button; cancelling aborts the request and returns undefined quietly. */
export async function withCancellableProgress<T>(
  title: string,
  message: string | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, cancellation) => {
      if (message) progress.report({ message });
      const abort = new AbortController();
      const subscription = cancellation.onCancellationRequested(() => abort.abort());
      try {
        return await run(abort.signal);
      } catch (error) {
        if (abort.signal.aborted) return undefined;
        throw error;
      } finally {
        subscription.dispose();
      }
    },
  );
}
