// `sa-token report` as terminal text and as markdown for a ticket. Every cell comes from a cluster or a file: text
// lines are made printable (no control characters, no workflow commands); markdown puts each in a code span, where
// nothing (links, `command:` URIs, HTML, autolinks) is interpreted.
import { printable, printableLine } from '../printable';
import { VERDICT_TEXT, type FleetReport } from './model';
import { clusterFacts, clusterSections, fleetSummary, manifestSection, type Section } from './sections';

const ICON = { ready: '✔', 'will-break': '✖', 'cleanup-pending': '!', unreachable: '?' } as const;

export function reportText(report: FleetReport): string {
  const lines = [`Upgrade readiness, ${report.generatedAt}: ${fleetSummary(report)}`];
  for (const cluster of report.clusters) {
    lines.push(
      '',
      `${ICON[cluster.verdict]} ${cluster.context}: ${VERDICT_TEXT[cluster.verdict]}${cluster.complete ? '' : ' (incomplete)'}`,
      `  ${cluster.server} · ${clusterFacts(cluster)}`,
    );
    for (const reason of cluster.reasons) lines.push(`  - ${reason}`);
    for (const section of clusterSections(cluster)) lines.push(...textSection(section, '  '));
  }
  const manifests = manifestSection(report);
  if (manifests) lines.push('', ...textSection(manifests, ''));
  return `${lines.map(printableLine).join('\n')}\n`;
}

function textSection(section: Section, indent: string): string[] {
  const lines = [`${indent}${section.title}:`];
  for (const row of section.rows) lines.push(`${indent}  ${row.map((cell) => cell.text).join('  ')}`);
  return lines;
}

/** A code span that holds any text inertly: a backtick fence longer than any run inside (CommonMark 6.1). */
export function markdownCode(text: string, inTable = false): string {
  const flat = printable(text).trim();
  if (!flat) return '';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat;
  // GFM splits table cells at `|`, code spans included, unless escaped.
  return `${fence}${inTable ? padded.replace(/\|/g, '\\|') : padded}${fence}`;
}

export function reportMarkdown(report: FleetReport): string {
  const out = [
    '# Service account token upgrade readiness',
    '',
    `Generated ${markdownCode(report.generatedAt)} — ${fleetSummary(report)}.`,
    '',
    '| Cluster | Verdict | Server | Facts |',
    '| --- | --- | --- | --- |',
    ...report.clusters.map(
      (cluster) =>
        `| ${markdownCode(cluster.context, true)} | ${ICON[cluster.verdict]} ${VERDICT_TEXT[cluster.verdict]}${cluster.complete ? '' : ' (incomplete)'} | ${markdownCode(cluster.server, true)} | ${markdownCode(clusterFacts(cluster), true)} |`,
    ),
  ];
  for (const cluster of report.clusters) {
    out.push('', `## ${markdownCode(cluster.context)}: ${VERDICT_TEXT[cluster.verdict]}`, '');
    for (const reason of cluster.reasons) out.push(`- ${markdownCode(reason)}`);
    for (const section of clusterSections(cluster)) out.push('', ...markdownSection(section, '###'));
  }
  const manifests = manifestSection(report);
  if (manifests) out.push('', ...markdownSection(manifests, '##'));
  return `${out.join('\n')}\n`;
}

function markdownSection(section: Section, heading: string): string[] {
  return [
    `${heading} ${section.title}`,
    '',
    ...(section.note ? [section.note, ''] : []),
    `| ${section.columns.join(' | ')} |`,
    `| ${section.columns.map(() => '---').join(' | ')} |`,
    ...section.rows.map((row) => `| ${row.map((cell) => markdownCode(cell.text, true)).join(' | ')} |`),
  ];
}
