// Exit codes and small I/O helpers shared by the subcommands.
export const EXIT_OK = 0;
/** lint: findings; inventory: partial result (some resources forbidden). */
export const EXIT_FINDINGS = 1;
/** Usage errors, unreadable input, not a token, no usable cluster. */
export const EXIT_USAGE = 2;

/** A failure the user can act on: printed as one line on stderr, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

/**
 * Also true for a UsageError thrown by dist/cli-commands.js or dist/cli-other-commands.js, which bundle their own
 * copies of this class (an `instanceof` across bundles is false).
 */
export const isUsageError = (error: unknown): error is UsageError =>
  error instanceof Error && error.name === 'UsageError' && typeof (error as UsageError).exitCode === 'number';

/** Commander's collector for a repeatable option (`--key a --key b`). */
export const collectRepeated = (value: string, previous: string[] = []): string[] => [...previous, value];

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
