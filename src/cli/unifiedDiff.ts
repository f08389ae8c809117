// `sa-token fix --diff`: the change a fix makes, as `diff -u` / `git diff` print it (the jsdiff library's patch).
import { createTwoFilesPatch } from 'diff';

/** The unified diff from `before` to `after` of the file `path` (a/ and b/ prefixes, 3 lines of context); empty
 * when nothing changes. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('Index: ') && !/^=+$/.test(line))
    .join('\n');
}
