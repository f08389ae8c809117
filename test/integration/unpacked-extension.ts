// Installs a tiny extension folder whose entry requires a bundle from this repository, and registers it in the
// server's extensions.json (VS Code only loads user extensions listed there).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDir } from '../../scripts/lib/env';
import type { ServerLayout } from '../../scripts/lib/code-server';

export interface UnpackedExtension {
  publisher: string;
  name: string;
  version: string;
  /** Absolute path of the CommonJS bundle with activate(); required in place so its own imports resolve. */
  main: string;
}

interface InstalledEntry {
  identifier: { id: string };
  version: string;
  location: { $mid: 1; path: string; scheme: 'file' };
  relativeLocation: string;
  metadata: Record<string, unknown>;
}

export function registerUnpackedExtension(layout: ServerLayout, extension: UnpackedExtension): void {
  const id = `${extension.publisher}.${extension.name}`;
  const folderName = `${id}-${extension.version}`;
  const folder = ensureDir(join(layout.extensionsDir, folderName));
  const manifest = {
    name: extension.name,
    publisher: extension.publisher,
    version: extension.version,
    engines: { vscode: '^1.90.0' },
    main: './extension.js',
    activationEvents: ['onStartupFinished'],
    // Restricted Mode disables extensions that do not declare untrusted-workspace support: the runner must still run.
    capabilities: { untrustedWorkspaces: { supported: true } },
  };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(folder, 'extension.js'), `module.exports = require(${JSON.stringify(extension.main)});\n`);

  const registry = join(layout.extensionsDir, 'extensions.json');
  const entries = existsSync(registry) ? (JSON.parse(readFileSync(registry, 'utf8')) as InstalledEntry[]) : [];
  const entry: InstalledEntry = {
    identifier: { id },
    version: extension.version,
    location: { $mid: 1, path: pathToFileURL(folder).pathname, scheme: 'file' },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  };
  writeFileSync(registry, JSON.stringify([...entries.filter((existing) => existing.identifier.id !== id), entry]));
}
