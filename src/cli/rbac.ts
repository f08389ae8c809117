// `sa-token rbac`, `sa-token can-i`, `sa-token who-can`: the RBAC evaluator over a cluster or manifests.
import type { Command } from 'commander';
import {
  attributesOf,
  bindingRef,
  builtInResources,
  canI,
  describeAttributes,
  NO_RULE_GRANTS_IT,
  permissionsOf,
  QuestionError,
  scaffoldGrant,
  serviceAccountUser,
  whoCan,
  type Decision,
  type ObjectRef,
  type RequestAttributes,
  type ResourceResolver,
  type ServiceAccountRef,
} from '../core/rbac/index';
import { inertJson, printableLine } from '../core/printable';
import type { ClusterConnection } from '../kube/index';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './io';
import { maxManifestSizeOption } from './ruleOptions';
import {
  essentialLists,
  fromSnapshot,
  loadFromManifests,
  parseServiceAccount,
  withConnection,
  type LoadedRbac,
  type RbacCliOptions,
} from './rbacSource';

const OTHER_AUTHORIZERS =
  'RBAC only: other authorizers (Node, webhook, ABAC) may also allow; a SubjectAccessReview asks them all';

function withSourceOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('--from <paths...>', 'evaluate over manifests (files or directories) instead of a cluster')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', 'per-request timeout', '30')
    .addOption(maxManifestSizeOption());
}

const refText = (ref: ObjectRef) => `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
const line = (text: string) => `${printableLine(text)}\n`;

/** Loads the objects from manifests or the cluster; a cluster without any readable RBAC list is a usage error. */
async function load(options: RbacCliOptions, connection?: ClusterConnection): Promise<LoadedRbac> {
  if (!connection) return loadFromManifests(options.from ?? [], options.maxManifestSize);
  const loaded = fromSnapshot(await connection.rbacSnapshot());
  const missing = loaded.errors.filter((error) => essentialLists.includes(error.source));
  if (missing.length === essentialLists.length)
    throw new UsageError(`cannot read RBAC objects: ${missing[0].message}`, EXIT_USAGE);
  return loaded;
}

export function registerRbac(program: Command): void {
  withSourceOptions(
    program
      .command('rbac')
      .argument('<namespace/serviceaccount>', 'the ServiceAccount')
      .description(
        'Show the bindings that apply to a ServiceAccount, the rules they grant, and token-escalation risks.',
      ),
  ).action(async (account: string, options: RbacCliOptions) => {
    const serviceAccount = parseServiceAccount(account);
    process.exitCode = options.from
      ? printRbac(serviceAccount, await load(options), options)
      : await withConnection(options, async (connection) =>
          printRbac(serviceAccount, await load(options, connection), options),
        );
  });
}

function printRbac(account: ServiceAccountRef, loaded: LoadedRbac, options: RbacCliOptions): number {
  const permissions = permissionsOf(account, loaded.index);
  const errors = [
    ...loaded.errors.map(({ source, message }) => ({ source, message })),
    ...permissions.errors.map((message) => ({ source: 'roleRef', message })),
  ];
  if (options.json) {
    const json = {
      serviceAccount: account,
      bindings: permissions.bindings.map(({ binding, via }) => ({
        ...bindingRef(binding),
        roleRef: { kind: binding.roleRef.kind, name: binding.roleRef.name },
        via,
      })),
      rules: permissions.rules.map((rule) => ({
        verbs: rule.verbs,
        apiGroups: rule.apiGroups,
        resources: rule.resources,
        resourceNames: rule.resourceNames,
        nonResourceURLs: rule.nonResourceURLs,
        scope: rule.scope,
        grantedBy: rule.grantedBy,
      })),
      risks: permissions.risks.map(({ code, scope, grantedBy, message }) => ({ code, scope, grantedBy, message })),
      errors,
    };
    process.stdout.write(`${inertJson(json)}\n`);
  } else {
    let out = line(`ServiceAccount ${account.namespace}/${account.name}`);
    out += permissions.bindings.length ? 'Bindings:\n' : 'Bindings: none apply\n';
    for (const { binding, via } of permissions.bindings)
      out += line(`  ${refText(bindingRef(binding))} -> ${binding.roleRef.kind} ${binding.roleRef.name} (via ${via})`);
    if (permissions.rules.length) out += 'Rules:\n';
    for (const rule of permissions.rules) {
      const what = rule.nonResourceURLs.length
        ? rule.nonResourceURLs.join(',')
        : `${rule.resources.join(',')}${rule.apiGroups.some(Boolean) ? ` (${rule.apiGroups.filter(Boolean).join(',')})` : ''}${rule.resourceNames.length ? ` [${rule.resourceNames.join(',')}]` : ''}`;
      out += line(
        `  ${rule.scope === 'cluster' ? 'cluster' : rule.scope}: ${rule.verbs.join(',')} ${what}  <- ${refText(rule.grantedBy)}`,
      );
    }
    out += permissions.risks.length ? 'Risks:\n' : 'Risks: none found\n';
    for (const risk of permissions.risks) out += line(`  ${risk.code}: ${risk.message} (${refText(risk.grantedBy)})`);
    for (const error of errors) out += line(`warning: ${error.source}: ${error.message}`);
    process.stdout.write(out);
  }
  return loaded.errors.length ? EXIT_FINDINGS : EXIT_OK;
}

interface CanICliOptions extends RbacCliOptions {
  asSa: string;
  local?: boolean;
  namespace?: string;
  allNamespaces?: boolean;
}

/** Resource names kubectl would resolve through discovery: built-ins first, the server's list when unknown. */
async function resolverFor(connection: ClusterConnection | undefined, resource: string): Promise<ResourceResolver> {
  const base = resource.split('/')[0];
  if (!connection || base.includes('.') || builtInResources.groupOf(base) !== undefined) return builtInResources;
  const served = await connection.apiResources().catch(() => []);
  const groups = new Map(served.map((entry) => [entry.resource, entry.group]));
  return { groupOf: (name) => builtInResources.groupOf(name) ?? groups.get(name) };
}

async function questionOf(
  verb: string,
  resource: string,
  name: string | undefined,
  options: CanICliOptions,
  connection?: ClusterConnection,
): Promise<RequestAttributes> {
  const namespace = options.allNamespaces ? '' : (options.namespace ?? connection?.defaultNamespace ?? 'default');
  try {
    return attributesOf(verb, resource, name, namespace, await resolverFor(connection, resource));
  } catch (error) {
    if (error instanceof QuestionError) throw new UsageError(error.message);
    throw error;
  }
}

const grantJson = (decision: Decision) =>
  decision.grants.map(({ binding, rule }) => ({
    binding: bindingRef(binding.binding),
    roleRef: { kind: binding.binding.roleRef.kind, name: binding.binding.roleRef.name },
    via: binding.via,
    rule: {
      verbs: rule.verbs,
      apiGroups: rule.apiGroups,
      resources: rule.resources,
      resourceNames: rule.resourceNames,
      nonResourceURLs: rule.nonResourceURLs,
    },
  }));

export function registerCanI(program: Command): void {
  withSourceOptions(
    program
      .command('can-i')
      .argument('<verb>', 'e.g. get, list, create, impersonate')
      .argument('<resource>', 'RESOURCE[.GROUP][/SUBRESOURCE], or a non-resource URL such as /healthz')
      .argument('[name]', 'a resource name')
      .requiredOption('--as-sa <namespace/name>', 'the ServiceAccount asking')
      .option('-n, --namespace <name>', "the request's namespace (default: the context's, else default)")
      .option('-A, --all-namespaces', 'ask at cluster scope (all namespaces)')
      .option('--local', 'answer from the RBAC objects with the local evaluator, without a SubjectAccessReview')
      .description(
        'Say whether a ServiceAccount may do something: yes (exit 0) or no (exit 1), like kubectl auth can-i. Asks a SubjectAccessReview when you may create one, else the local RBAC evaluator.',
      ),
  ).action(async (verb: string, resource: string, name: string | undefined, options: CanICliOptions) => {
    const account = parseServiceAccount(options.asSa);
    process.exitCode = options.from
      ? await answerCanI(account, await questionOf(verb, resource, name, options), options)
      : await withConnection(options, async (connection) =>
          answerCanI(account, await questionOf(verb, resource, name, options, connection), options, connection),
        );
  });
}

async function answerCanI(
  account: ServiceAccountRef,
  attributes: RequestAttributes,
  options: CanICliOptions,
  connection?: ClusterConnection,
): Promise<number> {
  let source: 'subjectaccessreview' | 'rbac' = 'rbac';
  let allowed: boolean;
  let reason: string;
  let decision: Decision | undefined;
  const review =
    connection && !options.local
      ? await connection.subjectAccessReview(serviceAccountUser(account), attributes).catch((error: unknown) => {
          // Not allowed to ask the API server: answer from the RBAC objects instead.
          if ((error as { kind?: string }).kind === 'forbidden') return undefined;
          throw error;
        })
      : undefined;
  if (review) {
    source = 'subjectaccessreview';
    allowed = review.allowed;
    reason = review.reason || review.evaluationError || (allowed ? 'allowed' : 'no authorizer allows it');
    // Which binding grants it comes from the objects, when we may read them.
    const loaded = await connection?.rbacSnapshot().catch(() => undefined);
    if (loaded && loaded.errors.length === 0) decision = canI(account, attributes, fromSnapshot(loaded).index);
  } else {
    decision = canI(account, attributes, (await load(options, connection)).index);
    allowed = decision.allowed;
    reason = decision.allowed ? decision.reason : `${NO_RULE_GRANTS_IT} (${OTHER_AUTHORIZERS})`;
    if (connection)
      process.stderr.write('sa-token: you may not create SubjectAccessReviews: answered from the RBAC objects\n');
  }
  const suggestion = allowed ? null : scaffoldGrant(account, attributes);
  if (options.json) {
    const grantedBy = decision ? grantJson(decision) : [];
    process.stdout.write(`${inertJson({ allowed, source, grantedBy, reason, suggestion })}\n`);
  } else {
    process.stdout.write(allowed ? 'yes\n' : 'no\n');
    if (!allowed && process.stderr.isTTY)
      process.stderr.write(
        line(
          `sa-token: ${describeAttributes(attributes)}: ${reason}; --json shows a minimal Role+RoleBinding that would grant it`,
        ),
      );
  }
  return allowed ? EXIT_OK : EXIT_FINDINGS;
}

interface WhoCanCliOptions extends RbacCliOptions {
  namespace?: string;
  allNamespaces?: boolean;
}

export function registerWhoCan(program: Command): void {
  withSourceOptions(
    program
      .command('who-can')
      .argument('<verb>', 'e.g. get, list, create')
      .argument('<resource>', 'RESOURCE[.GROUP][/SUBRESOURCE]')
      .argument('[name]', 'a resource name')
      .option('-n, --namespace <name>', "the request's namespace (default: the context's, else default)")
      .option('-A, --all-namespaces', 'ask at cluster scope (all namespaces)')
      .description('List the ServiceAccounts RBAC allows to do something, and the bindings that allow it.'),
  ).action(async (verb: string, resource: string, name: string | undefined, options: WhoCanCliOptions) => {
    const run = async (connection?: ClusterConnection) => {
      const attributes = await questionOf(verb, resource, name, { ...options, asSa: '' }, connection);
      return printWhoCan(attributes, await load(options, connection), options);
    };
    process.exitCode = options.from ? await run() : await withConnection(options, run);
  });
}

function printWhoCan(attributes: RequestAttributes, loaded: LoadedRbac, options: WhoCanCliOptions): number {
  const entries = whoCan(attributes, loaded.index, loaded.serviceAccounts);
  const errors = loaded.errors.map(({ source, message }) => ({ source, message }));
  if (options.json) {
    const json = {
      request: attributes,
      serviceAccounts: entries.map(({ serviceAccount, exists, grantedBy }) => ({
        ...serviceAccount,
        exists,
        grantedBy,
      })),
      errors,
    };
    process.stdout.write(`${inertJson(json)}\n`);
  } else {
    let out = line(`ServiceAccounts that may ${describeAttributes(attributes)} (RBAC):`);
    if (!entries.length) out += '  none\n';
    for (const entry of entries) {
      const via = entry.grantedBy.map(
        (grant) => `${refText(grant.binding)} -> ${grant.roleRef.kind} ${grant.roleRef.name} (via ${grant.via})`,
      );
      out += line(
        `  ${entry.serviceAccount.namespace}/${entry.serviceAccount.name}${entry.exists ? '' : ' (no such ServiceAccount)'}: ${via.join('; ')}`,
      );
    }
    for (const error of errors) out += line(`warning: ${error.source}: ${error.message}`);
    process.stdout.write(out);
  }
  return loaded.errors.length ? EXIT_FINDINGS : EXIT_OK;
}
