// The fleet runner: a bounded number of clusters at once, results in the order given, and a cluster that throws,
// hangs past its deadline or is cancelled reported unreachable without holding up the others.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unreachableReport } from '../../../../src/core/report/analyze';
import { runFleet, type FleetProgress } from '../../../../src/core/report/fleet';
import type { ClusterReport } from '../../../../src/core/report/model';

const ready = (context: string): ClusterReport => ({ ...unreachableReport(context, 's', ''), verdict: 'ready' });
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
const targets = (count: number) => Array.from({ length: count }, (_, index) => ({ context: `c${index}`, server: 's' }));

describe('runFleet', () => {
  it('keeps at most `concurrency` analyses in flight and returns them in the order given', async () => {
    let inFlight = 0;
    let most = 0;
    const events: FleetProgress[] = [];
    const reports = await runFleet(
      targets(9),
      async (target) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(5 + ((Number(target.context.slice(1)) * 7) % 20));
        inFlight--;
        return ready(target.context);
      },
      { concurrency: 3, timeoutMs: 5000, onProgress: (event) => events.push(event) },
    );
    assert.equal(most, 3);
    assert.deepEqual(
      reports.map((report) => report.context),
      targets(9).map((target) => target.context),
    );
    assert.equal(events.filter((event) => event.type === 'done').length, 9);
    assert.deepEqual(
      events.filter((event) => event.type === 'done').map((event) => event.done),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });

  it('reports a failing, a hung and an abort-ignoring cluster unreachable at their deadline', async () => {
    const started = Date.now();
    let aborted = false;
    const reports = await runFleet(
      targets(4),
      async (target, signal) => {
        if (target.context === 'c0') throw new Error('cannot reach it');
        if (target.context === 'c1') {
          signal.addEventListener('abort', () => (aborted = true));
          await sleep(60_000, signal);
        }
        // Ignores its signal entirely.
        if (target.context === 'c2') await new Promise(() => undefined);
        return ready(target.context);
      },
      { concurrency: 4, timeoutMs: 200 },
    );
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(
      reports.map((report) => [report.verdict, report.errors[0]?.message ?? '']),
      [
        ['unreachable', 'cannot reach it'],
        ['unreachable', 'no answer within 0.2 s (the per-cluster timeout)'],
        ['unreachable', 'no answer within 0.2 s (the per-cluster timeout)'],
        ['ready', ''],
      ],
    );
    assert.ok(aborted, 'the analysis is told to stop');
  });

  it('stops at once when cancelled', async () => {
    const cancel = new AbortController();
    const running = runFleet(targets(3), (_, signal) => sleep(60_000, signal).then(() => ready('x')), {
      concurrency: 1,
      timeoutMs: 60_000,
      signal: cancel.signal,
    });
    setTimeout(() => cancel.abort(), 20);
    const reports = await running;
    assert.deepEqual(
      reports.map((report) => report.reasons[0]),
      ['cancelled', 'cancelled', 'cancelled'],
    );
  });
});
