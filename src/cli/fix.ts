// `sa-token fix`: the same fixes as the editor's quick fixes; prints the result, or rewrites files atomically.
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Command } from 'commander';
import { fixAll } from '../core/manifests/fix';
import { RULE_IDS } from '../core/manifests/rules/catalog';
import type { RuleId } from '../core/manifests/types';
import { collectRepeated, UsageError } from './io';
import { readManifests, workspaceOptions, type ManifestFile } from './manifestFiles';

interface FixOptions {
  write?: boolean;
  rule?: string[];
}

export function registerFix(program: Command): void {
  program
    .command('fix')
    .description('Apply the fixes for service account token problems. Prints the fixed file unless --write is given.')
    .argument('<paths...>', 'manifest files or directories (searched recursively for *.yaml and *.yml)')
    .option('--write', 'rewrite the files in place (atomically) instead of printing')
    .option(
      '--rule <id>',
      `only apply fixes of this rule (repeatable, or comma-separated: ${RULE_IDS.join(', ')})`,
      collectRepeated,
    )
    .action(async (paths: string[], options: FixOptions) => {
      const onlyRules = parseRules(options.rule);
      const files = await readManifests(paths);
      if (!options.write && files.length !== 1) {
        throw new UsageError(`without --write, fix prints one file; ${files.length} files given (add --write)`);
      }
      const optionsFor = workspaceOptions(files);
      for (const file of files) {
        const result = fixAll(file.text, { ...optionsFor(file), onlyRules });
        if (!options.write) process.stdout.write(result.text);
        else if (result.text !== file.text) {
          await writeAtomically(file, result.text);
          process.stdout.write(`${file.path}: ${result.applied} fix(es) applied\n`);
        }
      }
    });
}

function parseRules(ids: string[] | undefined): RuleId[] | undefined {
  if (!ids) return undefined;
  const rules = ids.flatMap((id) => id.split(',')).map((id) => id.trim().toUpperCase());
  const unknown = rules.filter((id) => !(RULE_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) throw new UsageError(`unknown rule ${unknown.join(', ')} (known: ${RULE_IDS.join(', ')})`);
  return rules as RuleId[];
}

/** Temp file next to the original, same mode, then rename: readers see the old or the new file, never half. */
async function writeAtomically(file: ManifestFile, text: string): Promise<void> {
  const { mode } = await stat(file.path);
  const temp = join(dirname(file.path), `.${basename(file.path)}.sa-token-${process.pid}.tmp`);
  try {
    await writeFile(temp, text, { mode: mode & 0o7777 });
    await chmod(temp, mode & 0o7777);
    await rename(temp, file.path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UsageError(`cannot write ${file.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
