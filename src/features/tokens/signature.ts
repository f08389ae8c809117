// Combines the user's key files and the connected cluster's keys into one signature verdict plus a sentence about the
// cluster. No vscode import: unit-tested with real keys.
import type { SignatureResult } from '../../core/tokens/types';
import type { VerificationKey } from '../../core/tokens/verify';
import { loadVerify } from '../../verifyLoader';
import type { ClusterKeys } from '../shared/clusterKeys';

export interface SignatureVerdict {
  /** What the report shows: a match with either key set wins; otherwise the key files' verdict, then the cluster's. */
  signature: SignatureResult;
  /** e.g. "Signature verified with a key of cluster kind-dev." Plain text; escape before rendering as markdown. */
  clusterNote: string | undefined;
}

export async function judgeSignature(
  jwt: string,
  fileKeys: VerificationKey[],
  cluster: ClusterKeys | undefined,
): Promise<SignatureVerdict> {
  const { verifySignature } = loadVerify();
  const fromFiles = await verifySignature(jwt, fileKeys);
  if (!cluster) return { signature: fromFiles, clusterNote: undefined };
  if ('unavailable' in cluster) {
    return {
      signature: fromFiles,
      clusterNote: `Cluster ${cluster.context}: could not check: ${cluster.unavailable}.`,
    };
  }
  const fromCluster = await verifySignature(jwt, cluster.keys);
  return { signature: preferred(fromFiles, fromCluster), clusterNote: clusterSentence(cluster.context, fromCluster) };
}

function preferred(fromFiles: SignatureResult, fromCluster: SignatureResult): SignatureResult {
  if (isValid(fromFiles)) return fromFiles;
  if (isValid(fromCluster)) return fromCluster;
  return fromFiles.checked ? fromFiles : fromCluster;
}

const isValid = (result: SignatureResult): boolean => result.checked && result.valid;

function clusterSentence(context: string, result: SignatureResult): string {
  if (!result.checked) return `Cluster ${context}: could not check: it published no signing keys.`;
  if (result.valid) return `Signature verified with a key of cluster ${context}.`;
  return `Not signed by any key of cluster ${context}.`;
}
