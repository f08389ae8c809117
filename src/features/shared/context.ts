// What every feature receives: the extension context (which owns disposables), the log, typed settings and the
// services features share (built in extension.ts).
import * as vscode from 'vscode';
import { inertMessage } from '../../core/messageText';
import { readCheckedConfig, settingDeclarations, type SettingDeclarations } from './config';
import type { SaTokenConfig } from './settingValues';
import type { Services } from './services';

/** The default button of a destructive confirmation: nothing changes. */
const KEEP = 'Keep';

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

  /** Settings that do not fit their declaration, already reported (each once per session). */
  private readonly reportedSettings = new Set<string>();
  private declarations: SettingDeclarations | undefined;

  get config(): SaTokenConfig {
    this.declarations ??= settingDeclarations(this.extension);
    const { config, problems } = readCheckedConfig(this.declarations);
    for (const problem of problems) {
      if (this.reportedSettings.has(problem)) continue;
      this.reportedSettings.add(problem);
      this.log.warn(problem);
      void this.showWarningMessage(problem);
    }
    return config;
  }

  /** Registers each feature; one that fails to start is logged and does not take the others down. */
  registerFeatures(features: Record<string, (context: FeatureContext) => void>): void {
    for (const [name, register] of Object.entries(features)) {
      try {
        register(this);
      } catch (error) {
        this.log.error(`the ${name} feature failed to start: ${error instanceof Error ? error.message : error}`);
      }
    }
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
          void this.showErrorMessage(message);
          return undefined;
        }
      }),
    );
  }

  // The one way to show a notification: every message may quote names from manifests or clusters, API server
  // answers or claims, so the whole text goes through inertMessage (no `[label](command:…)` link can form). A lint
  // rule (eslint.config.mjs) forbids calling vscode.window.show*Message anywhere else.

  showInformationMessage<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
    return vscode.window.showInformationMessage(inertMessage(message), ...items);
  }

  showWarningMessage<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
    return vscode.window.showWarningMessage(inertMessage(message), ...items);
  }

  showErrorMessage<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
    return vscode.window.showErrorMessage(inertMessage(message), ...items);
  }

  /**
   * A modal confirmation, asked by the command itself every time: no argument can answer it in advance (a command
   * link in untrusted text carries whatever arguments its author chose). The integration tests, which cannot click
   * a dialog, set SA_TOKEN_IT_CONFIRM in the extension host's environment; nothing a workspace or link controls can.
   * (A browser's web worker host has no `process`.)
   */
  async confirm(
    message: string,
    detail: string,
    action: string,
    options: { destructive?: boolean } = {},
  ): Promise<boolean> {
    if (globalThis.process?.env.SA_TOKEN_IT_CONFIRM?.split(',').includes(action)) {
      this.log.info(`confirmed by the test harness: ${inertMessage(message)}`);
      return true;
    }
    // A destructive action's default button keeps things as they are. VS Code makes an isCloseAffordance item the
    // dialog's Cancel and the first other item the default (Enter) button, so that one is "Keep" (checked in e2e).
    const items: vscode.MessageItem[] = options.destructive
      ? [{ title: KEEP }, { title: action }]
      : [{ title: action }];
    const answer = await vscode.window.showWarningMessage(
      inertMessage(message),
      { modal: true, detail: inertMessage(detail) },
      ...items,
    );
    return answer?.title === action;
  }
}
