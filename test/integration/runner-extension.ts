// The test-runner extension installed beside ours in code-server's extensions dir. The server's Node extension
// host activates it on startup; when the launcher set SA_TOKEN_IT_RESULTS (only the test server has it), it runs
// the suites and appends each result as a JSON line to that file, which the launcher follows.
import { appendFileSync } from 'node:fs';
import { runSuites, type SuiteEvent } from './mocha-runner';

/** Set by scripts/lib/dns-guard.cjs when the server passed its preload on to this extension host. */
const DNS_GUARD_MARK = Symbol.for('sa-token-inspector.dns-guard');

export function activate(): void {
  const resultsFile = process.env.SA_TOKEN_IT_RESULTS;
  const suitesDir = process.env.SA_TOKEN_IT_SUITES;
  if (!resultsFile || !suitesDir) return;
  const report = (event: SuiteEvent): void => appendFileSync(resultsFile, `${JSON.stringify(event)}\n`);
  if (process.env.SA_TOKEN_DNS_LOG && !(DNS_GUARD_MARK in globalThis)) {
    report({
      event: 'fail',
      title: 'integration harness',
      error: 'the DNS guard is not loaded in the extension host: outside lookups would go unnoticed',
    });
  }
  runSuites(suitesDir, report).catch((error: unknown) =>
    report({
      event: 'fail',
      title: 'integration harness',
      error: error instanceof Error ? error.message : String(error),
    }),
  );
}

export function deactivate(): void {}
