// Combines the user's key files and the connected cluster's keys into one signature verdict plus, when it adds
// something, a sentence about the cluster. No vscode import: unit-tested with real keys.
import type { SignatureResult } from '../../core/tokens/types';
import type { VerificationKey } from '../../core/tokens/verify';
import { loadVerify } from '../../verifyLoader';
import type { ClusterKeys } from '../shared/clusterKeys';

export interface SignatureVerdict {
  /** What the report shows: a match with either key set wins; otherwise why neither verifies it. */
  signature: SignatureResult;
  /** e.g. "Cluster prod: could not check: forbidden (403)." Only what the signature line does not say already.
   * Plain text; escape before rendering as markdown. */
  clusterNote: string | undefined;
}

/** Whose keys the user's key files are, in reasons ("not signed by any key of your key files"). */
export const KEY_FILES = 'your key files';

export async function judgeSignature(
  jwt: string,
  fileKeys: VerificationKey[],
  cluster: ClusterKeys | undefined,
): Promise<SignatureVerdict> {
  const { verifySignature } = loadVerify();
  const fromFiles = await verifySignature(jwt, fileKeys, KEY_FILES);
  if (!cluster) return { signature: fromFiles, clusterNote: undefined };
  if ('unavailable' in cluster) {
    return {
      signature: fromFiles,
      clusterNote: `Cluster ${cluster.context}: could not check: ${cluster.unavailable}.`,
    };
  }
  if (cluster.keys.length === 0)
    return {
      signature: fromFiles,
      clusterNote: `Cluster ${cluster.context}: could not check: it published no signing keys.`,
    };
  const fromCluster = await verifySignature(jwt, cluster.keys, `cluster ${cluster.context}`);
  if (isValid(fromFiles)) {
    const note = isValid(fromCluster)
      ? `Cluster ${cluster.context} verifies it too.`
      : `Not signed by any key of cluster ${cluster.context}: the token is from another cluster.`;
    return { signature: fromFiles, clusterNote: note };
  }
  if (isValid(fromCluster) || !fromFiles.checked) return { signature: fromCluster, clusterNote: undefined };
  // Neither verifies it: one reason, the cluster's first (it is the one that matters), naming the key files too
  // unless the reason lies in the token itself (unsigned, a shared secret) and so is the same for both.
  const reason =
    fromCluster.checked && fromFiles.checked && fromCluster.reason !== fromFiles.reason
      ? `${fromCluster.reason ?? 'no key matched'}; ${KEY_FILES} do not verify it either`
      : fromCluster.checked
        ? fromCluster.reason
        : null;
  return { signature: { ...fromCluster, reason } as SignatureResult, clusterNote: undefined };
}

const isValid = (result: SignatureResult): boolean => result.checked && result.valid;
