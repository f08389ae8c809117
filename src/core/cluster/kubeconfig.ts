// A kubeconfig for one ServiceAccount: the current context's cluster (server, CA) and a token, with its expiry in a
// comment. Opened as an untitled document by the extension; never written anywhere by us.
import { stringify } from 'yaml';
import { printable } from '../printable';

export interface ServiceAccountKubeconfigInput {
  cluster: {
    name: string;
    server: string;
    certificateAuthorityData?: string;
    insecureSkipTlsVerify: boolean;
    tlsServerName?: string;
  };
  namespace: string;
  serviceAccount: string;
  token: string;
  /** null: a legacy token Secret's token, which never expires. */
  expiresAt: Date | null;
  /** How the token was made, for the header: `TokenRequest (1h, audience …)` or `token Secret ns/name`. */
  source: string;
}

export function serviceAccountKubeconfig(input: ServiceAccountKubeconfigInput): string {
  const user = `${input.namespace}-${input.serviceAccount}`;
  const context = `${user}@${input.cluster.name}`;
  const cluster = {
    server: input.cluster.server,
    ...(input.cluster.certificateAuthorityData
      ? { 'certificate-authority-data': input.cluster.certificateAuthorityData }
      : {}),
    ...(input.cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(input.cluster.tlsServerName ? { 'tls-server-name': input.cluster.tlsServerName } : {}),
  };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: input.cluster.name, cluster }],
    users: [{ name: user, user: { token: input.token } }],
    contexts: [{ name: context, context: { cluster: input.cluster.name, user, namespace: input.namespace } }],
    'current-context': context,
  };
  const header = [
    `# kubeconfig for ServiceAccount ${input.namespace}/${input.serviceAccount}, made by SA Token Inspector.`,
    `# Token: ${input.source}.`,
    input.expiresAt
      ? `# Expires: ${input.expiresAt.toISOString()} — request a new one then (TokenRequest tokens cannot be renewed).`
      : '# Expires: never — a legacy token Secret; delete the Secret to revoke it.',
    '# This document holds a credential: save it only where credentials belong, or close it without saving.',
  ]
    .map((line) => printable(line))
    .join('\n');
  return `${header}\n${stringify(config)}`;
}
