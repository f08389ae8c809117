import type { Command } from 'commander';

export function registerFix(program: Command): void {
  program.command('fix').description('(not implemented yet)');
}
