// The heavier parts of the CLI's commands (the manifest engine with the YAML parser, signature checks with jose,
// the auth-error recogniser), bundled apart as dist/cli-commands.js and loaded when a command needs them: a bare
// `sa-token decode` starts with only the token core (bench: cli_decode_vs_node_ratio).
import path from 'node:path';
import { requireLazyBundle } from '../kubeLoader';

export type CommandsModule = typeof import('./commandsBundle');
export type OtherCommandsModule = typeof import('./otherCommands');

let loaded: CommandsModule | undefined;
let otherCommands: OtherCommandsModule | undefined;

export function loadCommands(): CommandsModule {
  loaded ??= requireLazyBundle<CommandsModule>(
    path.join(__dirname, 'cli-commands.js'),
    path.join(__dirname, 'commandsBundle'),
  );
  return loaded;
}

/** The definitions of every command but `decode` (dist/cli-other-commands.js). */
export function loadOtherCommands(): OtherCommandsModule {
  otherCommands ??= requireLazyBundle<OtherCommandsModule>(
    path.join(__dirname, 'cli-other-commands.js'),
    path.join(__dirname, 'otherCommands'),
  );
  return otherCommands;
}
