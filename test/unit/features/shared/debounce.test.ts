import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { KeyedDebouncer } from '../../../../src/features/shared/debounce';

test('only the last scheduled run for a key happens, once input is quiet', async () => {
  const debouncer = new KeyedDebouncer(30);
  const runs: string[] = [];
  debouncer.schedule('a', () => runs.push('a1'));
  debouncer.schedule('a', () => runs.push('a2'));
  debouncer.schedule('b', () => runs.push('b1'));
  assert.equal(debouncer.size, 2);
  await sleep(80);
  assert.deepEqual(runs.sort(), ['a2', 'b1']);
  assert.equal(debouncer.size, 0);
});

test('cancel and dispose drop pending runs', async () => {
  const debouncer = new KeyedDebouncer(20);
  const runs: string[] = [];
  debouncer.schedule('a', () => runs.push('a'));
  debouncer.schedule('b', () => runs.push('b'));
  debouncer.cancel('a');
  debouncer.dispose();
  await sleep(50);
  assert.deepEqual(runs, []);
});
