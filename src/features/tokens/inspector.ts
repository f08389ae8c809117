// Decodes a located token and asks the signature judge of this host (desktop: key files and the connected cluster's
// keys; web worker: none) for its verdict.
import { inspectMatch, isTokenError } from '../../core/tokens/inspect';
import type { TokenError, TokenMatch } from '../../core/tokens/types';
import type { DisplayedToken } from './display';
import type { SignatureVerdict } from './signature';

/** The signature verdict on a compact JWT. */
export type SignatureJudge = (jwt: string) => Promise<SignatureVerdict>;

export class TokenInspector {
  constructor(private readonly judge: SignatureJudge) {}

  async inspect(match: TokenMatch): Promise<DisplayedToken | TokenError> {
    const report = inspectMatch(match);
    if (isTokenError(report)) return report;
    const verdict = await this.judge(match.jwt);
    return { report: { ...report, signature: verdict.signature }, clusterNote: verdict.clusterNote };
  }
}
