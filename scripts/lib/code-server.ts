// Starts the VS Code server that code-server ships (server-main.js under Node 24) and installs .vsix files into it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, run, startService, type Service } from './env';
import type { VsCodeServer } from '../setup-vscode';

export interface ServerLayout {
  /** --server-data-dir: the server's logs, machine settings and (under extensions/) installed extensions. */
  dataDir: string;
  extensionsDir: string;
}

export function serverLayout(dataDir: string): ServerLayout {
  return { dataDir: ensureDir(dataDir), extensionsDir: ensureDir(join(dataDir, 'extensions')) };
}

function layoutArgs(layout: ServerLayout): string[] {
  return [
    '--accept-server-license-terms',
    '--server-data-dir',
    layout.dataDir,
    '--extensions-dir',
    layout.extensionsDir,
  ];
}

/** Installs a packaged extension the way a user would (`--install-extension`), replacing an older copy. */
export function installVsix(server: VsCodeServer, layout: ServerLayout, vsix: string, env: NodeJS.ProcessEnv): void {
  run(server.nodeBinary, [server.serverMain, ...layoutArgs(layout), '--install-extension', vsix, '--force'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}

/**
 * Settings for every workbench of this server, as machine and as user settings: application-scope ones (telemetry,
 * update checks) only count from the user settings, which code-server keeps in the server's data dir.
 */
export function writeServerSettings(layout: ServerLayout, settings: Record<string, unknown>): void {
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  for (const scope of ['Machine', 'User'])
    writeFileSync(join(ensureDir(join(layout.dataDir, 'data', scope)), 'settings.json'), text);
}

export interface StartOptions {
  port: number;
  /** Node flags before server-main.js (inherited by the extension host). */
  nodeArgs?: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Keep VS Code's workspace trust on (Restricted Mode runs); off by default, every folder is then trusted. */
  workspaceTrust?: boolean;
}

/** Serves the workbench on 127.0.0.1 only, without a connection token (loopback, for one local user). */
export function startCodeServer(server: VsCodeServer, layout: ServerLayout, options: StartOptions): Service {
  const args = [
    ...(options.nodeArgs ?? []),
    server.serverMain,
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--without-connection-token',
    '--telemetry-level',
    'off',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...layoutArgs(layout),
  ];
  return startService('code-server', server.nodeBinary, args, {
    readyPattern: /Extension host agent listening on/,
    env: options.env,
    logFile: options.logFile,
    timeoutMs: 60_000,
  });
}

export function workbenchUrl(port: number, folder: string): string {
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
}

/** True once an extension host of this server has started activating `extensionId` (from its log file). */
export function extensionActivationStarted(layout: ServerLayout, extensionId: string): boolean {
  const logsDir = join(layout.dataDir, 'data', 'logs');
  if (!existsSync(logsDir)) return false;
  const marker = `_doActivateExtension ${extensionId},`;
  return readdirSync(logsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('remoteexthost.log'))
    .some((file) => readFileSync(join(logsDir, file), 'utf8').includes(marker));
}
