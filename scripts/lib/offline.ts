// Keeps code-server, its extension host and the workbench off the network beyond 127.0.0.1: no telemetry, no
// extension gallery or update checks, no schema or package-info downloads; and a DNS guard that proves it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './env';

/** User and machine settings that stop every feature that would phone home in a plain workbench. */
export const OFFLINE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'chat.disableAIFeatures': true,
};

const DNS_GUARD = join(repoRoot, 'scripts', 'lib', 'dns-guard.cjs');

/**
 * Environment for the server (and so its extension host): an empty gallery (code-server falls back to open-vsx
 * without one) and where the DNS guard logs.
 */
export function offlineEnv(dnsLog: string): NodeJS.ProcessEnv {
  return { EXTENSIONS_GALLERY: '{}', SA_TOKEN_DNS_LOG: dnsLog };
}

/** Node arguments that preload the DNS guard; the server passes its execArgv on to the extension host. */
export const DNS_GUARD_NODE_ARGS = ['--require', DNS_GUARD];

/** Every outside host the guarded processes looked up, once each, in order. */
export function outsideLookups(dnsLog: string): string[] {
  if (!existsSync(dnsLog)) return [];
  const hosts = readFileSync(dnsLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { host: string }).host);
  return [...new Set(hosts)];
}

/** Says which outside hosts a run tried to reach (one stderr line); true when there were any. */
export function reportOutsideNetwork(label: string, hosts: { server: string[]; browser: string[] }): boolean {
  const parts = [
    hosts.server.length ? `server/extension host looked up ${hosts.server.join(', ')}` : '',
    hosts.browser.length ? `workbench requested ${hosts.browser.join(', ')}` : '',
  ].filter(Boolean);
  if (parts.length) process.stderr.write(`${label}: outside network used: ${parts.join('; ')}\n`);
  return parts.length > 0;
}
