// Read-only virtual documents showing a decoded token, under an opaque id: no token byte or claim in the URI.
import * as vscode from 'vscode';
import { MemoryDocuments, tabName } from '../shared/memoryDocuments';

export const DECODED_SCHEME = 'sa-token-decoded';

export class DecodedDocuments extends MemoryDocuments {
  constructor() {
    super(DECODED_SCHEME, 'This decoded token is no longer held in memory. Run "Decode Token" again.\n');
  }

  /**
   * Opens `text` read-only in the one decoded-token tab beside the current editor, titled `<name> · decoded`. `name`
   * says what is shown (a Secret's name, "bound token"); it is reduced to name characters, never a claim's raw text.
   */
  async show(text: string, name: string): Promise<vscode.TextEditor> {
    const document = await this.open((id) => `/${id}/${tabName(name, 'token')} · decoded`, text);
    return this.reveal(document);
  }
}
