// The report as one self-contained HTML page: verdict cards, inline SVG charts (legacy tokens by namespace, last use,
// the cleaner's invalidation/deletion timeline), then the tables. No script, font, image or stylesheet from anywhere
// (the CSP says so too); every text from a cluster or a file is escaped. The VS Code webview renders the same page
// with a nonce'd script that turns links into messages carrying only an index (features/report).
import { DAY_MS, daysSince } from '../time';
import { escapeHtml } from '../html';
import { printable } from '../printable';
import { VERDICT_TEXT, type ClusterReport, type FleetReport } from './model';
import {
  clusterFacts,
  clusterSections,
  fleetSummary,
  manifestSection,
  type LinkTarget,
  type Section,
} from './sections';

export interface HtmlOptions {
  /** Random per page: the CSP admits only the style and script elements carrying it. */
  nonce: string;
  /** The webview: its CSP source and the id of each link (undefined: plain text). */
  webview?: { cspSource: string; link(target: LinkTarget): number | undefined };
}

/** Escaped, on one line, without control or bidi characters (text that reads other than it is). */
const e = (text: string): string => escapeHtml(printable(text));

const STYLE = `
:root { color-scheme: light dark; --fg: var(--vscode-foreground, #1f2328); --muted: var(--vscode-descriptionForeground, #59636e);
  --bg: var(--vscode-editor-background, #ffffff); --card: var(--vscode-sideBar-background, #f6f8fa); --line: var(--vscode-panel-border, #d1d9e0);
  --ready: #1a7f37; --will-break: #cf222e; --cleanup-pending: #9a6700; --unreachable: #6e7781; --accent: #0969da; --accent2: #8fb8ef; }
@media (prefers-color-scheme: dark) { :root { --fg: var(--vscode-foreground, #e6edf3); --muted: var(--vscode-descriptionForeground, #9198a1);
  --bg: var(--vscode-editor-background, #0d1117); --card: var(--vscode-sideBar-background, #161b22); --line: var(--vscode-panel-border, #3d444d);
  --ready: #3fb950; --will-break: #f85149; --cleanup-pending: #d29922; --unreachable: #9198a1; --accent: #4493f8; --accent2: #1f4f8f; } }
body { font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); color: var(--fg); background: var(--bg);
  margin: 0; padding: 1.2em 2em 3em; line-height: 1.45; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; } h2 { font-size: 1.2em; margin: 1.6em 0 0.5em; } h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
.muted, .note { color: var(--muted); } .note { margin: 0 0 0.4em; }
.toolbar { float: right; } .toolbar button { background: var(--vscode-button-background, var(--accent)); color: var(--vscode-button-foreground, #fff);
  border: none; padding: 0.35em 0.9em; margin-left: 0.4em; cursor: pointer; } .toolbar button:focus-visible { outline: 1px solid var(--vscode-focusBorder, var(--accent)); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); gap: 0.8em; margin: 1em 0; }
.card { background: var(--card); border: 1px solid var(--line); border-top: 4px solid var(--unreachable); border-radius: 6px; padding: 0.6em 0.9em; }
.card h3 { margin: 0; overflow-wrap: anywhere; } .card h3 a { color: inherit; text-decoration: none; } .card .verdict { font-weight: 600; margin: 0.2em 0; } .card ul { margin: 0.3em 0 0; padding-left: 1.1em; font-size: 0.9em; }
.card .facts { font-size: 0.85em; color: var(--muted); overflow-wrap: anywhere; }
.ready { border-top-color: var(--ready); } .ready .verdict { color: var(--ready); }
.will-break { border-top-color: var(--will-break); } .will-break .verdict { color: var(--will-break); }
.cleanup-pending { border-top-color: var(--cleanup-pending); } .cleanup-pending .verdict { color: var(--cleanup-pending); }
.unreachable .verdict { color: var(--unreachable); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22em, 1fr)); gap: 1em; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 0.6em 0.9em; }
figcaption { font-weight: 600; margin-bottom: 0.3em; } svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--fg); font-size: 11px; font-family: inherit; } svg .axis { stroke: var(--line); } svg .muted { fill: var(--muted); }
svg .bar { fill: var(--accent); } svg .bar2 { fill: var(--accent2); } svg .inv { fill: var(--cleanup-pending); } svg .del { fill: var(--will-break); }
svg .today { stroke: var(--accent); stroke-dasharray: 3 3; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin-bottom: 0.6em; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 0.25em 0.6em 0.25em 0; vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
a.reveal { color: var(--vscode-textLink-foreground, var(--accent)); cursor: pointer; }
code { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); }
`;

export function reportHtml(report: FleetReport, options: HtmlOptions): string {
  const { webview, nonce } = options;
  const csp = webview
    ? `default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; form-action 'none'; base-uri 'none'`
    : `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'none'; base-uri 'none'`;
  const link = webview?.link;
  const clusters = report.clusters
    .map(
      (cluster, index) =>
        `<section class="cluster" id="cluster-${index}"><h2>${e(cluster.context)} <span class="muted">— ${e(VERDICT_TEXT[cluster.verdict])}</span></h2>
<p class="muted">${e(cluster.server)} · ${e(clusterFacts(cluster))}</p>
${clusterSections(cluster)
  .map((section) => sectionHtml(section, 'h3', link))
  .join(
    '\n',
  )}${cluster.verdict === 'ready' && clusterSections(cluster).length === 0 ? '<p>Nothing to report.</p>' : ''}</section>`,
    )
    .join('\n');
  const manifests = manifestSection(report);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Upgrade readiness — ${e(fleetSummary(report))}</title>
<style nonce="${nonce}">${STYLE}</style></head>
<body>
${webview ? '<div class="toolbar"><button type="button" data-save="html">Save as HTML…</button><button type="button" data-save="markdown">Save as Markdown…</button></div>' : ''}
<h1>Service account token upgrade readiness</h1>
<p class="muted">Generated ${e(report.generatedAt)} · ${e(fleetSummary(report))}</p>
<div class="cards">${report.clusters.map((cluster, index) => cardHtml(cluster, index)).join('\n')}</div>
<div class="charts">
${chartFigure('Legacy tokens by namespace', namespaceChart(report))}
${chartFigure('Legacy tokens by last use', lastUsedChart(report))}
${chartFigure('Invalidation and deletion timeline', timelineChart(report))}
</div>
${clusters}
${manifests ? sectionHtml(manifests, 'h2', link) : ''}
${webview ? scriptHtml(nonce) : ''}
</body></html>
`;
}

function cardHtml(cluster: ClusterReport, index: number): string {
  const reasons = cluster.reasons.slice(0, 4).map((reason) => `<li>${e(reason)}</li>`);
  if (cluster.reasons.length > 4) reasons.push(`<li>and ${cluster.reasons.length - 4} more</li>`);
  return `<div class="card ${cluster.verdict}"><h3><a href="#cluster-${index}">${e(cluster.context)}</a></h3>
<p class="verdict">${e(VERDICT_TEXT[cluster.verdict])}${cluster.complete ? '' : ' <span class="muted">(incomplete)</span>'}</p>
<p class="facts">${e(clusterFacts(cluster))}</p><ul>${reasons.join('')}</ul></div>`;
}

type Linker = (target: LinkTarget) => number | undefined;

function cellHtml(text: string, target: LinkTarget | undefined, link: Linker | undefined): string {
  const id = target && link ? link(target) : undefined;
  return id === undefined ? e(text) : `<a class="reveal" href="#" data-link="${id}">${e(text)}</a>`;
}

function sectionHtml(section: Section, heading: 'h2' | 'h3', link: Linker | undefined): string {
  const rows = section.rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cellHtml(cell.text, cell.link, link)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<${heading}>${e(section.title)}</${heading}>${section.note ? `<p class="note">${e(section.note)}</p>` : ''}
<table><thead><tr>${section.columns.map((column) => `<th>${e(column)}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table>`;
}

function chartFigure(title: string, svg: string): string {
  return `<figure><figcaption>${e(title)}</figcaption>${svg}</figure>`;
}

const WIDTH = 420;

/** Horizontal bars: populated, not invalidated token Secrets per cluster and namespace, read by workloads or not. */
function namespaceChart(report: FleetReport): string {
  const rows = new Map<string, { label: string; read: number; unread: number }>();
  for (const cluster of report.clusters)
    for (const secret of cluster.tokenSecrets) {
      if (secret.state === 'empty' || secret.state === 'invalidated') continue;
      const label = report.clusters.length > 1 ? `${cluster.context} · ${secret.namespace}` : secret.namespace;
      const row = rows.get(label) ?? { label, read: 0, unread: 0 };
      if (secret.readBy.length) row.read++;
      else row.unread++;
      rows.set(label, row);
    }
  const top = [...rows.values()]
    .sort((a, b) => b.read + b.unread - (a.read + a.unread) || (a.label < b.label ? -1 : 1))
    .slice(0, 12);
  if (top.length === 0) return emptyChart('No live legacy token Secrets.');
  const max = Math.max(...top.map((row) => row.read + row.unread));
  const labelWidth = 170;
  const barArea = WIDTH - labelWidth - 40;
  const rowHeight = 20;
  const height = top.length * rowHeight + 30;
  const bars = top
    .map((row, index) => {
      const y = index * rowHeight + 4;
      const readWidth = (row.read / max) * barArea;
      const unreadWidth = (row.unread / max) * barArea;
      const label = row.label.length > 28 ? `${row.label.slice(0, 27)}…` : row.label;
      return `<g><title>${e(`${row.label}: ${row.read} read by workloads, ${row.unread} unread`)}</title>
<text x="${labelWidth - 6}" y="${y + 12}" text-anchor="end">${e(label)}</text>
<rect class="bar" x="${labelWidth}" y="${y}" width="${readWidth.toFixed(1)}" height="${rowHeight - 6}"/>
<rect class="bar2" x="${(labelWidth + readWidth).toFixed(1)}" y="${y}" width="${unreadWidth.toFixed(1)}" height="${rowHeight - 6}"/>
<text x="${(labelWidth + readWidth + unreadWidth + 4).toFixed(1)}" y="${y + 12}">${row.read + row.unread}</text></g>`;
    })
    .join('\n');
  const legendY = height - 8;
  return `<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Legacy token Secrets by namespace">${bars}
<rect class="bar" x="${labelWidth}" y="${legendY - 9}" width="10" height="10"/><text x="${labelWidth + 14}" y="${legendY}">read by workloads</text>
<rect class="bar2" x="${labelWidth + 130}" y="${legendY - 9}" width="10" height="10"/><text x="${labelWidth + 144}" y="${legendY}">nobody mounts</text></svg>`;
}

const LAST_USED_BUCKETS = ['never used', '≤ 30 d', '31–90 d', '91–365 d', '> 1 year', 'invalidated'] as const;

/** Histogram: token Secrets by the age of their last-used label (the API server sets it at most daily). */
function lastUsedChart(report: FleetReport): string {
  const now = new Date(report.generatedAt);
  const counts = LAST_USED_BUCKETS.map(() => 0);
  for (const cluster of report.clusters)
    for (const secret of cluster.tokenSecrets) {
      if (secret.state === 'empty') continue;
      if (secret.state === 'invalidated') {
        counts[5]++;
        continue;
      }
      const days = daysSince(secret.lastUsed, now);
      counts[days === undefined ? 0 : days <= 30 ? 1 : days <= 90 ? 2 : days <= 365 ? 3 : 4]++;
    }
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return emptyChart('No populated token Secrets.');
  const max = Math.max(...counts);
  const chartHeight = 120;
  const slot = (WIDTH - 20) / counts.length;
  const bars = counts
    .map((count, index) => {
      const height = (count / max) * chartHeight;
      const x = 10 + index * slot;
      const y = 10 + chartHeight - height;
      return `<g><title>${e(`${LAST_USED_BUCKETS[index]}: ${count}`)}</title>
<rect class="${index === 5 ? 'del' : index === 0 || index === 4 ? 'inv' : 'bar'}" x="${(x + 8).toFixed(1)}" y="${y.toFixed(1)}" width="${(slot - 16).toFixed(1)}" height="${height.toFixed(1)}"/>
<text x="${(x + slot / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle">${count}</text>
<text class="muted" x="${(x + slot / 2).toFixed(1)}" y="${chartHeight + 26}" text-anchor="middle">${e(LAST_USED_BUCKETS[index])}</text></g>`;
    })
    .join('\n');
  return `<svg viewBox="0 0 ${WIDTH} ${chartHeight + 36}" role="img" aria-label="Token Secrets by last use">
<line class="axis" x1="10" x2="${WIDTH - 10}" y1="${chartHeight + 10}" y2="${chartHeight + 10}"/>${bars}</svg>`;
}

/** One row per cluster: when the legacy token cleaner invalidates (●) and deletes (■) token Secrets. */
function timelineChart(report: FleetReport): string {
  const now = Date.parse(report.generatedAt);
  const rows = report.clusters
    .map((cluster) => ({
      context: cluster.context,
      events: cluster.tokenSecrets.flatMap((secret) => {
        if (secret.cleanup.exempt) return [];
        const name = `${secret.namespace}/${secret.name}`;
        const invalidated = secret.invalidSince ?? secret.cleanup.invalidatedOnOrAfter;
        return [
          ...(invalidated ? [{ kind: 'inv' as const, date: invalidated.slice(0, 10), name }] : []),
          ...(secret.cleanup.deletedOnOrAfter
            ? [{ kind: 'del' as const, date: secret.cleanup.deletedOnOrAfter, name }]
            : []),
        ];
      }),
    }))
    .filter((row) => row.events.length);
  if (rows.length === 0) return emptyChart('The legacy token cleaner has nothing scheduled.');
  const times = rows.flatMap((row) => row.events.map((event) => Date.parse(event.date))).filter(Number.isFinite);
  const start = Math.min(now, ...times) - 15 * DAY_MS;
  const end = Math.max(now + 30 * DAY_MS, ...times) + 15 * DAY_MS;
  const labelWidth = 120;
  const x = (time: number) => labelWidth + ((time - start) / (end - start)) * (WIDTH - labelWidth - 10);
  const rowHeight = 22;
  const height = rows.length * rowHeight + 40;
  const shown = rows.slice(0, 12);
  const marks = shown
    .map((row, index) => {
      const y = 14 + index * rowHeight;
      const label = row.context.length > 18 ? `${row.context.slice(0, 17)}…` : row.context;
      const events = row.events
        .map((event) => {
          const at = x(Date.parse(event.date)).toFixed(1);
          const title = `<title>${e(`${event.name}: ${event.kind === 'inv' ? 'invalidated' : 'deleted'} ${event.date}`)}</title>`;
          return event.kind === 'inv'
            ? `<circle class="inv" cx="${at}" cy="${y}" r="4">${title}</circle>`
            : `<rect class="del" x="${(Number(at) - 4).toFixed(1)}" y="${y - 4}" width="8" height="8">${title}</rect>`;
        })
        .join('');
      return `<text x="${labelWidth - 6}" y="${y + 4}" text-anchor="end">${e(label)}</text><line class="axis" x1="${labelWidth}" x2="${WIDTH - 10}" y1="${y}" y2="${y}"/>${events}`;
    })
    .join('\n');
  const axisY = shown.length * rowHeight + 8;
  const ticks: string[] = [];
  const first = new Date(start);
  for (let year = first.getUTCFullYear(); Date.UTC(year, 0, 1) <= end; year++) {
    for (const month of [0, 6]) {
      const time = Date.UTC(year, month, 1);
      if (time < start || time > end) continue;
      ticks.push(
        `<line class="axis" x1="${x(time).toFixed(1)}" x2="${x(time).toFixed(1)}" y1="${axisY}" y2="${axisY + 4}"/><text class="muted" x="${x(time).toFixed(1)}" y="${axisY + 15}" text-anchor="middle">${new Date(time).toISOString().slice(0, 7)}</text>`,
      );
    }
  }
  return `<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="When the legacy token cleaner invalidates and deletes token Secrets">
${marks}
<line class="axis" x1="${labelWidth}" x2="${WIDTH - 10}" y1="${axisY}" y2="${axisY}"/>${ticks.join('')}
<line class="today" x1="${x(now).toFixed(1)}" x2="${x(now).toFixed(1)}" y1="4" y2="${axisY}"/><text x="${x(now).toFixed(1)}" y="${axisY + 28}" text-anchor="middle">today</text>
<circle class="inv" cx="${labelWidth + 60}" cy="${axisY + 24}" r="4"/><text x="${labelWidth + 68}" y="${axisY + 28}">invalidated</text>
<rect class="del" x="${WIDTH - 110}" y="${axisY + 20}" width="8" height="8"/><text x="${WIDTH - 98}" y="${axisY + 28}">deleted</text></svg>`;
}

function emptyChart(message: string): string {
  return `<svg viewBox="0 0 ${WIDTH} 40" role="img" aria-label="${e(message)}"><text class="muted" x="${WIDTH / 2}" y="24" text-anchor="middle">${e(message)}</text></svg>`;
}

function scriptHtml(nonce: string): string {
  return `<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const link = target?.closest('a[data-link]');
  if (link) { event.preventDefault(); vscode.postMessage({ link: Number(link.getAttribute('data-link')) }); return; }
  const save = target?.closest('button[data-save]');
  if (save) vscode.postMessage({ save: save.getAttribute('data-save') });
});
</script>`;
}
