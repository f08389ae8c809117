// `sa-token fix`: the same fixes as the editor's quick fixes; prints the result, or rewrites files atomically.
import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Command } from 'commander';
import { encodeManifest } from '../core/manifests/encoding';
import { RULE_IDS } from '../core/manifests/rules/catalog';
import { printable } from '../core/printable';
import { collectRepeated, EXIT_USAGE, UsageError } from './io';
import { loadCommands } from './commands';
import { maxManifestSizeOption } from './ruleOptions';
import type { ManifestFile } from './manifestFiles';
import { addRuleOptions, parseRuleIds, ruleSettingsFromFlags, type RuleFlags } from './ruleOptions';

interface FixOptions extends RuleFlags {
  write?: boolean;
  diff?: boolean;
  rule?: string[];
  hardening?: boolean;
  maxManifestSize: number;
}

export function registerFix(program: Command): void {
  const command = program
    .command('fix')
    .description(
      'Apply the fixes for service account token problems. By default only migrations, which keep what a workload ' +
        'can do; --hardening (or --rule, or fix.hardening in .sa-token.yaml) also applies hardening fixes such as ' +
        'turning automount off. Prints the fixed file unless --write is given.',
    )
    .argument('<paths...>', 'manifest files or directories (searched recursively for *.yaml and *.yml)')
    .option('--write', 'rewrite the files in place (atomically) instead of printing')
    .option('--diff', 'print a unified diff of every file the fixes change, instead of the fixed file')
    .option(
      '--rule <id>',
      `only apply fixes of this rule, hardening ones included (repeatable, or comma-separated: ${RULE_IDS.join(', ')})`,
      collectRepeated,
    )
    .option('--hardening', 'also apply hardening fixes (they take something away from a workload: see the README)')
    .addOption(maxManifestSizeOption());
  addRuleOptions(command).action(async (paths: string[], options: FixOptions) => {
    const onlyRules = options.rule ? parseRuleIds(options.rule) : undefined;
    const { fixAll, readManifests, reportUnreadable, unifiedDiff } = loadCommands();
    if (options.write && options.diff) throw new UsageError('--write and --diff do not go together: choose one');
    const inputs = await readManifests(paths, {
      rules: ruleSettingsFromFlags(options),
      ...(options.hardening ? { hardening: true } : {}),
      maxManifestSizeKb: options.maxManifestSize,
    });
    reportUnreadable(inputs.unreadable);
    const { files, oversized } = inputs;
    const given = files.length + oversized.length;
    if (!options.write && !options.diff && given !== 1) {
      throw new UsageError(`without --write, fix prints one file; ${given} files given (add --write)`);
    }
    // A file over the size limit is printed (or left) as it is; stderr said why.
    if (!options.write && !options.diff) for (const file of oversized) process.stdout.write(file.text);
    for (const file of files) {
      const result = fixAll(file.text, { ...inputs.optionsFor(file), onlyRules });
      if (options.diff) process.stdout.write(unifiedDiff(printable(file.path), file.text, result.text));
      else if (!options.write) process.stdout.write(result.text);
      else if (result.text !== file.text) {
        const outcome = await writeAtomically(file, result.text);
        if (outcome === 'written') process.stdout.write(`${printable(file.path)}: ${result.applied} fix(es) applied\n`);
        else {
          process.stderr.write(`sa-token: ${printable(file.path)}: ${outcome}\n`);
          if (outcome.startsWith('not written')) process.exitCode = EXIT_USAGE;
        }
      }
    }
    if (inputs.unreadable.length > 0) process.exitCode = EXIT_USAGE;
  });
}

type WriteOutcome = 'written' | `skipped: ${string}` | `not written: ${string}`;

/**
 * Temp file next to the original, then rename: readers see the old or the new file, never half. The temp file has a
 * random name and is created with O_CREAT|O_EXCL, so nothing planted at that path (a symlink) is ever followed; its
 * mode and owner are set on the open handle before any content is written. A symlinked manifest is the user's
 * business: it is skipped, never replaced by a regular file. Read-only files are refused. No temp file survives.
 */
async function writeAtomically(file: ManifestFile, text: string): Promise<WriteOutcome> {
  const info = await lstat(file.path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot write ${file.path}: ${error.code ?? 'unreadable'}`);
  });
  if (info.isSymbolicLink()) return 'skipped: it is a symbolic link (run fix on the file it points to)';
  if (!info.isFile()) return 'not written: not a regular file';
  // Checked on the mode bits, not access(2): root may write anything, but a read-only file says "do not change me".
  if ((info.mode & 0o222) === 0) return 'not written: the file is read-only';
  const temp = join(dirname(file.path), `.${basename(file.path)}.sa-token-${randomBytes(12).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    await handle.chmod(info.mode & 0o7777);
    // Keep the owner when we may (running as root over someone's checkout); otherwise it is ours, as with any editor.
    await handle.chown(info.uid, info.gid).catch(() => undefined);
    await handle.writeFile(encodeManifest(text, file.encoding));
    await handle.close();
    handle = undefined;
    await rename(temp, file.path);
    return 'written';
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw new UsageError(`cannot write ${file.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
