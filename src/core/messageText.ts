// Text for VS Code notifications and dialogs. VS Code turns `[label](target)` in a notification's text into a link
// and opens `command:` targets with their arguments, so text holding anything from outside (names from manifests
// or clusters, API server messages, claims) must never form that syntax. No vscode import: unit-tested.
import { printable } from './printable';

/** `[label](https://…)`, `[label](command:…)`, `[label](file:…)`: what VS Code's linked-text parser looks for is a
 * `]` directly followed by `(`; a space between them leaves the text as it reads, inert. */
const LINK_JOIN = /\]\s*\(/g;

/** One line of notification text in which nothing can become a link. Applied to the whole message (constant and
 * untrusted parts alike): our own messages never contain links, so nothing is lost. */
export function inertMessage(text: string): string {
  return printable(text).replace(LINK_JOIN, '] (');
}
