// The bearer tokens a kubeconfig's users present (`users[].user.token`), located by parsing it as YAML. Only files
// that are kubeconfigs by name, or YAML files saying `kind: Config`, are parsed: a .env file or a log never is.
// Read with the hardened manifest reader, as client-go reads a kubeconfig: aliases and merge keys followed (from the
// one-walk alias map), the last of duplicate keys wins, and an alias bomb is refused rather than expanded.
import { isMap } from 'yaml';
import { getMap, getScalar, getSeq, getString, parseYaml, seqMaps } from '../manifests/nodes';

/** `~/.kube/config`, `kubeconfig`, `ci.kubeconfig`, `kubeconfig-prod.yaml`: the names kubeconfigs go by. */
const KUBECONFIG_NAME = /(^|[\\/])\.kube[\\/]config$|kubeconfig[^\\/]*$/i;
const YAML_NAME = /\.ya?ml$/i;
/** clientcmd's `kind: Config` (k8s.io/client-go/tools/clientcmd/api/v1 Config), at the top level of the file. */
const KIND_CONFIG = /^kind:[ \t]*(["']?)Config\1[ \t]*(#.*)?\r?$/m;

export interface KubeconfigUserToken {
  /** The token's scalar, quotes included (UTF-16 offsets into the text). */
  start: number;
  end: number;
  /** `users[].name`, when it is a string. */
  user: string | undefined;
}

/**
 * Whether `text` is a kubeconfig: its name says so, or it is YAML (by its name, or `yaml` when an editor knows the
 * language of an unnamed document) with a top-level `kind: Config`.
 */
export function isKubeconfig(fileName: string | undefined, text: string, yaml = false): boolean {
  if (fileName !== undefined && KUBECONFIG_NAME.test(fileName)) return true;
  return (yaml || (fileName !== undefined && YAML_NAME.test(fileName))) && KIND_CONFIG.test(text);
}

/**
 * Every `users[].user.token` scalar of a kubeconfig (each YAML document of the file; broken ones as far as they parse),
 * in text order. A token reached through an alias or a merge key is its anchor's scalar: users sharing it are listed
 * in document order at that scalar.
 */
export function kubeconfigUserTokens(text: string): KubeconfigUserToken[] {
  const found: KubeconfigUserToken[] = [];
  for (const doc of parseYaml(text)) {
    if (!isMap(doc.contents)) continue;
    const users = getSeq(doc, doc.contents, 'users');
    if (!users) continue;
    for (const { node: entry } of seqMaps(doc, users.node)) {
      const user = getMap(doc, entry, 'user');
      const token = user && getScalar(doc, user.node, 'token')?.node;
      if (!token || typeof token.value !== 'string' || !token.range) continue;
      found.push({ start: token.range[0], end: token.range[1], user: getString(doc, entry, 'name') });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
