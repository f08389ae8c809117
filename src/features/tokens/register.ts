// The token features every host runs (VS Code desktop and the browser's web worker): hover in any file, "Decode
// Token", "Copy Decoded Claims", token diagnostics with redaction. Only how signatures are judged differs.
import * as vscode from 'vscode';
import type { FeatureContext } from '../shared/context';
import { registerTokenCommands } from './commands';
import { DecodedDocuments } from './decodedDocuments';
import { registerTokenDiagnostics } from './diagnostics';
import { TOKEN_DOCUMENTS, TokenHoverProvider } from './hover';
import { TokenInspector, type SignatureJudge } from './inspector';

export function registerTokenFeaturesWith(context: FeatureContext, judgeSignature: SignatureJudge): void {
  const decodedDocuments = new DecodedDocuments();
  const inspector = new TokenInspector(judgeSignature);
  context.own(
    decodedDocuments,
    vscode.languages.registerHoverProvider(TOKEN_DOCUMENTS, new TokenHoverProvider(context, inspector)),
  );
  registerTokenCommands(context, inspector, decodedDocuments);
  registerTokenDiagnostics(context);
}
