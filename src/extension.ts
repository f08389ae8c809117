// activate() only wires features; each feature registers its own providers and commands.
// Nothing here loads @kubernetes/client-node: cluster code loads dist/kube.js on first use.
import type * as vscode from 'vscode';
import { registerClusterFeatures } from './features/cluster';
import { registerCodeFeatures } from './features/code';
import { registerManifestFeatures } from './features/manifests';
import { FeatureContext } from './features/shared/context';
import { Services } from './features/shared/services';
import { registerTokenFeatures } from './features/tokens';
import { registerTroubleshootFeatures } from './features/troubleshoot';

const FEATURES = {
  tokens: registerTokenFeatures,
  manifests: registerManifestFeatures,
  cluster: registerClusterFeatures,
  troubleshoot: registerTroubleshootFeatures,
  code: registerCodeFeatures,
};

export function activate(extension: vscode.ExtensionContext): void {
  // The one place shared state is made: features reach each other only through these services.
  const context = new FeatureContext(extension, new Services());
  for (const [name, register] of Object.entries(FEATURES)) {
    // One broken feature must not take the others down.
    try {
      register(context);
    } catch (error) {
      context.log.error(`the ${name} feature failed to start: ${error instanceof Error ? error.message : error}`);
    }
  }
}

export function deactivate(): void {}
