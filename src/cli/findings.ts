// A finding as the CLI prints it: file, 1-based line and column (as compilers and SARIF count), rule, message.
import type { ManifestFinding, Severity } from '../core/manifests/types';
import { LineIndex } from '../core/text';
import type { ManifestFile } from './manifestFiles';

export interface CliFinding {
  file: string;
  rule: string;
  severity: Severity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
}

/** The findings of one file, its line index built once. */
export function toCliFindings(
  file: Pick<ManifestFile, 'path' | 'text'>,
  findings: readonly ManifestFinding[],
): CliFinding[] {
  if (findings.length === 0) return [];
  const lines = new LineIndex(file.text);
  return findings.map((finding) => {
    const start = lines.lineColumn(finding.start);
    const end = lines.lineColumn(finding.end);
    return {
      file: file.path,
      rule: finding.rule,
      severity: finding.severity,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      message: finding.message,
      fixable: finding.fixes.length > 0,
    };
  });
}
