// The heavier parts of the CLI's commands (the manifest engine with the YAML parser, signature checks with jose,
// the auth-error recogniser), bundled apart as dist/cli-commands.js and loaded when a command needs them: a bare
// `sa-token decode` starts with only the token core (bench: cli_decode_vs_node_ratio).
import path from 'node:path';
import { requireLazyBundle } from '../kubeLoader';

export type CommandsModule = typeof import('./commandsBundle');

let loaded: CommandsModule | undefined;

export function loadCommands(): CommandsModule {
  loaded ??= requireLazyBundle<CommandsModule>(
    path.join(__dirname, 'cli-commands.js'),
    path.join(__dirname, 'commandsBundle'),
  );
  return loaded;
}
