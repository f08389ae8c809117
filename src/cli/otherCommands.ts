// Entry of dist/cli-other-commands.js (see commands.ts): the definitions of every command but `decode`, registered
// when another command (or the help listing them all) runs. `sa-token decode` then loads and runs none of them
// (bench: cli_decode_vs_node_ratio); their heavier code stays in dist/cli-commands.js, loaded when they run.
import type { Command } from 'commander';
import { loadCommands } from './commands';
import { registerExplain } from './explain';
import { registerFix } from './fix';
import { registerInventory } from './inventory';
import { registerLint } from './lint';
import { registerReport } from './report';

/** Commands whose definitions are light; the others (RBAC, doctor) are defined in dist/cli-commands.js. */
const LIGHT_COMMANDS = new Set(['lint', 'fix', 'inventory', 'explain', 'report']);

/** Registers the commands after `decode`, in the order the help lists them; `invoked` is the first argument. */
export function registerOtherCommands(program: Command, invoked: string | undefined): void {
  registerLint(program);
  registerFix(program);
  registerInventory(program);
  registerExplain(program);
  // The RBAC evaluator and the doctor load the YAML engine and the RBAC core at once: only when their command (or
  // the help listing every command) runs.
  if (!LIGHT_COMMANDS.has(invoked ?? '')) {
    const { registerRbac, registerCanI, registerWhoCan, registerDoctor } = loadCommands();
    registerRbac(program);
    registerCanI(program);
    registerWhoCan(program);
    registerDoctor(program);
  }
  registerReport(program);
}
