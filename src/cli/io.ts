// Exit codes and small I/O helpers shared by the subcommands.
export const EXIT_OK = 0;
/** lint: findings; inventory: partial result (some resources forbidden). */
export const EXIT_FINDINGS = 1;
/** Usage errors, unreadable input, not a token, no usable cluster. */
export const EXIT_USAGE = 2;

/** A failure the user can act on: printed as one line on stderr, no stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

/** Commander's collector for a repeatable option (`--key a --key b`). */
export const collectRepeated = (value: string, previous: string[] = []): string[] => [...previous, value];

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
