// activate() only wires features; each feature registers its own providers and commands.
// Nothing here loads @kubernetes/client-node: cluster code loads dist/kube.js on first use. The browser's web worker
// host (vscode.dev, github.dev) starts src/web.ts instead.
import type * as vscode from 'vscode';
import { registerClusterFeatures } from './features/cluster';
import { registerCodeFeatures } from './features/code';
import { registerManifestFeatures } from './features/manifests';
import { FeatureContext } from './features/shared/context';
import { Services } from './features/shared/services';
import { registerTokenFeatures } from './features/tokens';
import { registerTroubleshootFeatures } from './features/troubleshoot';
import { registerWalkthrough } from './features/walkthrough';
import { desktopManifestEngine } from './manifestEngineLoader';
import { loadVerify } from './verifyLoader';

const FEATURES = {
  tokens: registerTokenFeatures,
  manifests: registerManifestFeatures,
  cluster: registerClusterFeatures,
  troubleshoot: registerTroubleshootFeatures,
  code: registerCodeFeatures,
  walkthrough: registerWalkthrough,
};

export function activate(extension: vscode.ExtensionContext): void {
  // The one place shared state is made: features reach each other only through these services.
  // Key parsing loads jose on first use (dist/verify.js): activation never pays for it.
  const parseKeys = (text: string, label: string) => loadVerify().parseKeys(text, label);
  // The YAML engine runs in a worker thread (dist/manifest-worker.js), started on the first lint.
  const manifestEngine = desktopManifestEngine();
  extension.subscriptions.push(manifestEngine);
  new FeatureContext(extension, new Services(parseKeys, manifestEngine)).registerFeatures(FEATURES);
}

export function deactivate(): void {}
