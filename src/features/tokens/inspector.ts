// Decodes a located token and judges its signature with the user's key files and the connected cluster's keys.
import { inspectMatch, isTokenError } from '../../core/tokens/inspect';
import type { TokenError, TokenMatch } from '../../core/tokens/types';
import type { FeatureContext } from '../shared/context';
import type { DisplayedToken } from './display';
import type { KeyFileCache } from './keyFiles';
import { judgeSignature } from './signature';

export class TokenInspector {
  constructor(
    private readonly context: FeatureContext,
    private readonly keyFiles: KeyFileCache,
  ) {}

  async inspect(match: TokenMatch): Promise<DisplayedToken | TokenError> {
    const report = inspectMatch(match);
    if (isTokenError(report)) return report;
    const cluster = this.context.config.verifyWithCluster ? await this.context.services.clusterKeys.get() : undefined;
    const verdict = await judgeSignature(match.jwt, await this.keyFiles.keys(), cluster);
    return { report: { ...report, signature: verdict.signature }, clusterNote: verdict.clusterNote };
  }
}
