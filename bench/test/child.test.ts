import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runMeasured } from '../lib/child';

test('peak RSS of a short-lived child that allocates 300 MiB is seen', async () => {
  const allocate = 'const b = Buffer.alloc(300 * 2 ** 20, 1); console.log(b[0]);';
  const run = await runMeasured(process.execPath, ['-e', allocate], { timeoutMs: 30_000 });
  assert.equal(run.exitCode, 0);
  assert.ok(run.peakRssKib !== null && run.peakRssKib > 300 * 1024, `peak ${run.peakRssKib} KiB`);
  assert.ok(run.wallMs > 0);
});

test('exit codes, stderr tail and stdout redirection are reported', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-child-'));
  try {
    const stdoutPath = join(scratch, 'out');
    const run = await runMeasured(
      process.execPath,
      ['-e', 'console.log("hello"); console.error("boom"); process.exit(3)'],
      { stdoutPath, timeoutMs: 30_000 },
    );
    assert.equal(run.exitCode, 3);
    assert.equal(run.stderrTail, 'boom');
    assert.equal(readFileSync(stdoutPath, 'utf8'), 'hello\n');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a child that hangs is killed at the timeout', async () => {
  await assert.rejects(
    runMeasured(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 500 }),
    /did not finish within 0.5 s/,
  );
});
