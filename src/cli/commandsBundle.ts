// Entry of dist/cli-commands.js (see commands.ts): what the lint, fix, explain and signature-checking paths load,
// and the RBAC and doctor commands whole.
export { fixAll } from '../core/manifests/fix';
export { analyzeManifest, isTemplate } from '../core/manifests/lint';
export { explainAuthErrors } from '../core/troubleshoot/authErrors';
export { parseKeys, verifySignature } from '../core/tokens/verify';
export { lintCode } from './codeFindings';
export { kindInputPaths, leakScanFiles, scanLeaks } from './leaks';
export { readLintInputs, readManifests, reportUnreadable } from './manifestFiles';
export { sarif } from './sarif';
export { analyzeCluster } from '../core/report/analyze';
export { runFleet } from '../core/report/fleet';
export { reportHtml } from '../core/report/html';
export { reportMarkdown, reportText } from '../core/report/text';
export { registerDoctor } from './doctor';
export { registerCanI, registerRbac, registerWhoCan } from './rbac';
export { unifiedDiff } from './unifiedDiff';
