// One webview for troubleshooting reports (Explain, Diagnose): a status icon per item, evidence collapsed, action
// buttons. Everything shown is escaped text; buttons carry only an index, and the action runs from the list kept
// here, so nothing the page (or the data in it) says is trusted as a command or an argument.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../../core/html';

export type ReportStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'info';

export interface ReportAction {
  label: string;
  run: () => unknown;
}

export interface ReportItem {
  status: ReportStatus;
  title: string;
  /** Short text under the title. */
  detail: string;
  /** Numbered list (e.g. likely causes, most likely first). */
  list?: { heading: string; entries: string[] };
  /** Collapsed by default. */
  evidence: string[];
  actions: ReportAction[];
}

export interface Report {
  title: string;
  subtitle: string;
  /** e.g. "2 pass · 1 fail · 3 skip". */
  summary: string;
  items: ReportItem[];
}

const ICONS: Record<ReportStatus, { symbol: string; label: string }> = {
  pass: { symbol: '✔', label: 'pass' },
  warn: { symbol: '⚠', label: 'warning' },
  fail: { symbol: '✖', label: 'fail' },
  skip: { symbol: '○', label: 'skipped' },
  info: { symbol: 'ℹ', label: 'info' },
};

/** Shows reports in one panel per view type, reusing it (and its column) for the next report. */
export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private actions: ReportAction[][] = [];

  constructor(
    private readonly viewType: string,
    private readonly onActionError: (error: unknown) => void,
  ) {}

  show(report: Report): vscode.WebviewPanel {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(this.viewType, report.title, vscode.ViewColumn.Beside, {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message));
    }
    this.panel.title = report.title;
    this.actions = report.items.map((item) => item.actions);
    this.panel.webview.html = renderReportHtml(
      report,
      this.panel.webview.cspSource,
      randomBytes(16).toString('base64'),
    );
    this.panel.reveal(undefined, true);
    return this.panel;
  }

  private async onMessage(message: unknown): Promise<void> {
    const { item, action } = (message ?? {}) as { item?: unknown; action?: unknown };
    if (!Number.isInteger(item) || !Number.isInteger(action)) return;
    const chosen = this.actions[item as number]?.[action as number];
    if (!chosen) return;
    try {
      await chosen.run();
    } catch (error) {
      this.onActionError(error);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The page: strict CSP (no network, no inline code but our nonce'd script and style), all text escaped. */
export function renderReportHtml(report: Report, cspSource: string, nonce: string): string {
  const items = report.items
    .map((item, index) => {
      const icon = ICONS[item.status];
      const list = item.list?.entries.length
        ? `<p class="heading">${escapeHtml(item.list.heading)}</p><ol>${item.list.entries
            .map((entry) => `<li>${escapeHtml(entry)}</li>`)
            .join('')}</ol>`
        : '';
      const evidence = item.evidence.length
        ? `<details><summary>Evidence</summary><ul>${item.evidence
            .map((line) => `<li><code>${escapeHtml(line)}</code></li>`)
            .join('')}</ul></details>`
        : '';
      const actions = item.actions
        .map(
          (action, actionIndex) =>
            `<button type="button" data-item="${index}" data-action="${actionIndex}">${escapeHtml(action.label)}</button>`,
        )
        .join(' ');
      return `<section class="item ${item.status}">
<h2><span class="icon" role="img" aria-label="${icon.label}" title="${icon.label}">${icon.symbol}</span> ${escapeHtml(item.title)}</h2>
<p>${escapeHtml(item.detail)}</p>${list}${evidence}${actions ? `<div class="actions">${actions}</div>` : ''}
</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em 2em; line-height: 1.45; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
.subtitle, .summary { color: var(--vscode-descriptionForeground); margin: 0.2em 0; }
.item { border-left: 3px solid var(--vscode-panel-border); padding: 0.2em 1em 0.6em; margin: 1em 0; }
.item h2 { font-size: 1.1em; margin: 0.4em 0; }
.pass { border-color: var(--vscode-testing-iconPassed, #388a34); } .pass .icon { color: var(--vscode-testing-iconPassed, #388a34); }
.warn { border-color: var(--vscode-editorWarning-foreground, #bf8803); } .warn .icon { color: var(--vscode-editorWarning-foreground, #bf8803); }
.fail { border-color: var(--vscode-editorError-foreground, #e51400); } .fail .icon { color: var(--vscode-editorError-foreground, #e51400); }
.skip .icon, .info .icon { color: var(--vscode-descriptionForeground); }
.heading { font-weight: 600; margin-bottom: 0.2em; }
code { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; word-break: break-all; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 0.35em 0.9em; margin: 0.3em 0.4em 0 0; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
</style></head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p class="subtitle">${escapeHtml(report.subtitle)}</p>
<p class="summary">${escapeHtml(report.summary)}</p>
${items}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-item]');
  if (button) vscode.postMessage({ item: Number(button.dataset.item), action: Number(button.dataset.action) });
});
</script>
</body></html>`;
}
