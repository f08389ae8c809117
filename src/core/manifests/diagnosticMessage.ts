// What the editor shows of a finding: its first sentence (the rule's documentation, linked from the diagnostic's
// code, and `sa-token lint` say the rest), then what each quick fix means for the workload, since fix titles stay
// short (issue 18), or why there is no quick fix.
import { SHARED_TEXT_NO_FIX, TEMPLATE_NO_FIX } from './context';
import type { ManifestFinding } from './types';

export function diagnosticMessage(finding: Pick<ManifestFinding, 'message' | 'fixes'>): string {
  const lines = [firstSentence(finding.message)];
  for (const fix of finding.fixes) if (fix.detail) lines.push(`${fix.title}: ${fix.detail}.`);
  if (finding.fixes.length === 0) {
    if (finding.message.endsWith(SHARED_TEXT_NO_FIX))
      lines.push('No automatic fix: the text is shared by a YAML anchor.');
    else if (finding.message.endsWith(TEMPLATE_NO_FIX)) lines.push('No automatic fix in a Helm template.');
  }
  return lines.join('\n');
}

/**
 * Up to the first full stop that ends a sentence: followed by a space and a capital letter, outside double quotes
 * (names from the manifest are quoted and may hold anything).
 */
export function firstSentence(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (character === '"') quoted = !quoted;
    else if (character === '.' && !quoted && text[i + 1] === ' ' && /[A-Z]/.test(text[i + 2] ?? '')) {
      return text.slice(0, i + 1);
    }
  }
  return text;
}
