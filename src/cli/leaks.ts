// `sa-token lint`'s leak scan (SAT301, SAT302) over any text file: the files named on the command line, and under
// named directories every text file. A walk never follows a symbolic link (a link inside the tree is scanned where it
// points to; one pointing out of the tree is not ours to read), skips binary files, and skips huge files with a note.
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RuleSettings } from '../core/manifests/types';
import { printable } from '../core/printable';
import { scanForTokenProblems } from '../core/tokens/scan';
import { toCliFindings, type CliFinding } from './findings';
import { UsageError } from './io';
import { isCodeInput, isManifestName, SKIPPED_DIRECTORIES, VENDORED } from './manifestFiles';
import { fileErrorReason } from '../core/fileErrors';

const MB = 1024 * 1024;
/** Files found in directories above this size are skipped with a note; a named file is read up to the next limit. */
const MAX_WALKED_FILE_BYTES = 16 * MB;
/** Past this a file's text would not fit in one string: even a named file is skipped, with a note. */
const MAX_NAMED_FILE_BYTES = 256 * MB;
/** As git decides: a NUL byte in the first 8000 bytes makes a file binary. */
const BINARY_SNIFF_BYTES = 8000;

export interface LeakScanFiles {
  /** Every file to scan, sorted: the named ones, and the text-file candidates under named directories. */
  files: string[];
  /** The paths named on the command line that are files. */
  named: Set<string>;
}

/** The files under `paths` (sorted, each once); a missing path is a usage error, as everywhere in the CLI. */
export async function leakScanFiles(paths: readonly string[]): Promise<LeakScanFiles> {
  const files = new Set<string>();
  const named = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${fileErrorReason(error)}`);
    });
    if (info.isDirectory()) await walk(path, files);
    else {
      files.add(path);
      named.add(path);
    }
  }
  return { files: [...files].sort(), named };
}

/**
 * The command-line paths the manifest, dependency and code rules read, or none when no such file was given: a named
 * file goes there only when its name says it is YAML or JSON, a dependency file or source code (a named `.env`, log
 * or kubeconfig is never parsed as a manifest); a directory when some file under it is one of those.
 */
export function kindInputPaths(paths: readonly string[], scan: LeakScanFiles): string[] {
  const named = (path: string) => isManifestName(path) || /\.json$/i.test(path) || isCodeInput(basename(path));
  const walked = (path: string) => isManifestName(path) || isCodeInput(basename(path));
  if (!scan.files.some((path) => (scan.named.has(path) ? named(path) : walked(path)))) return [];
  return paths.filter((path) => !scan.named.has(path) || named(path));
}

async function walk(directory: string, files: Set<string>): Promise<void> {
  const entries: Dirent[] = await readdir(directory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${directory}: ${fileErrorReason(error)}`);
  });
  for (const entry of entries) {
    const path = join(directory, entry.name);
    // Dirent types come from lstat: a symbolic link is neither a directory nor a file here, so it is never followed.
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) await walk(path, files);
    else if (entry.isFile()) files.add(path);
  }
}

export interface LeakScanOptions {
  /** Rule settings of a file (on/off, severity), as the other rules get them. */
  settingsFor: (path: string) => RuleSettings;
  /** One line for the user (stderr): a file skipped, and why. */
  note: (message: string) => void;
  now?: Date;
}

/** SAT301 and SAT302 in every given file (files vendored from elsewhere only when named), and how many were text. */
export async function scanLeaks(
  scan: LeakScanFiles,
  options: LeakScanOptions,
): Promise<{ findings: CliFinding[]; textFiles: number }> {
  const findings: CliFinding[] = [];
  let textFiles = 0;
  for (const path of scan.files) {
    if (!scan.named.has(path) && VENDORED.test(path)) continue;
    const settings = options.settingsFor(path);
    const committed = settings.SAT301?.enabled !== false;
    const expired = settings.SAT302?.enabled !== false;
    if (!committed && !expired) continue;
    const text = await readScannable(path, scan.named.has(path), options.note);
    if (text === undefined) continue;
    textFiles++;
    const problems = scanForTokenProblems(text, {
      committed,
      expired: expired && 'kubeconfig',
      fileName: path,
      now: options.now,
    });
    const file = { path, text };
    findings.push(
      ...toCliFindings(
        file,
        problems.map((problem) => ({
          rule: problem.rule,
          severity: settings[problem.rule]?.severity ?? problem.severity,
          message: problem.message,
          start: problem.match.start,
          end: problem.match.end,
          fixes: [],
        })),
      ),
    );
  }
  return { findings, textFiles };
}

/** The file's text; undefined for a binary file, or a huge one found in a directory (with a note). */
async function readScannable(
  path: string,
  named: boolean,
  note: (message: string) => void,
): Promise<string | undefined> {
  const size = (await stat(path).catch(() => undefined))?.size ?? 0;
  const limit = named ? MAX_NAMED_FILE_BYTES : MAX_WALKED_FILE_BYTES;
  if (size > limit) {
    // Worded like the manifest size limit's line: `sa-token: <file>: skipped: <why>`.
    const what = named ? 'the most the leak scan reads' : "the leak scan's limit for files found in a directory";
    const hint = named ? '' : ' (name the file to scan it)';
    note(`${printable(path)}: skipped: ${(size / MB).toFixed(1)} MB is over ${limit / MB} MB, ${what}${hint}`);
    return undefined;
  }
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${fileErrorReason(error)}`);
  });
  const text = decodeText(bytes);
  if (text === undefined && named) note(`${printable(path)}: skipped: a binary file`);
  return text;
}

/** UTF-16 with its byte order mark, otherwise UTF-8 (invalid bytes become U+FFFD: tokens are ASCII); binary: undefined. */
function decodeText(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
  return bytes.toString('utf8');
}
