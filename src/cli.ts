// `sa-token`: the CLI on the same core as the extension. Each subcommand lives in src/cli/<name>.ts; this bundle
// (dist/cli.js) holds `decode` alone, the others are defined in dist/cli-other-commands.js (cli/otherCommands.ts).
import { Command, CommanderError } from 'commander';
import { registerDecode } from './cli/decode';
import { loadOtherCommands } from './cli/commands';
import { EXIT_USAGE, isUsageError } from './cli/io';
import { CLI_VERSION } from './cli/version';
import { printable } from './core/printable';

async function main(argv: string[]): Promise<number> {
  const program = new Command('sa-token')
    .description('Inspect, lint and fix Kubernetes service account tokens. Everything runs locally.')
    .version(CLI_VERSION, '-V, --version', 'Print the version number.')
    .helpOption('-h, --help', 'Show help for the command.')
    .helpCommand('help [command]', 'Show help for a command.')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(printable(text.trimEnd().split('\n')[0]) + '\n') });
  registerDecode(program);
  // `sa-token decode` starts with the token core alone: no other command's code is loaded nor run.
  if (argv[2] !== 'decode') loadOtherCommands().registerOtherCommands(program, argv[2]);
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage mistake exits 2 after commander printed its one line.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (isUsageError(error)) {
      // Messages quote paths, names and server answers: one printable line.
      process.stderr.write(`sa-token: ${printable(error.message)}\n`);
      return error.exitCode;
    }
    // Never a stack trace: one line, and nothing from the input that could be a secret.
    process.stderr.write(
      `sa-token: internal error: ${printable(error instanceof Error ? error.message : String(error))}\n`,
    );
    return EXIT_USAGE;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
