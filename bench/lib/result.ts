// What each metric reports, how it compares with its target, and how `pending` is expressed.

export type Target = { atMost: number } | { atLeast: number } | { equals: boolean } | { report: true };

export interface MetricResult {
  key: string;
  /** null when the metric could not be measured (`pending` says why). */
  value: number | boolean | null;
  target: Target;
  unit?: string;
  /** Absolute figures behind the value, for context (e.g. "lint 5.1 s vs parse 4.2 s"). */
  absolute: string;
  details: Record<string, unknown>;
  /** Why the value is null. */
  pending?: string;
  /** The measurement ran but its output was wrong (e.g. fixed text that no longer parses). */
  invalid?: string;
}

export interface BenchContext {
  repoRoot: string;
  quick: boolean;
  /** Progress line on stderr; stdout is kept for the table. */
  log(message: string): void;
}

/** The first line of an error's message, for a pending reason. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

export function pending(key: string, target: Target, reason: string): MetricResult {
  return { key, value: null, target, absolute: '', details: {}, pending: reason };
}

export type Verdict = 'pass' | 'miss' | 'report' | 'pending' | 'invalid';

export function verdict(result: MetricResult): Verdict {
  if (result.invalid) return 'invalid';
  if (result.value === null) return 'pending';
  const { target, value } = result;
  if ('report' in target) return 'report';
  if ('equals' in target) return value === target.equals ? 'pass' : 'miss';
  if ('atLeast' in target) return typeof value === 'number' && value >= target.atLeast ? 'pass' : 'miss';
  return typeof value === 'number' && value <= target.atMost ? 'pass' : 'miss';
}

export function describeTarget(target: Target): string {
  if ('report' in target) return 'report';
  if ('equals' in target) return String(target.equals);
  if ('atLeast' in target) return `≥ ${formatNumber(target.atLeast)}`;
  return `≤ ${formatNumber(target.atMost)}`;
}

/** "miss: 1.85 is 42% over 1.3" — how far off a missed target is. */
export function describeVerdict(result: MetricResult): string {
  const outcome = verdict(result);
  if (outcome === 'pending') return `pending: ${result.pending}`;
  if (outcome === 'invalid') return `INVALID: ${result.invalid}`;
  if (outcome !== 'miss' || typeof result.value !== 'number') return outcome;
  if ('atLeast' in result.target) {
    const under = (1 - result.value / result.target.atLeast) * 100;
    return `MISS by ${formatNumber(result.target.atLeast - result.value)} (${under.toFixed(0)}% under)`;
  }
  if (!('atMost' in result.target)) return outcome;
  const over = (result.value / result.target.atMost - 1) * 100;
  return `MISS by ${formatNumber(result.value - result.target.atMost)} (${over.toFixed(0)}% over)`;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

export const ms = (value: number): string =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${formatNumber(value)} ms`;
