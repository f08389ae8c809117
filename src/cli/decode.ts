import type { Command } from 'commander';

export function registerDecode(program: Command): void {
  program.command('decode').description('(not implemented yet)');
}
