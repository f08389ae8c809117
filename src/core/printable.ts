// Untrusted text (token claims, names from manifests and clusters, file names) made safe to print on one line of a
// terminal or CI log. The one helper for every interpolated string in the CLI's text output; JSON and SARIF output
// stay exact: inertJson writes the same JSON value with nothing a terminal acts on.

/** Control characters (line breaks, terminal escape sequences, C1 CSI) and bidi overrides, which could make text
 * rewrite the terminal, start a new log line or read differently from what it is. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;
/** A GitHub Actions workflow command (`::error …`, `::add-mask::`, `::stop-commands::`) is any line that starts
 * with `::` after leading whitespace. */
const WORKFLOW_COMMAND = /^(\s*):/;

/** One line: every run of control or bidi characters becomes one space. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, ' ');
}

/** A whole output line that may begin with untrusted text: printable, and never read as a workflow command (the
 * first `:` of a leading `::` is backslash-escaped). */
export function printableLine(line: string): string {
  const flat = printable(line);
  return /^\s*::/.test(flat) ? flat.replace(WORKFLOW_COMMAND, '$1\\:') : flat;
}

/** `JSON.stringify(value, null, indent)`, with the characters JSON leaves raw but terminals and editors act on
 * (DEL, C1 controls, bidi overrides, line separators) written as \\u escapes: the same JSON value, inert. */
export function inertJson(value: unknown, indent: number = 2): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
