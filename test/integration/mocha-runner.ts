// Runs the compiled integration suites with mocha inside whichever extension host loaded us (code-server's Node
// extension host, or VS Code desktop through @vscode/test-electron) and reports each result as it happens.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export type SuiteEvent =
  | { event: 'start'; total: number }
  | { event: 'pass'; title: string; durationMs: number }
  | { event: 'fail'; title: string; error: string }
  | { event: 'pending'; title: string }
  | { event: 'end'; passed: number; failed: number; pending: number };

/** Runs every `*.test.js` in `suitesDir` (tdd UI: suite/test) and resolves with the closing counts. */
export function runSuites(
  suitesDir: string,
  onEvent: (event: SuiteEvent) => void,
): Promise<Extract<SuiteEvent, { event: 'end' }>> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 20_000, reporter: 'dot' });
  const filter = process.env.SA_TOKEN_IT_GREP;
  if (filter) mocha.grep(filter);
  for (const file of readdirSync(suitesDir).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(join(suitesDir, file));
  }
  return new Promise((resolveRun) => {
    const counts = { passed: 0, failed: 0, pending: 0 };
    const runner = mocha.run();
    onEvent({ event: 'start', total: runner.total });
    runner.on('pass', (test) => {
      counts.passed++;
      onEvent({ event: 'pass', title: test.fullTitle(), durationMs: test.duration ?? 0 });
    });
    runner.on('fail', (test, error: Error) => {
      counts.failed++;
      onEvent({ event: 'fail', title: test.fullTitle(), error: firstLines(error) });
    });
    runner.on('pending', (test) => {
      counts.pending++;
      onEvent({ event: 'pending', title: test.fullTitle() });
    });
    runner.on('end', () => {
      const end = { event: 'end' as const, ...counts };
      onEvent(end);
      resolveRun(end);
    });
  });
}

function firstLines(error: Error): string {
  const text = error.stack ?? error.message ?? String(error);
  return text.split('\n').slice(0, 6).join('\n');
}

export function formatEvent(event: SuiteEvent): string | undefined {
  switch (event.event) {
    case 'pass':
      return `  ✓ ${event.title} (${event.durationMs} ms)`;
    case 'fail':
      return `  ✗ ${event.title}\n${event.error.replace(/^/gm, '      ')}`;
    case 'pending':
      return `  - ${event.title} (pending)`;
    case 'end':
      return `${event.passed} passed, ${event.failed} failed, ${event.pending} skipped`;
    default:
      return undefined;
  }
}
