// Read-only virtual documents showing a decoded token, under an opaque id: no token byte or claim in the URI.
import * as vscode from 'vscode';
import { MemoryDocuments } from '../shared/memoryDocuments';

export const DECODED_SCHEME = 'sa-token-decoded';

export class DecodedDocuments extends MemoryDocuments {
  constructor() {
    super(DECODED_SCHEME, 'This decoded token is no longer held in memory. Run "Decode Token" again.\n');
  }

  /** Opens `text` in a new read-only editor beside the current one. */
  async show(text: string): Promise<vscode.TextEditor> {
    const document = await this.open((id) => `/decoded-${id}.txt`, text);
    return vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }
}
