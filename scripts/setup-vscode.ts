// Installs what the real-VS-Code route needs, once, under .cache/ (idempotent; later runs take a second):
//   Node 24 from the npm registry (code-server 4.139.1 requires it), code-server 4.139.1 with its native
//   modules built against Node 24's headers, and with --chromium Debian's chromium for the browser tests.
// Usage: node --import tsx scripts/setup-vscode.ts [--chromium]
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CHROMIUM_PATH,
  CODE_SERVER_VERSION,
  NODE_MAJOR,
  SetupError,
  capture,
  codeServerDir,
  codeServerPackage,
  ensureDir,
  findBelow,
  isEntryPoint,
  node24Dir,
  progress,
  run,
  runLogged,
  runMain,
  serverMain,
} from './lib/env';

const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
let aptUpdated = false;

function aptInstall(packages: string[]): void {
  if (process.getuid?.() !== 0) {
    throw new SetupError(`needs Debian packages: run 'sudo apt-get install -y ${packages.join(' ')}' first`);
  }
  if (!aptUpdated) {
    progress('apt-get update…');
    run('apt-get', ['update', '-qq'], { env: aptEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    aptUpdated = true;
  }
  progress(`apt-get install ${packages.join(' ')}…`);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env: aptEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function isDebPackageInstalled(name: string): boolean {
  return capture('dpkg-query', ['-W', '-f=${Status}', name])?.includes('install ok installed') ?? false;
}

/** The Node 24 binary from the npm `node` package. */
export const node24Binary = join(node24Dir, 'node_modules', '.bin', 'node');

function node24Version(): string | undefined {
  return existsSync(node24Binary) ? capture(node24Binary, ['--version']) : undefined;
}

export async function ensureNode24(): Promise<string> {
  if (node24Version()?.startsWith(`v${NODE_MAJOR}.`)) return node24Binary;
  progress(`installing Node ${NODE_MAJOR} from the npm registry into .cache/node24 (first run, under a minute)…`);
  ensureDir(node24Dir);
  writeFileSync(join(node24Dir, 'package.json'), '{ "private": true }\n');
  await runLogged(
    'installing Node 24',
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', `node@${NODE_MAJOR}`],
    {
      cwd: node24Dir,
      logFile: join(node24Dir, 'install.log'),
    },
  );
  const installed = node24Version();
  if (!installed?.startsWith(`v${NODE_MAJOR}.`))
    throw new SetupError(`Node ${NODE_MAJOR} did not install into ${node24Dir}`);
  progress(`Node ${installed} ready`);
  return node24Binary;
}

/** The folder with Node 24's include/ headers, shipped inside the platform package that `node` pulled in. */
function node24HeadersDir(): string {
  const header = findBelow(join(node24Dir, 'node_modules'), join('include', 'node', 'node.h'));
  if (!header) throw new SetupError('Node 24 headers (include/node/node.h) not found under .cache/node24');
  return dirname(dirname(dirname(header)));
}

const codeServerMarker = join(codeServerDir, `.installed-${CODE_SERVER_VERSION}`);

export interface VsCodeServer {
  nodeBinary: string;
  serverMain: string;
}

export async function ensureCodeServer(): Promise<VsCodeServer> {
  const nodeBinary = await ensureNode24();
  if (existsSync(codeServerMarker) && existsSync(serverMain)) return { nodeBinary, serverMain };
  if (!isDebPackageInstalled('libkrb5-dev')) aptInstall(['libkrb5-dev', 'build-essential', 'python3']);
  progress(
    `installing code-server ${CODE_SERVER_VERSION} into .cache/code-server (first run, about 5 minutes: it compiles native modules)…`,
  );
  ensureDir(codeServerDir);
  writeFileSync(join(codeServerDir, 'package.json'), '{ "private": true }\n');
  // Native modules (spdlog, pty, sqlite, kerberos) must match the Node that runs the server: build with Node 24
  // first on PATH and its headers as nodedir. postinstall.sh reads npm_config_user_agent for the Node version.
  const env = {
    ...process.env,
    PATH: `${dirname(nodeBinary)}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24HeadersDir(),
    npm_config_user_agent: `npm/11 node/${node24Version()} linux x64`,
  };
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--no-save',
    '--foreground-scripts',
    `code-server@${CODE_SERVER_VERSION}`,
  ];
  await runLogged('installing code-server', 'npm', args, {
    cwd: codeServerDir,
    env,
    logFile: join(codeServerDir, 'install.log'),
  });
  checkNativeModules(nodeBinary);
  writeFileSync(codeServerMarker, `${new Date().toISOString()}\n`);
  progress(`code-server ${CODE_SERVER_VERSION} ready`);
  return { nodeBinary, serverMain };
}

/** A native module that failed to build shows only when the server loads it: load the key ones now. */
function checkNativeModules(nodeBinary: string): void {
  if (!existsSync(serverMain)) throw new SetupError(`code-server installed but ${serverMain} is missing`);
  const vscodeModules = join(codeServerPackage, 'lib', 'vscode', 'node_modules');
  for (const nativeModule of ['@vscode/spdlog', 'node-pty', '@vscode/sqlite3']) {
    const script = `require(${JSON.stringify(join(vscodeModules, nativeModule))})`;
    if (capture(nodeBinary, ['-e', script]) === undefined) {
      throw new SetupError(
        `code-server's native module ${nativeModule} does not load under Node 24 (see .cache/code-server/install.log)`,
      );
    }
  }
}

export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  progress('installing Debian chromium for the browser tests (first run, about a minute)…');
  aptInstall(['chromium', 'fonts-dejavu-core']);
  if (!existsSync(CHROMIUM_PATH)) throw new SetupError(`chromium installed but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

if (isEntryPoint(import.meta.url)) {
  runMain('setup-vscode', async () => {
    const started = Date.now();
    await ensureCodeServer();
    if (process.argv.includes('--chromium')) ensureChromium();
    progress(`real VS Code route ready (${((Date.now() - started) / 1000).toFixed(0)}s)`);
  });
}
