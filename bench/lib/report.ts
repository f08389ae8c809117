// The table on stdout (Markdown, so it can be pasted into the README) and bench/results.json.
import { writeFileSync } from 'node:fs';
import { describeTarget, describeVerdict, formatNumber, type MetricResult } from './result';

function formatValue(result: MetricResult): string {
  if (result.value === null) return '—';
  if (typeof result.value === 'boolean') return String(result.value);
  return `${formatNumber(result.value)}${result.unit ? ` ${result.unit}` : ''}`;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

export function renderTable(results: MetricResult[]): string {
  const rows = results.map((result) => [
    result.key,
    formatValue(result),
    describeTarget(result.target),
    describeVerdict(result),
    result.absolute,
  ]);
  const header = ['metric', 'value', 'target', 'result', 'absolute'];
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function writeResults(path: string, results: MetricResult[], meta: Record<string, unknown>): void {
  const values = Object.fromEntries(results.map((result) => [result.key, result.value]));
  const details = Object.fromEntries(
    results.map((result) => [
      result.key,
      {
        target: describeTarget(result.target),
        result: describeVerdict(result),
        absolute: result.absolute,
        ...result.details,
      },
    ]),
  );
  writeFileSync(path, `${JSON.stringify({ ...values, details, meta }, null, 2)}\n`);
}
