// The bearer tokens a kubeconfig's users present (`users[].user.token`), located by parsing it as YAML. Only files
// that are kubeconfigs by name, or YAML files saying `kind: Config`, are parsed: a .env file or a log never is.
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';

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

/** Every `users[].user.token` scalar of a kubeconfig (each YAML document of the file; broken ones as far as they parse). */
export function kubeconfigUserTokens(text: string): KubeconfigUserToken[] {
  const found: KubeconfigUserToken[] = [];
  for (const document of parseAllDocuments(text)) {
    const users = isMap(document.contents) ? document.contents.get('users', true) : undefined;
    if (!isSeq(users)) continue;
    for (const entry of users.items) {
      if (!isMap(entry)) continue;
      const user = entry.get('user', true);
      const token = isMap(user) ? user.get('token', true) : undefined;
      if (!isScalar(token) || typeof token.value !== 'string' || !token.range) continue;
      const name = entry.get('name');
      found.push({ start: token.range[0], end: token.range[1], user: typeof name === 'string' ? name : undefined });
    }
  }
  return found;
}
