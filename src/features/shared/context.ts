// What every feature receives: the extension context (which owns disposables), the log, typed settings and the
// services features share (built in extension.ts).
import * as vscode from 'vscode';
import { readConfig, type SaTokenConfig } from './config';
import type { Services } from './services';

export class FeatureContext {
  readonly log: vscode.LogOutputChannel;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly services: Services,
  ) {
    // Never write a token, Secret value or claim to this log.
    this.log = vscode.window.createOutputChannel('Service Account Tokens', { log: true });
    this.own(this.log);
  }

  get config(): SaTokenConfig {
    return readConfig();
  }

  /** Registers disposables to be cleaned up on deactivation. */
  own(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  /** Registers a command whose failures become one clear error message instead of an unhandled rejection. */
  command(id: string, run: (...args: never[]) => unknown): void {
    this.own(
      vscode.commands.registerCommand(id, async (...args: never[]) => {
        try {
          return await run(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.log.error(`${id} failed: ${message}`);
          void vscode.window.showErrorMessage(message);
          return undefined;
        }
      }),
    );
  }
}
