// SARIF 2.1.0 output of `sa-token lint`, as GitHub code scanning reads it.
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../core/manifests/rules/catalog';
import type { Severity } from '../core/manifests/types';
import type { CliFinding } from './findings';
import { CLI_VERSION } from './version';

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** Rules on the driver, results with physical regions. */
export function sarif(findings: readonly CliFinding[]) {
  const ruleIndex = new Map(RULES.map((info, index) => [info.id as string, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sa-token',
            version: CLI_VERSION,
            informationUri: 'https://kubernetes.io/docs/concepts/security/service-accounts/',
            rules: RULES.map((info) => ({
              id: info.id,
              name: info.name,
              shortDescription: { text: info.summary },
              fullDescription: { text: info.help },
              help: { text: info.help },
              defaultConfiguration: { level: SARIF_LEVEL[info.severity], enabled: info.enabledByDefault },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** Repository-relative URIs with forward slashes, as code scanning matches them to files; a file outside the working
 * directory as an absolute file: URI (a relative reference may not start with a slash, SARIF §3.10.3). */
function toUri(file: string): string {
  const path = relative(process.cwd(), file);
  if (path.startsWith('..') || isAbsolute(path)) return pathToFileURL(file).href;
  return encodeURI(path.split(sep).join('/'));
}
