import type { Command } from 'commander';

export function registerLint(program: Command): void {
  program.command('lint').description('(not implemented yet)');
}
