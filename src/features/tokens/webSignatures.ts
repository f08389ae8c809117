// The web worker's signature judge: nothing is checked (key files are local files and cluster keys come through
// the kubeconfig, both desktop-only), so every report keeps "decoded, signature not checked".
import type { FeatureContext } from '../shared/context';
import type { SignatureJudge } from './inspector';

export function uncheckedSignatures(context: FeatureContext): SignatureJudge {
  let told = false;
  return async () => {
    if (!told && context.config.keyFiles.length > 0) {
      told = true;
      const message =
        'Signatures are not checked in the browser: saToken.verification.keyFiles is read only by VS Code on the desktop.';
      context.log.info(message);
      void context.showInformationMessage(message);
    }
    return { signature: { checked: false }, clusterNote: undefined };
  };
}
