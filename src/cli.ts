// `sa-token`: the CLI on the same core as the extension. Each subcommand lives in src/cli/<name>.ts.

/** Commands whose definitions are light; the others (RBAC, doctor) are defined in dist/cli-commands.js. */
const LIGHT_COMMANDS = new Set(['decode', 'lint', 'fix', 'inventory', 'explain', 'report']);
import { Command, CommanderError } from 'commander';
import { registerDecode } from './cli/decode';
import { registerExplain } from './cli/explain';
import { registerFix } from './cli/fix';
import { registerInventory } from './cli/inventory';
import { registerLint } from './cli/lint';
import { loadCommands } from './cli/commands';
import { registerReport } from './cli/report';
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
  registerLint(program);
  registerFix(program);
  registerInventory(program);
  registerExplain(program);
  // The RBAC evaluator and the doctor load the YAML engine and the RBAC core at once: only when their command (or
  // the help listing every command) runs, so that `sa-token decode` starts with the token core alone.
  if (!LIGHT_COMMANDS.has(argv[2] ?? '')) {
    const { registerRbac, registerCanI, registerWhoCan, registerDoctor } = loadCommands();
    registerRbac(program);
    registerCanI(program);
    registerWhoCan(program);
    registerDoctor(program);
  }
  registerReport(program);
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
