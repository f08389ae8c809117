// `sa-token lint` beyond manifests: SAT201 in dependency files and lock files, SAT202 in application code (linked to
// the manifest that mounts the token). The parsers are dist/code.js, loaded only when such files were given.
import { loadCode } from '../codeLoader';
import type { ManifestFinding, RuleSettings } from '../core/manifests/types';
import { LineIndex } from '../core/text';
import { toCliFindings, type CliFinding } from './findings';
import { readText, type LintInputs } from './manifestFiles';

/** `settingsFor` gives each file's rule settings (on/off, severity), as the manifest rules get them. */
export async function lintCode(
  inputs: LintInputs,
  settingsFor: (path: string) => RuleSettings = () => ({}),
): Promise<CliFinding[]> {
  if (inputs.dependencies.length === 0 && inputs.sources.length === 0) return [];
  const code = loadCode();
  const findings = inputs.dependencies.flatMap((file) =>
    toCliFindings(file, applySettings(code.lintDependencyFile(file.path, file.text), settingsFor(file.path))),
  );
  if (inputs.sources.length === 0) return findings;
  const mounts = inputs.manifests.flatMap((file) => code.tokenMounts(file.text, file.path));
  const tokenEnvNames = code.tokenEnvNames(mounts);
  const lines = new Map(inputs.manifests.map((file) => [file.path, file.text]));
  for (const path of inputs.sources) {
    const file = { path, text: await readText(path) };
    const reads = await code.lintSourceFile(file.path, file.text, { tokenEnvNames });
    const linked = reads.map((read) => {
      const mount = code.mountFor(read, mounts);
      if (!mount) return read;
      const { line } = new LineIndex(lines.get(mount.fileName) ?? '').lineColumn(mount.start);
      const where = `${mount.fileName}:${line}`;
      const what = mount.kind === 'env' ? `${mount.value} is set from a token Secret in` : 'The token is mounted by';
      return { ...read, message: `${read.message} ${what} ${where}.` };
    });
    findings.push(...toCliFindings(file, applySettings(linked, settingsFor(file.path))));
  }
  return findings;
}

/** Our findings as the CLI's (no automatic fixes), with the rule switched off or its severity changed. */
function applySettings(findings: readonly Omit<ManifestFinding, 'fixes'>[], settings: RuleSettings): ManifestFinding[] {
  return findings.flatMap((finding) => {
    const setting = settings[finding.rule];
    if (setting?.enabled === false) return [];
    return [{ ...finding, severity: setting?.severity ?? finding.severity, fixes: [] }];
  });
}
