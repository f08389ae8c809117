// `npm start`: the whole product in one command. Installs Node 24 and code-server on first run (with progress),
// builds and packages the extension, starts the local API server with demo data and VS Code in the browser on
// 127.0.0.1 with the packaged extension and a demo workspace whose tokens are minted now. Ctrl-C stops it all.
import { startCodeServerRun } from './lib/code-server-run';
import { SetupError, isEntryPoint, progress, runMain, type Service } from './lib/env';

function requestedPort(): number | undefined {
  const requested = process.env.SA_TOKEN_DEMO_PORT;
  if (requested === undefined) return undefined;
  const port = Number(requested);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new SetupError(`SA_TOKEN_DEMO_PORT must be a port number, got '${requested}'`);
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
  const codeServer = await startCodeServerRun({
    label: 'demo',
    port: requestedPort(),
    // The demo workspace's README says what to try.
    settings: { 'workbench.startupEditor': 'readme' },
  });
  let stoppedByUser = false;
  try {
    console.log(`\n  Service Account Token Inspector demo: ${codeServer.url}\n`);
    console.log(`  Workspace (tokens minted just now): ${codeServer.workspace}`);
    console.log(`  Local API server: KUBECONFIG=${codeServer.kubeconfig}`);
    // `npm start` builds dist/ first, so the CLI runs from the checkout too.
    const kubeconfigArg = ` --kubeconfig ${codeServer.kubeconfig}`;
    console.log(`  CLI: node dist/cli.js --help   (e.g. node dist/cli.js inventory${kubeconfigArg})`);
    console.log('  Open the URL in a browser on this machine. Press Ctrl-C to stop.\n');
    const reason = await untilStopped(codeServer.services);
    progress(`stopping (${reason})…`);
    stoppedByUser = reason.startsWith('SIG');
    return stoppedByUser ? 0 : 1;
  } finally {
    await codeServer.stop({ keep: !stoppedByUser });
    progress('stopped');
  }
}

if (isEntryPoint(import.meta.url)) runMain('demo', main);
