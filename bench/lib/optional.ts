// Loads a module of the product that may not have landed yet; the caller turns `undefined` into `pending`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Loaded<T> = { module: T } | { missing: string };

/** Imports `relativePath` (a .ts file under the repo) and checks that it exports the named functions. */
export async function importIfPresent<T>(
  repoRoot: string,
  relativePath: string,
  exports: string[],
): Promise<Loaded<T>> {
  const path = join(repoRoot, relativePath);
  if (!existsSync(path)) return { missing: `${relativePath} has not landed` };
  try {
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const absent = exports.filter((name) => typeof module[name] !== 'function');
    if (absent.length) return { missing: `${relativePath} does not export ${absent.join(', ')} yet` };
    return { module: module as T };
  } catch (error) {
    return { missing: `${relativePath} failed to load: ${firstLine(error)}` };
  }
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
