// Fault modes the server can inject (issue 7 "Cluster faults", issue 12 throttling and compaction), switchable at
// run time.
import type { ServerResponse } from 'node:http';
import type { RequestInfo } from './request-info';
import { tooManyRequests } from './status';

export const faultModes = [
  'latency',
  'reset-mid-list',
  'unauthorized',
  'forbid-secrets',
  'no-tokenrequest',
  'no-jwks',
  'server-error',
  'malformed-json',
  'token-controller-stuck',
  'watch-drop',
  'too-many-requests',
  'throttle-secrets',
  'expired-continue',
] as const;

export type FaultMode = (typeof faultModes)[number];

export function isFaultMode(value: string): value is FaultMode {
  return (faultModes as readonly string[]).includes(value);
}

/** How long `latency` holds each response: beyond any sane client timeout. */
export const latencyMs = 60_000;
/** How long a watch lives under `watch-drop` before the server closes it. */
export const watchDropMs = 500;
/** `too-many-requests`: the seats of the one priority level, as API Priority and Fairness has per level. */
export const throttleSeats = 3;
/** The Retry-After APF sends. */
const retryAfterSeconds = 1;

interface ThrottleState {
  fault: FaultMode | null;
  inFlight: number;
  /** 429 answers sent, for tests. */
  throttled: number;
}

/**
 * `too-many-requests`: more than `throttleSeats` resource requests at once get 429 with Retry-After (APF with no
 * queue room; watches are long-running and hold no seat). `throttle-secrets`: every request on secrets does.
 */
export function throttle(state: ThrottleState, info: RequestInfo, response: ServerResponse): void {
  const reject = () => {
    state.throttled++;
    return tooManyRequests(retryAfterSeconds);
  };
  if (state.fault === 'throttle-secrets' && info.resource === 'secrets') throw reject();
  if (state.fault !== 'too-many-requests' || info.verb === 'watch') return;
  if (state.inFlight >= throttleSeats) throw reject();
  state.inFlight++;
  response.once('close', () => state.inFlight--);
}
