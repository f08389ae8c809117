// Gemfile.lock: Bundler's lock format has no parser on npm; its GEM "specs:" section lists each resolved gem as
// "    name (version)" at four spaces (dependencies of a gem are at six).
import { isClientLibrary, lines, type DependencyEntry } from './types';

export function parseGemfileLock(text: string): DependencyEntry[] {
  const entries: DependencyEntry[] = [];
  let inSpecs = false;
  for (const { line, start } of lines(text)) {
    if (/^\S/.test(line)) inSpecs = false;
    if (/^ {2}specs:\s*$/.test(line)) {
      inSpecs = true;
      continue;
    }
    const found = inSpecs ? /^ {4}([^\s(]+) \(([^)\s-]+)(-[^)]+)?\)\s*$/.exec(line) : null;
    if (!found || !isClientLibrary('rubygems', found[1])) continue;
    const at = start + line.indexOf(`(${found[2]}`) + 1;
    entries.push({
      ecosystem: 'rubygems',
      name: found[1],
      spec: { exact: found[2] },
      start: at,
      end: at + found[2].length,
    });
  }
  return entries;
}
