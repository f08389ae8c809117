// One code-server with our packaged extension, a freshly minted demo workspace and (when the project has it) the
// local API server with demo data: what the demo, the integration suite and the e2e test all start.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCluster } from './cluster';
import { installVsix, serverLayout, startCodeServer, workbenchUrl, writeMachineSettings, type ServerLayout } from './code-server';
import { freePort, progress, type Service } from './env';
import { WORKBENCH_SETTINGS, prepareWorkspace } from './workspace';
import { packageVsix } from '../package';
import { ensureCodeServer } from '../setup-vscode';

export interface BenchOptions {
  /** Everything of this run goes below it (server data, workspace copy, logs); emptied first. */
  workDir: string;
  port?: number;
  /** Extra environment for the server and so for its extension host. */
  env?: NodeJS.ProcessEnv;
  /** Runs after our extension is installed, before the server starts (e.g. to add a test-runner extension). */
  beforeStart?: (layout: ServerLayout) => void;
}

export interface Bench {
  url: string;
  workspace: string;
  kubeconfig?: string;
  services: Service[];
  serverLog: string;
  stop(): Promise<void>;
}

export async function startBench(options: BenchOptions): Promise<Bench> {
  const server = await ensureCodeServer();
  const vsix = packageVsix();
  rmSync(options.workDir, { recursive: true, force: true });
  const layout = serverLayout(join(options.workDir, 'server'));
  progress('installing the packaged extension into code-server…');
  installVsix(server, layout, vsix);
  writeMachineSettings(layout, WORKBENCH_SETTINGS);
  options.beforeStart?.(layout);
  const workspace = await prepareWorkspace(join(options.workDir, 'workspace'));

  const services: Service[] = [];
  const stop = async (): Promise<void> => {
    for (const service of services.splice(0).reverse()) await service.stop();
  };
  try {
    const cluster = await startTestCluster(options.workDir);
    if (cluster) services.push(cluster.service);
    const port = options.port ?? (await freePort());
    const serverLog = join(options.workDir, 'code-server.log');
    const codeServer = startCodeServer(server, layout, { port, env: { ...process.env, ...options.env, ...cluster?.env }, logFile: serverLog });
    services.push(codeServer);
    await codeServer.ready;
    return { url: workbenchUrl(port, workspace), workspace, kubeconfig: cluster?.kubeconfig, services, serverLog, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
