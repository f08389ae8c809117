// `sa-token inventory`: every service account of the cluster and every way a token reaches it.
// The cluster module is loaded here, on use, so that the other subcommands never load client-node.
import type { Command } from 'commander';
import {
  cleanupUsage,
  DEFAULT_CLEAN_UP_PERIOD_DAYS,
  describeCleanup,
  legacyCleanup,
  tokenSecretSummary,
} from '../core/cluster/judgements';
import type { ClusterError, Inventory, PodTokenSource, ServiceAccountInfo } from '../kube/index';
import { loadKube } from '../kubeLoader';
import { connectFromCli } from './connect';
import { inertJson, printableLine } from '../core/printable';
import { formatSeconds } from '../core/time';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './io';

interface InventoryCliOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  json?: boolean;
  timeout: string;
}

export function registerInventory(program: Command): void {
  program
    .command('inventory')
    .description('List service accounts with their token Secrets, .secrets lists and the pods that get or read tokens.')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('-n, --namespace <name>', 'only this namespace (default: all namespaces)')
    .option('--json', 'print the model as JSON')
    .option('--timeout <seconds>', 'per-request timeout', '30')
    .action(async (options: InventoryCliOptions) => {
      process.exitCode = await runInventory(options);
    });
}

async function runInventory(options: InventoryCliOptions): Promise<number> {
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds, not "${options.timeout}"`);
  const kube = loadKube();
  try {
    const connection = await connectFromCli(kube, { ...options, timeoutMs: timeoutSeconds * 1000 });
    try {
      const inventory = await connection.inventory({ namespace: options.namespace });
      process.stdout.write(options.json ? `${inertJson(inventoryJson(inventory))}\n` : inventoryText(inventory));
      return inventory.errors.length ? EXIT_FINDINGS : EXIT_OK;
    } finally {
      connection.close();
    }
  } catch (error) {
    if (kube.isClusterError(error)) throw new UsageError(clusterFailure(error), EXIT_USAGE);
    throw error;
  }
}

function clusterFailure(error: ClusterError): string {
  return error.kind === 'config' || error.kind === 'not-found' ? error.message : `no usable cluster: ${error.message}`;
}

/** Exactly the `--json` contract of the issue: the model without the fields only the tree uses. */
export function inventoryJson(inventory: Inventory) {
  return {
    context: inventory.context,
    legacyTokenTrackingSince: inventory.legacyTokenTrackingSince ?? null,
    serviceAccounts: inventory.serviceAccounts.map((account) => ({
      namespace: account.namespace,
      name: account.name,
      uid: account.uid,
      automountServiceAccountToken: account.automountServiceAccountToken,
      tokenSecrets: account.tokenSecrets.map((secret) => {
        const { exempt, invalidatedOnOrAfter, deletedOnOrAfter } = legacyCleanup(
          secret,
          cleanupUsage(inventory, account, secret),
          DEFAULT_CLEAN_UP_PERIOD_DAYS,
        );
        const { name, populated, lastUsed, invalidSince } = secret;
        // The cleaner's timeline (default one-year period): why it is exempt, or when it invalidates and deletes.
        const cleanup = { exempt, invalidatedOnOrAfter, deletedOnOrAfter };
        return { name, populated, lastUsed, invalidSince, cleanup };
      }),
      secretsList: account.secretsList,
      pods: account.pods.map(({ name, automount, tokenSources }) => ({ name, automount, tokenSources })),
    })),
    staticPods: inventory.staticPods.map(({ namespace, name }) => ({ namespace, name })),
    errors: inventory.errors.map(({ resource, namespace, reason }) => ({ resource, namespace, reason })),
  };
}

export function inventoryText(inventory: Inventory, now = new Date()): string {
  const lines = [`context ${inventory.context}`];
  for (const account of inventory.serviceAccounts) lines.push(...accountLines(inventory, account, now));
  for (const pod of inventory.staticPods)
    lines.push(`${pod.namespace}/${pod.name}: static (mirror) pod, no service account and no token`);
  if (inventory.errors.length) {
    lines.push('', 'incomplete:');
    for (const error of inventory.errors) lines.push(`  ${error.reason}`);
  }
  // Every name here came from the API server: one printable line each, never a workflow command.
  return `${lines.map(printableLine).join('\n')}\n`;
}

function accountLines(inventory: Inventory, account: ServiceAccountInfo, now: Date): string[] {
  const automount =
    account.automountServiceAccountToken === null
      ? ''
      : ` (automount ${account.automountServiceAccountToken ? 'on' : 'off'})`;
  const lines = [`${account.namespace}/${account.name}${automount}`];
  for (const secret of account.tokenSecrets) {
    // The tree's words and judgement: the legacy token cleaner's rules, with its default clean-up period.
    const timeline = legacyCleanup(secret, cleanupUsage(inventory, account, secret), DEFAULT_CLEAN_UP_PERIOD_DAYS);
    // What the tree's tooltip adds about the cleaner of a token, unless the summary has an invalidated one's dates.
    const cleaner =
      secret.populated && (timeline.exempt || !timeline.invalidated) ? describeCleanup(timeline) : undefined;
    lines.push(
      `  token Secret ${secret.name}: ${tokenSecretSummary(secret, timeline, now)}${cleaner ? `; ${cleaner}` : ''}`,
    );
  }
  if (account.secretsList.length) {
    const names = account.secretsList.map((name) =>
      account.missingSecrets.includes(name) ? `${name} (missing)` : name,
    );
    lines.push(`  .secrets: ${names.join(', ')}`);
  }
  if (account.imagePullSecrets.length) lines.push(`  imagePullSecrets: ${account.imagePullSecrets.join(', ')}`);
  for (const pod of account.pods) {
    lines.push(`  pod ${pod.name} (automount ${pod.automount ? 'on' : 'off'})`);
    for (const source of pod.tokenSources) lines.push(`    ${sourceText(source)}`);
  }
  return lines;
}

function sourceText(source: PodTokenSource): string {
  const uses = source.containers
    .map((use) => ('mountPath' in use ? `${use.name}:${use.mountPath}` : `${use.name}:$${use.env}`))
    .join(', ');
  const where = uses ? ` → ${uses}` : ' (not mounted)';
  if (source.kind === 'projected') {
    const audience = source.audience ?? 'API server';
    // The same units as the editor's tree (formatSeconds: 1h 7s).
    const lifetime = source.expirationSeconds === null ? 'default lifetime' : formatSeconds(source.expirationSeconds);
    return `projected ${source.volume}/${source.path} (audience ${audience}, ${lifetime})${where}`;
  }
  if (source.kind === 'secret-volume') return `Secret volume ${source.volume} of ${source.secretName}${where}`;
  return `env from Secret ${source.secretName}${source.key ? ` key ${source.key}` : ''}${where}`;
}
