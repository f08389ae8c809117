// Fault modes the server can inject (issue 7 "Cluster faults"), switchable at run time.

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
] as const;

export type FaultMode = (typeof faultModes)[number];

export function isFaultMode(value: string): value is FaultMode {
  return (faultModes as readonly string[]).includes(value);
}

/** How long `latency` holds each response: beyond any sane client timeout. */
export const latencyMs = 60_000;
/** How long a watch lives under `watch-drop` before the server closes it. */
export const watchDropMs = 500;
