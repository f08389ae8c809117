// The test-runner extension installed beside ours in code-server's extensions dir. The server's Node extension
// host activates it on startup; when the launcher set SA_TOKEN_IT_RESULTS (only the test server has it), it runs
// the suites and appends each result as a JSON line to that file, which the launcher follows.
import { appendFileSync } from 'node:fs';
import { runSuites, type SuiteEvent } from './mocha-runner';

export function activate(): void {
  const resultsFile = process.env.SA_TOKEN_IT_RESULTS;
  const suitesDir = process.env.SA_TOKEN_IT_SUITES;
  if (!resultsFile || !suitesDir) return;
  const report = (event: SuiteEvent): void => appendFileSync(resultsFile, `${JSON.stringify(event)}\n`);
  runSuites(suitesDir, report).catch((error: unknown) =>
    report({ event: 'fail', title: 'integration harness', error: error instanceof Error ? error.message : String(error) }),
  );
}

export function deactivate(): void {}
