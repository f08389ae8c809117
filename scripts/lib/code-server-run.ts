// Starts one code-server with our packaged extension, a freshly minted demo workspace and the local API server with
// demo data: what the demo, the integration suite and the e2e test all start.
// Every run gets its own work dir under .cache/runs/, so concurrent runs never delete each other's files.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoTokensOf, startTestCluster } from './cluster';
import {
  extensionActivationStarted,
  installVsix,
  serverLayout,
  startCodeServer,
  workbenchUrl,
  writeServerSettings,
  type ServerLayout,
} from './code-server';
import { SetupError, cacheDir, ensureDir, extensionId, freePort, progress, type Service } from './env';
import { DNS_GUARD_NODE_ARGS, offlineEnv, outsideLookups } from './offline';
import { RESTRICTED_MODE_SETTINGS, WORKBENCH_SETTINGS, prepareWorkspace } from './workspace';
import { packageVsix, type VsixVariant } from '../package';
import { ensureCodeServer } from '../setup-vscode';

export const runsDir = join(cacheDir, 'runs');

export interface CodeServerRunOptions {
  /** Names the run's work dir: .cache/runs/<label>-XXXXXX. */
  label: string;
  port?: number;
  /** Extra environment for the server and so for its extension host (may name files in the run's work dir). */
  env?: (workDir: string) => NodeJS.ProcessEnv;
  /** Runs after our extension is installed, before the server starts (e.g. to add a test-runner extension). */
  beforeStart?: (layout: ServerLayout) => void;
  /** Runs once the demo workspace copy exists, before any workbench opens it (e.g. to add .vscode/settings.json). */
  prepareWorkspace?: (workspace: string) => void;
  /** User settings on top of the workbench's (e.g. the demo opens its README). */
  settings?: Record<string, unknown>;
  /** 'restricted': workspace trust on and the workspace not trusted (Restricted Mode). Default: trust off. */
  trust?: 'trusted' | 'restricted';
  /** 'web-only': the manifest without `main`, so the browser's web worker extension host runs dist/web.js. */
  variant?: VsixVariant;
}

export interface CodeServerRun {
  url: string;
  workspace: string;
  kubeconfig: string;
  /** This run's own folder: server data, workspace copy, logs, browser profile. */
  workDir: string;
  services: Service[];
  serverLog: string;
  /**
   * Resolves once the extension host has activated our extension (the server's own log says so): a deterministic
   * signal for browser steps, instead of retrying until providers answer.
   */
  extensionActivated(timeoutMs?: number): Promise<void>;
  /** Whether the server's (Node) extension host has activated our extension so far. */
  activatedOnServer(): boolean;
  /** Outside hosts (not 127.0.0.1/localhost) that the server or its extension host looked up so far. */
  outsideLookups(): string[];
  /** Stops every service, then removes the work dir, unless `keep` (a failed run): then it prints where it is. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

/** Removes a run's work dir, or keeps it for debugging and says where. */
export function finishWorkDir(workDir: string, keep: boolean): void {
  if (keep) progress(`kept this run's files for debugging: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

export async function startCodeServerRun(options: CodeServerRunOptions): Promise<CodeServerRun> {
  const workDir = mkdtempSync(join(ensureDir(runsDir), `${options.label}-`));
  const services: Service[] = [];
  const stopServices = async (): Promise<void> => {
    for (const service of services.splice(0).reverse()) await service.stop();
  };
  try {
    return await startIn(workDir, options, services, stopServices);
  } catch (error) {
    await stopServices();
    finishWorkDir(workDir, true);
    throw error;
  }
}

async function startIn(
  workDir: string,
  options: CodeServerRunOptions,
  services: Service[],
  stopServices: () => Promise<void>,
): Promise<CodeServerRun> {
  const server = await ensureCodeServer();
  const vsix = packageVsix(workDir, options.variant);
  const dnsLog = join(workDir, 'dns-lookups.jsonl');
  const serverEnv = { ...process.env, ...offlineEnv(dnsLog) };
  const layout = serverLayout(join(workDir, 'server'));
  progress('installing the packaged extension into code-server…');
  installVsix(server, layout, vsix, serverEnv);
  const restricted = options.trust === 'restricted';
  writeServerSettings(layout, {
    ...WORKBENCH_SETTINGS,
    ...(restricted ? RESTRICTED_MODE_SETTINGS : {}),
    ...options.settings,
  });
  options.beforeStart?.(layout);
  // The cluster first: it mints the demo workspace's tokens.
  const cluster = await startTestCluster(workDir);
  services.push(cluster.service);
  const workspace = prepareWorkspace(join(workDir, 'workspace'), demoTokensOf(cluster));
  options.prepareWorkspace?.(workspace);

  const port = options.port ?? (await freePort());
  const serverLog = join(workDir, 'code-server.log');
  const codeServer = startCodeServer(server, layout, {
    port,
    nodeArgs: DNS_GUARD_NODE_ARGS,
    env: { ...serverEnv, ...options.env?.(workDir), ...cluster.env },
    logFile: serverLog,
    workspaceTrust: restricted,
  });
  services.push(codeServer);
  await codeServer.ready;
  return {
    url: workbenchUrl(port, workspace),
    workspace,
    kubeconfig: cluster.kubeconfig,
    workDir,
    services,
    serverLog,
    extensionActivated: (timeoutMs = 60_000) => waitForActivation(layout, timeoutMs),
    activatedOnServer: () => extensionActivationStarted(layout, extensionId()),
    outsideLookups: () => outsideLookups(dnsLog),
    stop: async ({ keep = false } = {}) => {
      await stopServices();
      finishWorkDir(workDir, keep);
    },
  };
}

async function waitForActivation(layout: ServerLayout, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!extensionActivationStarted(layout, extensionId())) {
    if (Date.now() > deadline)
      throw new SetupError(
        `the extension did not activate within ${timeoutMs / 1000}s (logs: ${layout.dataDir}/data/logs)`,
      );
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 200));
  }
}
