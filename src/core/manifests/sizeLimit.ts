// How much manifest text is linted in one go. The editor lints on the extension host's thread as the user types: a
// generated multi-megabyte file would cost CPU at every keystroke, so its default is 2 MB. `sa-token lint` and `fix`
// run once, in CI: generated install bundles (Argo Rollouts' install.yaml: 3 MB, with the controller's Deployment)
// are what they must read, so their default is 16 MB. Neither limit is what stops a hostile file: aliases are bounded
// as Kubernetes bounds them (aliasing.ts) and the work is linear; the CLI's limit only caps memory for a runaway
// file. Both say the same words for a skipped file, naming how to raise the limit.

/** The editor's default (saToken.diagnostics.maxManifestSizeKB), in KB of text (1 KB = 1,024 characters). */
export const DEFAULT_MANIFEST_LIMIT_KB = 2048;

/** `sa-token lint/fix --max-manifest-size` default, in KB of text. */
export const DEFAULT_CLI_MANIFEST_LIMIT_KB = 16 * 1024;

const kb = (characters: number) => Math.ceil(characters / 1024).toLocaleString('en-US');

/** Why a text is too large to lint (naming how to raise the limit), or undefined when it is within the limit. */
export function manifestTooLarge(length: number, limitKb: number, raiseWith: string): string | undefined {
  if (length <= limitKb * 1024) return undefined;
  return `${kb(length)} KB is over the ${limitKb.toLocaleString('en-US')} KB limit for manifests, so service account token rules do not run on it (raise the limit with ${raiseWith})`;
}
