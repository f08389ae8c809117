// Debian's chromium driven by playwright-core: a fresh profile in the run's work dir, no background traffic, and
// no name resolution beyond the loopback host (what the page still tries to reach is recorded, not sent).
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH } from './env';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

export interface Browser {
  context: BrowserContext;
  /** Hosts other than the loopback one that pages asked for (blocked by the resolver rules). */
  outsideRequests(): string[];
  close(): Promise<void>;
}

export async function launchBrowser(workDir: string, viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const context = await chromium.launchPersistentContext(join(workDir, 'chromium-profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  // Copy commands write through the workbench's navigator.clipboard, which waits forever for a permission prompt
  // a headless browser never shows.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const outside = new Set<string>();
  context.on('request', (request) => {
    const { protocol, hostname } = new URL(request.url());
    if (
      (protocol === 'http:' || protocol === 'https:' || protocol === 'ws:' || protocol === 'wss:') &&
      !LOCAL_HOSTS.has(hostname)
    )
      outside.add(hostname);
  });
  return { context, outsideRequests: () => [...outside], close: () => context.close().catch(() => undefined) };
}
