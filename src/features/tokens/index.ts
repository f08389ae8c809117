// Token features: hover in any file, "Decode Token", "Copy Decoded Claims", token diagnostics with redaction.
import * as vscode from 'vscode';
import type { FeatureContext } from '../shared/context';
import { registerTokenCommands } from './commands';
import { DecodedDocuments } from './decodedDocuments';
import { registerTokenDiagnostics } from './diagnostics';
import { TOKEN_DOCUMENTS, TokenHoverProvider } from './hover';
import { TokenInspector } from './inspector';
import { KeyFileCache } from './keyFiles';

export function registerTokenFeatures(context: FeatureContext): void {
  const keyFiles = new KeyFileCache(context);
  const decodedDocuments = new DecodedDocuments();
  const inspector = new TokenInspector(context, keyFiles);
  context.own(
    keyFiles,
    decodedDocuments,
    vscode.languages.registerHoverProvider(TOKEN_DOCUMENTS, new TokenHoverProvider(context, inspector)),
  );
  registerTokenCommands(context, inspector, decodedDocuments);
  registerTokenDiagnostics(context);
}
