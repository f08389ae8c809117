// Which files are dependency manifests or lock files (rule SAT201), by name alone. Tiny on purpose: the extension
// and the CLI's directory walk use it before loading any parser.
export type DependencyFileKind =
  | 'go.mod'
  | 'go.sum'
  | 'package.json'
  | 'package-lock'
  | 'yarn.lock'
  | 'pnpm-lock'
  | 'requirements'
  | 'pyproject'
  | 'poetry.lock'
  | 'Pipfile.lock'
  | 'pom'
  | 'gradle'
  | 'msbuild'
  | 'Gemfile.lock'
  | 'Cargo.lock';

const BY_NAME: Record<string, DependencyFileKind> = {
  'go.mod': 'go.mod',
  'go.sum': 'go.sum',
  'package.json': 'package.json',
  'package-lock.json': 'package-lock',
  'npm-shrinkwrap.json': 'package-lock',
  'yarn.lock': 'yarn.lock',
  'pnpm-lock.yaml': 'pnpm-lock',
  'pyproject.toml': 'pyproject',
  'poetry.lock': 'poetry.lock',
  'Pipfile.lock': 'Pipfile.lock',
  'pom.xml': 'pom',
  'build.gradle': 'gradle',
  'build.gradle.kts': 'gradle',
  'Directory.Packages.props': 'msbuild',
  'packages.config': 'msbuild',
  'Gemfile.lock': 'Gemfile.lock',
  'Cargo.lock': 'Cargo.lock',
};

/** The kind of dependency file a path names (any folder, either separator), or undefined. */
export function dependencyFileKind(path: string): DependencyFileKind | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (Object.hasOwn(BY_NAME, name)) return BY_NAME[name];
  if (/^requirements[\w.-]*\.(txt|in)$/i.test(name)) return 'requirements';
  if (/\.(cs|fs|vb)proj$/i.test(name)) return 'msbuild';
  return undefined;
}

/** Glob for editors' document selectors and file watchers, the same names as above. */
export const DEPENDENCY_FILE_GLOB =
  '**/{go.mod,go.sum,package.json,package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,pyproject.toml,poetry.lock,Pipfile.lock,requirements*.txt,requirements*.in,pom.xml,build.gradle,build.gradle.kts,*.csproj,*.fsproj,*.vbproj,Directory.Packages.props,packages.config,Gemfile.lock,Cargo.lock}';
