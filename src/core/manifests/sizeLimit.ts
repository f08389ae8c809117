// How much manifest text is linted in one go. The editor lints on the extension host's thread as the user types: a
// generated multi-megabyte file would stall every keystroke. `sa-token lint` and `fix` use the same default and say
// the same, so a file the editor skips is not silently linted (or fixed) differently in CI.

/** Default limit, in KB of text (1 KB = 1,024 characters): the editor's setting and the CLI's option. */
export const DEFAULT_MANIFEST_LIMIT_KB = 2048;

const kb = (characters: number) => Math.ceil(characters / 1024).toLocaleString('en-US');

/** Why a text is too large to lint (naming how to raise the limit), or undefined when it is within the limit. */
export function manifestTooLarge(length: number, limitKb: number, raiseWith: string): string | undefined {
  if (length <= limitKb * 1024) return undefined;
  return `${kb(length)} KB is over the ${limitKb.toLocaleString('en-US')} KB limit for manifests, so service account token rules do not run on it (raise the limit with ${raiseWith})`;
}
