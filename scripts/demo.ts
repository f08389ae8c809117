// `npm start`: the whole product in one command. Installs Node 24 and code-server on first run (with progress),
// builds and packages the extension, starts the local API server with demo data and VS Code in the browser on
// 127.0.0.1 with the packaged extension and a demo workspace whose tokens are minted now. Ctrl-C stops it all.
import { join } from 'node:path';
import { startTestCluster } from './lib/cluster';
import { installVsix, serverLayout, startCodeServer, workbenchUrl, writeMachineSettings } from './lib/code-server';
import { SetupError, cacheDir, freePort, isEntryPoint, progress, runMain, type Service } from './lib/env';
import { WORKBENCH_SETTINGS, prepareWorkspace } from './lib/workspace';
import { packageVsix } from './package';
import { ensureCodeServer } from './setup-vscode';

const demoDir = join(cacheDir, 'demo');

async function choosePort(): Promise<number> {
  const requested = process.env.SA_TOKEN_DEMO_PORT;
  if (requested === undefined) return freePort();
  const port = Number(requested);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SetupError(`SA_TOKEN_DEMO_PORT must be a port number, got '${requested}'`);
  return port;
}

/** Resolves when the user asks to stop (Ctrl-C, SIGTERM) or a service dies; says which. */
function untilStopped(services: Service[]): Promise<string> {
  return new Promise((resolveStop) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolveStop(signal));
    for (const service of services) {
      service.child.once('exit', (code, signal) => resolveStop(`a service exited (${signal ?? code})`));
    }
  });
}

async function main(): Promise<number> {
  const server = await ensureCodeServer();
  const vsix = packageVsix();
  const layout = serverLayout(join(demoDir, 'server'));
  progress('installing the packaged extension into code-server…');
  installVsix(server, layout, vsix);
  writeMachineSettings(layout, WORKBENCH_SETTINGS);
  const workspace = await prepareWorkspace(join(demoDir, 'workspace'));
  progress(`demo workspace with freshly minted tokens: ${workspace}`);

  const services: Service[] = [];
  try {
    const cluster = await startTestCluster(demoDir);
    if (cluster) services.push(cluster.service);
    const port = await choosePort();
    const codeServer = startCodeServer(server, layout, {
      port,
      env: { ...process.env, ...cluster?.env },
      logFile: join(demoDir, 'code-server.log'),
    });
    services.push(codeServer);
    await codeServer.ready;
    console.log(`\n  Service Account Token Inspector demo: ${workbenchUrl(port, workspace)}\n`);
    console.log('  Open the URL in a browser on this machine. Press Ctrl-C to stop.\n');
    const reason = await untilStopped(services);
    progress(`stopping (${reason})…`);
    return reason.startsWith('SIG') ? 0 : 1;
  } finally {
    for (const service of services.reverse()) await service.stop();
    progress('stopped');
  }
}

if (isEntryPoint(import.meta.url)) runMain('demo', main);
