// `sa-token decode`: explains one token from the argument or stdin; optionally checks its signature offline.
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { inertJson } from '../core/printable';
import { explainText } from '../core/tokens/explain';
import { inspectMatch, isTokenError, matchTokenInput } from '../core/tokens/inspect';
import type { TimeZoneDisplay } from '../core/time';
import type { TokenReport } from '../core/tokens/types';
import type { VerificationKey } from '../core/tokens/verify';
import { loadCommands } from './commands';
import { collectRepeated, isUsageError, readStdin, UsageError } from './io';
import { fileErrorReason } from '../core/fileErrors';

interface DecodeOptions {
  json?: boolean;
  key?: string[];
  jwks?: string[];
  timeZone: TimeZoneDisplay;
}

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description(
      'Explain a service account token (raw JWT, "Bearer …" or base64 from a Secret). Nothing leaves the machine.',
    )
    .argument('[token]', 'the token, or - to read stdin (the default; keeps the token out of shell history)')
    .option('--json', 'print the report as one JSON object')
    .option('--key <file>', 'check the signature against the public keys in a PEM file (repeatable)', collectRepeated)
    .option(
      '--jwks <file>',
      'check the signature against a JWKS file, e.g. saved from /openid/v1/jwks (repeatable)',
      collectRepeated,
    )
    .addOption(
      new Option('--time-zone <zone>', 'show times in UTC or local time').choices(['utc', 'local']).default('utc'),
    )
    .action(async (token: string | undefined, options: DecodeOptions) => {
      const report = await decode(token, options);
      process.stdout.write(
        options.json ? `${inertJson(report)}\n` : explainText(report, { timeZone: options.timeZone }),
      );
    });
}

async function decode(token: string | undefined, options: DecodeOptions): Promise<TokenReport> {
  const keys = await loadKeys([...(options.key ?? []), ...(options.jwks ?? [])]);
  const match = matchTokenInput(await readToken(token));
  if (isTokenError(match)) throw new UsageError(match.error);
  const report = inspectMatch(match);
  if (isTokenError(report)) throw new UsageError(report.error);
  // jose is loaded only to check a signature: decoding alone starts faster (cli_decode_vs_node_ratio).
  const signature =
    keys.length > 0
      ? await loadCommands().verifySignature(match.jwt, keys, 'the --key/--jwks files')
      : { checked: false as const };
  return { ...report, signature };
}

async function readToken(argument: string | undefined): Promise<string> {
  if (argument !== undefined && argument !== '-') return argument;
  if (process.stdin.isTTY) throw new UsageError('no token given: pass it as an argument, or pipe it on stdin');
  return readStdin();
}

/** PEM and JWKS files are told apart by content, so --key and --jwks accept either. */
async function loadKeys(files: string[]): Promise<VerificationKey[]> {
  if (files.length === 0) return [];
  const { parseKeys } = loadCommands();
  const perFile = await Promise.all(
    files.map(async (file) => parseKeys(await readKeyFile(file), file).catch(invalidKeyFile(file))),
  );
  return perFile.flat();
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read key file ${file}: ${fileErrorReason(error)}`);
  }
}

const invalidKeyFile =
  (file: string) =>
  (error: unknown): never => {
    if (isUsageError(error)) throw error;
    const reason = error instanceof Error ? error.message.replace(`${file}: `, '') : 'invalid';
    throw new UsageError(`invalid key file ${file}: ${reason}`);
  };
