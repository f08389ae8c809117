// "Decode Token" and "Copy Decoded Claims": the token at the cursor, else in the selection, else typed in.
import * as vscode from 'vscode';
import type { SecretContext } from '../../core/tokens/explain';
import { findTokenAt, findTokens } from '../../core/tokens/finder';
import { inspectToken, isTokenError, tokenErrorSentence } from '../../core/tokens/inspect';
import type { FeatureContext } from '../shared/context';
import { askForToken, tokenTextInEditor } from '../shared/editorToken';
import type { DecodedDocuments } from './decodedDocuments';
import { decodedClaimsJson, decodedDocumentText, displayOptions, type DisplayedToken } from './display';
import { SHOW_TOKEN_AT_COMMAND } from './hover';
import type { TokenInspector } from './inspector';

export function registerTokenCommands(
  context: FeatureContext,
  inspector: TokenInspector,
  decodedDocuments: DecodedDocuments,
): void {
  const showDecoded = async (text: string, source?: string, secret?: SecretContext): Promise<vscode.TextEditor> => {
    const token = { ...(await decode(inspector, text)), secret };
    const decoded = decodedDocumentText(token, displayOptions(context.config));
    return decodedDocuments.show(decoded, source ?? KIND_NAMES[token.report.kind]);
  };

  context.command('saToken.decodeToken', async () => {
    const text =
      tokenTextInEditor(vscode.window.activeTextEditor) ??
      (await askForToken('Decode Token', 'It is decoded locally.'));
    return text === undefined ? undefined : showDecoded(text);
  });

  // For the cluster view (through the services) and scripts: a token read or minted elsewhere, shown in the same view
  // with the signature check. Not in the palette.
  context.own(context.services.provideDecodedTokenView(showDecoded));
  context.command('saToken.showDecodedToken', async (token: string, source?: string) => {
    if (typeof token !== 'string') throw new Error('No token was given to show.');
    return showDecoded(token, typeof source === 'string' ? source : undefined);
  });

  // The hover's "Show decoded token" link. Its arguments say where, never what: the token is read again from that
  // position of a document already open (a link cannot make us open or read any other file).
  context.command(SHOW_TOKEN_AT_COMMAND, async (uri: unknown, line: unknown, character: unknown) => {
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri);
    const valid = (value: unknown, limit: number) =>
      Number.isInteger(value) && (value as number) >= 0 && (value as number) < limit;
    if (!document || !valid(line, document.lineCount)) throw new Error('That token is no longer open in an editor.');
    const text = document.lineAt(line as number).text;
    const match = valid(character, text.length + 1) ? findTokenAt(text, character as number) : undefined;
    if (!match) throw new Error('There is no token at that place any more.');
    return showDecoded(match.jwt);
  });

  context.command('saToken.copyDecodedClaims', async () => {
    const text = tokenTextInEditor(vscode.window.activeTextEditor);
    if (text === undefined) throw new Error('Put the cursor on a token or select one to copy its decoded claims.');
    const token = await decode(inspector, text);
    await vscode.env.clipboard.writeText(decodedClaimsJson(token.report));
    void context.showInformationMessage('Copied the decoded header and claims (without the signature).');
  });
}

/** Tab names for tokens that come from an editor: what kind of token, never a claim. */
const KIND_NAMES = { legacy: 'legacy token', bound: 'bound token', jwt: 'JWT' } as const;

/** Decodes the first token in `text`; throws the core's reason (which never repeats the input) when there is none. */
async function decode(inspector: TokenInspector, text: string): Promise<DisplayedToken> {
  const match = findTokens(text)[0];
  const token = match ? await inspector.inspect(match) : inspectToken(text);
  if (isTokenError(token)) throw new Error(tokenErrorSentence(token));
  // Without a located JWT there is nothing to verify: the report keeps "signature not checked".
  return 'report' in token ? token : { report: token, clusterNote: undefined };
}
