// extensionTestsPath for @vscode/test-electron: VS Code desktop calls run() in its extension host.
import { join } from 'node:path';
import { formatEvent, runSuites } from './mocha-runner';

export async function run(): Promise<void> {
  const result = await runSuites(join(__dirname, 'suite'), (event) => {
    const line = formatEvent(event);
    if (line) console.log(line);
  });
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
