// The lazily loaded analysis of dependency files (SAT201) and application code (SAT202): bundled as dist/code.js
// with its parsers (TOML, XML, JSON, lock files, tree-sitter), so neither activation nor `sa-token decode` pays
// for them. Loaded through src/codeLoader.ts.
export { lintDependencyFile } from '../core/dependencies/lint';
export { lintSourceFile } from './sources';
export { mountFor, tokenEnvNames, tokenMounts } from '../core/appCode/mounts';
export { changelogOf, CLIENT_LIBRARIES } from '../core/dependencies/libraries';
