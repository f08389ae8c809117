// Rule SAT202 (info): application code that reads a service account token once at start-up and keeps it — a
// module-level read, a Go init()/main() read kept in a package variable, a constructor or a Java field initializer —
// while projected tokens rotate. Works on a tree-sitter syntax tree (the caller parses), so strings, comments and
// scopes are what the language says they are; a read inside any other function (per request) is not flagged.
// Limits (README): one file at a time; a path built at run time, passed between functions or read through a
// wrapper of one's own is not followed.
import { printable } from '../printable';

/** The part of a tree-sitter node this rule reads (web-tree-sitter's Node satisfies it). */
export interface SyntaxNode {
  type: string;
  text: string;
  startIndex: number;
  endIndex: number;
  parent: SyntaxNode | null;
  namedChildren: (SyntaxNode | null)[];
  childForFieldName(name: string): SyntaxNode | null;
}

export type CodeLanguage = 'python' | 'go' | 'javascript' | 'typescript' | 'tsx' | 'java' | 'bash';

export interface TokenReadFinding {
  rule: 'SAT202';
  severity: 'info';
  start: number;
  end: number;
  message: string;
  /** What was read: a file path (literal, or the env var holding it) or a token env var. */
  source: { kind: 'file'; path?: string; env?: string } | { kind: 'env'; name: string };
}

export interface TokenReadOptions {
  /** Env var names the workspace's manifests feed from token Secrets (besides KUBE_TOKEN-style names). */
  tokenEnvNames?: readonly string[];
}

/** A projected or mounted token file: under /var/run/secrets/, named like a token. */
const TOKEN_PATH = /^\/var\/run\/secrets\/[^\s'"]*token[^/\s'"]*$/i;
/** Env vars holding a token, and env vars holding the path of a token file. */
const TOKEN_ENV = /^(KUBE|K8S|KUBERNETES)(_API)?(_SERVER)?_TOKEN$|^(SA|SERVICE_?ACCOUNT)_TOKEN$/i;
const TOKEN_FILE_ENV = /_TOKEN_(FILE|PATH)$/i;

interface LanguageRules {
  strings: ReadonlySet<string>;
  calls: ReadonlySet<string>;
  functions: ReadonlySet<string>;
  loops: ReadonlySet<string>;
  /** Callee names that read a file given (as argument or receiver) a path. */
  readers: ReadonlySet<string>;
  /** Callee names that read an env var given its name as the first argument. */
  envReaders: ReadonlySet<string>;
  /** Bindings name → value: [node type, name field, value field]. */
  bindings: readonly [string, string, string][];
  /** Why a read in this function still happens once (init, constructor…); undefined: per call. */
  onceIn(fn: SyntaxNode, read: SyntaxNode): string | undefined;
  topLevel: string;
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);
const nameOf = (node: SyntaxNode): string | undefined => node.childForFieldName('name')?.text;

const JS: LanguageRules = {
  strings: set('string', 'template_string'),
  calls: set('call_expression', 'new_expression'),
  functions: set(
    'function_declaration',
    'function_expression',
    'function',
    'arrow_function',
    'method_definition',
    'generator_function_declaration',
  ),
  loops: set('for_statement', 'for_in_statement', 'while_statement', 'do_statement'),
  readers: set('readFileSync', 'readFile'),
  envReaders: set(),
  bindings: [['variable_declarator', 'name', 'value']],
  onceIn: (fn) => (fn.type === 'method_definition' && nameOf(fn) === 'constructor' ? 'in a constructor' : undefined),
  topLevel: 'at module top level',
};

const RULES: Record<CodeLanguage, LanguageRules> = {
  python: {
    strings: set('string'),
    calls: set('call'),
    functions: set('function_definition', 'lambda'),
    loops: set('for_statement', 'while_statement'),
    readers: set('open', 'read_text', 'read_bytes'),
    envReaders: set('getenv', 'get'),
    bindings: [['assignment', 'left', 'right']],
    onceIn: (fn) => (nameOf(fn) === '__init__' ? 'in __init__' : undefined),
    topLevel: 'at module level',
  },
  go: {
    strings: set('interpreted_string_literal', 'raw_string_literal'),
    calls: set('call_expression'),
    functions: set('function_declaration', 'method_declaration', 'func_literal'),
    loops: set('for_statement'),
    readers: set('ReadFile', 'Open'),
    envReaders: set('Getenv', 'LookupEnv'),
    bindings: [
      ['const_spec', 'name', 'value'],
      ['var_spec', 'name', 'value'],
      ['short_var_declaration', 'left', 'right'],
    ],
    onceIn: (fn, read) => {
      const name = nameOf(fn);
      if (fn.type !== 'function_declaration') return undefined;
      if (name === 'init') return 'in init()';
      return name === 'main' && assignsPackageVariable(read) ? 'in main(), kept in a package variable' : undefined;
    },
    topLevel: 'in a package-level variable',
  },
  javascript: JS,
  typescript: JS,
  tsx: JS,
  java: {
    strings: set('string_literal'),
    calls: set('method_invocation', 'object_creation_expression'),
    functions: set('method_declaration', 'constructor_declaration', 'lambda_expression'),
    loops: set('for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement'),
    readers: set(
      'readString',
      'readAllBytes',
      'readAllLines',
      'lines',
      'newBufferedReader',
      'FileReader',
      'FileInputStream',
    ),
    envReaders: set('getenv'),
    bindings: [['variable_declarator', 'name', 'value']],
    onceIn: (fn) => (fn.type === 'constructor_declaration' ? 'in a constructor' : undefined),
    topLevel: 'in a field initializer',
  },
  bash: {
    strings: set('string', 'raw_string', 'word'),
    calls: set('command'),
    functions: set('function_definition'),
    loops: set('while_statement', 'for_statement', 'c_style_for_statement'),
    readers: set('cat', 'head'),
    envReaders: set(),
    bindings: [['variable_assignment', 'name', 'value']],
    onceIn: () => undefined,
    topLevel: 'at the top of the script',
  },
};

/** Cheap pre-check on the raw text, so files without a token path or token env var are never parsed. */
export function mayReadToken(text: string, options: TokenReadOptions = {}): boolean {
  return (
    text.includes('/var/run/secrets/') ||
    /\b((KUBE|K8S|KUBERNETES)(_API)?(_SERVER)?|SA|SERVICE_?ACCOUNT)_TOKEN\b|_TOKEN_(FILE|PATH)\b/i.test(text) ||
    (options.tokenEnvNames ?? []).some((name) => text.includes(name))
  );
}

export function findTokenReads(
  root: SyntaxNode,
  language: CodeLanguage,
  options: TokenReadOptions = {},
): TokenReadFinding[] {
  const rules = RULES[language];
  const envNames = new Set(options.tokenEnvNames ?? []);
  const isTokenEnv = (name: string) => TOKEN_ENV.test(name) || envNames.has(name);
  const nodes = descendants(root);
  // Names bound to a token path (a constant, or the value of a *_TOKEN_FILE env var).
  const pathNames = new Map<string, TokenReadFinding['source']>();
  const tokenPath = (node: SyntaxNode | null): TokenReadFinding['source'] | undefined => {
    if (!node) return undefined;
    const literal = stringValue(node, rules);
    if (literal !== undefined) return TOKEN_PATH.test(literal) ? { kind: 'file', path: literal } : undefined;
    if (node.type === 'identifier' || node.type === 'variable_name') return pathNames.get(node.text);
    const env = envRead(node, rules);
    if (env && TOKEN_FILE_ENV.test(env)) return { kind: 'file', env };
    if (language === 'bash' && (node.type === 'simple_expansion' || node.type === 'expansion'))
      return pathNames.get(node.text.replace(/^\$\{?|\}$/g, ''));
    if (node.type === 'string' || node.type === 'concatenation' || node.type === 'parenthesized_expression')
      return node.namedChildren.length === 1 ? tokenPath(node.namedChildren[0]) : undefined;
    return undefined;
  };
  for (const node of nodes) {
    for (const [type, nameField, valueField] of rules.bindings) {
      if (node.type !== type) continue;
      const name = node.childForFieldName(nameField);
      const value = firstValue(node.childForFieldName(valueField));
      const source = tokenPath(value);
      if (name && source && /^[A-Za-z_$][\w$]*$/.test(name.text)) pathNames.set(name.text, source);
    }
  }

  const findings: TokenReadFinding[] = [];
  const reported = new Set<number>();
  const report = (read: SyntaxNode, source: TokenReadFinding['source']) => {
    const kept = keptWhere(read, rules, language);
    if (!kept || reported.has(read.startIndex)) return;
    reported.add(read.startIndex);
    findings.push({
      rule: 'SAT202',
      severity: 'info',
      start: read.startIndex,
      end: read.endIndex,
      message: message(source, kept),
      source,
    });
  };
  for (const node of nodes) {
    if (rules.calls.has(node.type)) {
      const callee = calleeName(node);
      if (callee && rules.readers.has(callee)) {
        const source = readArguments(node, language).map(tokenPath).find(Boolean);
        if (source) report(node, source);
      }
    }
    if (language === 'bash' && node.type === 'file_redirect') {
      const source = tokenPath(node.childForFieldName('destination') ?? node.namedChildren.at(-1) ?? null);
      if (source) report(node, source);
    }
    const env = envRead(node, rules);
    if (env && isTokenEnv(env) && !TOKEN_FILE_ENV.test(env)) report(node, { kind: 'env', name: env });
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** Where a read happens once: a reason ("at module level"), or undefined when it runs per call or per loop turn. */
function keptWhere(read: SyntaxNode, rules: LanguageRules, language: CodeLanguage): string | undefined {
  for (let node = read.parent; node; node = node.parent) {
    if (rules.loops.has(node.type)) return undefined;
    if (rules.functions.has(node.type)) return rules.onceIn(node, read);
  }
  if (language === 'bash') return keptShellVariable(read);
  return rules.topLevel;
}

/** A shell script reading the token into a variable once is fine unless a loop keeps using it. */
function keptShellVariable(read: SyntaxNode): string | undefined {
  let assignment: SyntaxNode | null = read;
  while (assignment && assignment.type !== 'variable_assignment') assignment = assignment.parent;
  const name = assignment?.childForFieldName('name')?.text;
  if (!assignment || !name) return undefined;
  let root: SyntaxNode = assignment;
  while (root.parent) root = root.parent;
  const uses = new RegExp(`\\$\\{?${name}\\b`);
  const loop = descendants(root).find(
    (node) =>
      (node.type === 'while_statement' || node.type === 'for_statement' || node.type === 'c_style_for_statement') &&
      node.startIndex > assignment!.endIndex &&
      uses.test(node.text),
  );
  return loop ? `at the top of the script and used in the loop "${loop.text.split('\n')[0].slice(0, 40)}"` : undefined;
}

/** File text in a message: one line, no control or bidi characters, bounded. */
const shown = (text: string): string => printable(text).slice(0, 120);

function message(source: TokenReadFinding['source'], where: string): string {
  const advice =
    'Projected tokens rotate (the kubelet renews the file, about every hour), so requests start failing with 401 once the kept copy expires. ' +
    "Read the file on each request (or at least every few minutes), or use your Kubernetes client library's in-cluster configuration, which reloads it.";
  if (source.kind === 'env')
    return (
      `The token comes from environment variable ${shown(source.name)}, read ${shown(where)}: an environment variable never changes while the process runs. ` +
      'Mount a projected token and read the file on each request instead (rule SAT001 rewrites the Secret read into one).'
    );
  const what = source.path ? `Token file ${shown(source.path)}` : `The token file named by ${shown(source.env ?? '')}`;
  return `${what} is read ${shown(where)} and kept. ${advice}`;
}

// ---- tree helpers ----

function descendants(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (let i = node.namedChildren.length - 1; i >= 0; i--) {
      const child = node.namedChildren[i];
      if (child) stack.push(child);
    }
  }
  return out;
}

/** The content of a string literal without quotes or prefixes; undefined for anything else or interpolated text. */
function stringValue(node: SyntaxNode, rules: LanguageRules): string | undefined {
  if (!rules.strings.has(node.type)) return undefined;
  if (node.type === 'word') return node.text;
  const text = node.text;
  if (/\$\{|\$\(|[{}]/.test(text) && node.type !== 'raw_string' && node.type !== 'raw_string_literal') {
    // Template literals, f-strings and shell strings with expansions are built at run time.
    if (node.type === 'template_string' || /^[fF]/.test(text) || text.includes('$')) return undefined;
  }
  const quoted = /^[rRbBuU]{0,2}("""|'''|["'`])([\s\S]*)\1$/.exec(text);
  return quoted ? quoted[2] : undefined;
}

/** A binding's value: Go lists (expression_list), JS/Java single values. */
function firstValue(node: SyntaxNode | null): SyntaxNode | null {
  if (node?.type === 'expression_list' && node.namedChildren.length === 1) return node.namedChildren[0];
  return node;
}

function calleeName(call: SyntaxNode): string | undefined {
  if (call.type === 'command') return call.childForFieldName('name')?.text;
  if (call.type === 'method_invocation') return call.childForFieldName('name')?.text;
  if (call.type === 'object_creation_expression' || call.type === 'new_expression') {
    const type = call.childForFieldName('type') ?? call.childForFieldName('constructor');
    return type?.text.split('.').pop();
  }
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const last =
    fn.childForFieldName('attribute') ?? fn.childForFieldName('property') ?? fn.childForFieldName('field') ?? fn;
  return last.text.split('.').pop();
}

/** What a read call reads: its arguments, and its receiver (Path(P).read_text(), Files.readString(Path.of(P))). */
function readArguments(call: SyntaxNode, language: CodeLanguage): SyntaxNode[] {
  if (language === 'bash') return call.namedChildren.filter((child): child is SyntaxNode => !!child).slice(1);
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const receiver = call.childForFieldName('function')?.childForFieldName('object') ?? call.childForFieldName('object');
  const nested = (node: SyntaxNode | null | undefined): SyntaxNode[] => {
    if (!node) return [];
    // One level of wrapping: Path(P), Paths.get(P), Path.of(P), new File(P), os.path.join is not followed.
    const inner = node.childForFieldName('arguments')?.namedChildren ?? [];
    return [node, ...inner.filter((child): child is SyntaxNode => !!child)];
  };
  return [...args.flatMap((arg) => nested(arg)), ...nested(receiver)];
}

/** The name of the env var a node reads, if it is an env read: os.getenv("X"), os.environ["X"], process.env.X,
 * os.Getenv("X"), System.getenv("X"). */
function envRead(node: SyntaxNode, rules: LanguageRules): string | undefined {
  const literal = (n: SyntaxNode | null | undefined) => (n ? stringValue(n, rules) : undefined);
  if (rules.calls.has(node.type)) {
    const callee = calleeName(node);
    if (!callee || !rules.envReaders.has(callee)) return undefined;
    const receiver =
      node.childForFieldName('function')?.childForFieldName('object') ?? node.childForFieldName('object');
    if (callee === 'get' && !/environ$/.test(receiver?.text ?? '')) return undefined;
    if (callee === 'getenv' && receiver && !/^(os|System)$/.test(receiver.text)) return undefined;
    return literal(node.childForFieldName('arguments')?.namedChildren[0]);
  }
  if (node.type === 'subscript' && /(^|\.)environ$/.test(node.childForFieldName('value')?.text ?? ''))
    return literal(node.childForFieldName('subscript'));
  if (node.type === 'member_expression' && node.childForFieldName('object')?.text === 'process.env')
    return node.childForFieldName('property')?.text;
  if (node.type === 'subscript_expression' && node.childForFieldName('object')?.text === 'process.env')
    return literal(node.childForFieldName('index'));
  return undefined;
}

/** Go: the read's value lands in a variable declared at package level (`token = …` in main). */
function assignsPackageVariable(read: SyntaxNode): boolean {
  let assignment: SyntaxNode | null = read.parent;
  while (assignment && assignment.type !== 'assignment_statement') {
    if (assignment.type === 'block') return false;
    assignment = assignment.parent;
  }
  const left = assignment
    ?.childForFieldName('left')
    ?.text.split(',')
    .map((name) => name.trim());
  if (!left) return false;
  let root: SyntaxNode = assignment!;
  while (root.parent) root = root.parent;
  const packageVariables = root.namedChildren
    .filter((child): child is SyntaxNode => child?.type === 'var_declaration')
    .flatMap((declaration) => descendants(declaration).filter((node) => node.type === 'var_spec'))
    .flatMap((spec) => spec.childForFieldName('name')?.text ?? []);
  return left.some((name) => packageVariables.includes(name));
}
