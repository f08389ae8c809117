// `sa-token explain`: recognises Kubernetes auth errors in a message or a whole log and says what to do next.
import type { Command } from 'commander';
import { inertJson, printable, printableLine } from '../core/printable';
import type { AuthErrorExplanation } from '../core/troubleshoot/authErrors';
import { loadCommands } from './commands';
import { EXIT_FINDINGS, readStdin, UsageError } from './io';

interface ExplainOptions {
  json?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description(
      'Explain Kubernetes authentication/authorization errors (Forbidden, Unauthorized, invalid bearer token, audience, cloud identity) in a message or a log.',
    )
    .argument('[text]', 'the error message, or - to read stdin (the default when stdin is piped; a whole log is fine)')
    .option(
      '--json',
      'print a JSON array: line, kind, serviceAccount, verb, resource, apiGroup, namespace, message, next',
    )
    .action(async (text: string | undefined, options: ExplainOptions) => {
      const explanations = loadCommands().explainAuthErrors(await readText(text));
      process.stdout.write(options.json ? `${inertJson(explanations.map(jsonShape))}\n` : humanText(explanations));
      if (explanations.length === 0) process.exitCode = EXIT_FINDINGS;
    });
}

async function readText(argument: string | undefined): Promise<string> {
  if (argument !== undefined && argument !== '-') return argument;
  if (argument === undefined && process.stdin.isTTY)
    throw new UsageError('no text given: pass the error message as an argument, or pipe a log on stdin');
  return readStdin();
}

const jsonShape = (explanation: AuthErrorExplanation) => ({
  line: explanation.line,
  kind: explanation.kind,
  serviceAccount: explanation.serviceAccount,
  verb: explanation.verb,
  resource: explanation.resource,
  apiGroup: explanation.apiGroup,
  namespace: explanation.namespace,
  message: explanation.message,
  next: explanation.next,
});

function humanText(explanations: AuthErrorExplanation[]): string {
  if (explanations.length === 0) return 'No Kubernetes authentication or authorization error recognised.\n';
  const blocks = explanations.map((explanation) => {
    const lines = [
      `line ${explanation.line}: ${explanation.title} [${explanation.kind}]`,
      `  ${printable(explanation.message)}`,
      `  ${explanation.meaning}`,
    ];
    if (explanation.serviceAccount)
      lines.push(`  ServiceAccount: ${explanation.serviceAccount.namespace}/${explanation.serviceAccount.name}`);
    lines.push('  Likely causes:', ...explanation.causes.map((cause, index) => `    ${index + 1}. ${cause}`));
    lines.push('  Next:', ...explanation.next.map((step) => `    $ ${step}`));
    // Names and messages come from pasted logs: one printable line each.
    return lines.map(printableLine).join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
