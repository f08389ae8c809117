// activate() in the browser's web worker extension host (vscode.dev, github.dev): the features that need neither
// Node nor a cluster — hover decode, the decoded view, token diagnostics, manifest lint, quick fixes and fix-all —
// through the same FeatureContext as src/extension.ts. Bundled for the browser (dist/web.js, no Node built-in:
// test/unit/web.test.ts); signatures are not checked here (key files and cluster keys need the desktop).
import type * as vscode from 'vscode';
import { ManifestEngine } from './core/manifests/engine';
import { registerDesktopOnlyNotices } from './features/desktopOnly';
import { registerManifestFeatures } from './features/manifests';
import { FeatureContext } from './features/shared/context';
import { InProcessManifestEngine } from './features/shared/manifestEngine';
import { Services } from './features/shared/services';
import { registerTokenFeaturesWith } from './features/tokens/register';
import { uncheckedSignatures } from './features/tokens/webSignatures';
import { registerWalkthrough } from './features/walkthrough';

const FEATURES = {
  tokens: (context: FeatureContext) => registerTokenFeaturesWith(context, uncheckedSignatures(context)),
  manifests: registerManifestFeatures,
  walkthrough: registerWalkthrough,
  // Last: it answers every contributed command the features above did not register.
  desktopOnly: registerDesktopOnlyNotices,
};

const noClusterKeys = (): never => {
  throw new Error('Cluster keys need VS Code on the desktop.');
};

export function activate(extension: vscode.ExtensionContext): void {
  // No worker threads here: the YAML engine runs on the host's thread, a large file in short slices.
  const services = new Services(noClusterKeys, new InProcessManifestEngine(new ManifestEngine()));
  new FeatureContext(extension, services).registerFeatures(FEATURES);
}

export function deactivate(): void {}
