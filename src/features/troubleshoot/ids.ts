// Names the activation bundle needs without loading the troubleshooting implementation (dist/troubleshoot.js).

export const EXPLAIN_COMMAND = 'saToken.explainAuthError';
export const DIAGNOSE_COMMAND = 'saToken.diagnose';

/** Arguments of a Diagnose link or button: a target to look up again, never trusted as an object. */
export interface DiagnoseRequest {
  kind: 'ServiceAccount' | 'Pod';
  namespace: string;
  name: string;
  /** "VERB RESOURCE" checks for RBAC. */
  for?: string[];
}
