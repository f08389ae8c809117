// Token features on VS Code desktop: signatures checked with the user's key files and the connected cluster's keys.
import type { FeatureContext } from '../shared/context';
import { KeyFileCache } from './keyFiles';
import { registerTokenFeaturesWith } from './register';
import { judgeSignature } from './signature';

export function registerTokenFeatures(context: FeatureContext): void {
  const keyFiles = new KeyFileCache(context);
  context.own(keyFiles);
  registerTokenFeaturesWith(context, async (jwt) => {
    const cluster = context.config.verifyWithCluster ? await context.services.clusterKeys.get() : undefined;
    return judgeSignature(jwt, await keyFiles.keys(), cluster);
  });
}
