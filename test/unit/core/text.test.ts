import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyEdits } from '../../../src/core/manifests/edits';
import { columnOf, LineIndex, minimalReplacement } from '../../../src/core/text';

test('LineIndex maps offsets to lines and characters, CRLF keeping \\r on its line', () => {
  const text = 'a: 1\r\nbb: 2\n\nccc';
  const index = new LineIndex(text);
  assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(4), { line: 0, character: 4 });
  assert.deepEqual(index.positionAt(6), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(12), { line: 2, character: 0 });
  assert.deepEqual(index.positionAt(text.length), { line: 3, character: 3 });
});

test('LineIndex agrees with a naive split on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', 'é') }), fc.nat(), (text, seed) => {
      const offset = text.length === 0 ? 0 : seed % (text.length + 1);
      const lines = text.slice(0, offset).split('\n');
      assert.deepEqual(new LineIndex(text).positionAt(offset), {
        line: lines.length - 1,
        character: lines[lines.length - 1]!.length,
      });
    }),
  );
});

test('lineColumn counts from 1 as compilers print, without counting a BOM; columnOf agrees with positionAt', () => {
  const text = '\uFEFFa: 1\nbb: 2';
  const index = new LineIndex(text);
  assert.deepEqual(index.lineColumn(0), { line: 1, column: 1 });
  assert.deepEqual(index.lineColumn(1), { line: 1, column: 1 }, 'the first character after the BOM');
  assert.deepEqual(index.lineColumn(4), { line: 1, column: 4 });
  assert.deepEqual(index.lineColumn(6), { line: 2, column: 1 });
  assert.deepEqual(new LineIndex('x\ny').lineColumn(3), { line: 2, column: 2 });
  for (let offset = 0; offset <= text.length; offset++)
    assert.equal(columnOf(text, offset), index.positionAt(offset).character, String(offset));
});

test('minimalReplacement touches only the changed middle', () => {
  assert.equal(minimalReplacement('same', 'same'), undefined);
  assert.deepEqual(minimalReplacement('spec:\n  a: 1\n  c: 3\n', 'spec:\n  a: 1\n  b: 2\n  c: 3\n'), {
    start: 15,
    end: 15,
    newText: 'b: 2\n  ',
  });
});

test('minimalReplacement never splits a CRLF or a surrogate pair', () => {
  const crlf = minimalReplacement('a\r\nb', 'a\nb');
  assert.ok(crlf);
  assert.equal(crlf.start, 1);
  const emoji = minimalReplacement('x\u{1F600}', 'x\u{1F601}');
  assert.ok(emoji);
  assert.equal(emoji.start, 1, 'the edit starts before the high surrogate both share');
});

test('applying minimalReplacement always yields the new text', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', 'b', '\r', '\n', '\u{1F600}') }),
      fc.string({ unit: fc.constantFrom('a', 'b', '\r', '\n', '\u{1F600}') }),
      (before, after) => {
        const edit = minimalReplacement(before, after);
        assert.equal(edit ? applyEdits(before, [edit]) : before, after);
      },
    ),
  );
});
