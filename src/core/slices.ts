// Runs a long computation written as a generator of small steps in slices of at most about `budgetMs`, yielding to
// the event loop between slices: the extension host is shared by every extension, so linting a 10 MB file must never
// hold it longer than one slice (bench: web_host_max_block_ms). The result is the generator's return value, exactly
// as running it at once would give.

export interface SliceOptions {
  /** Time one slice may take before it yields (a step in progress always finishes). */
  budgetMs?: number;
  /** Checked between slices: true abandons the work (a newer version of the input arrived). */
  cancelled?: () => boolean;
  /** Hears each slice's duration (the bench's measure of the longest block). */
  onSlice?: (milliseconds: number) => void;
}

/** Resolves with the generator's result, or undefined when cancelled. */
export async function runInSlices<T>(steps: Iterator<unknown, T>, options: SliceOptions = {}): Promise<T | undefined> {
  const { budgetMs = 8, cancelled = () => false, onSlice } = options;
  for (;;) {
    if (cancelled()) return undefined;
    const started = performance.now();
    let step: IteratorResult<unknown, T>;
    do step = steps.next();
    while (!step.done && performance.now() - started < budgetMs);
    onSlice?.(performance.now() - started);
    if (step.done) return step.value;
    await nextTurn();
  }
}

/** Lets everything else queued on the event loop run first (timers, I/O, other extensions' requests). */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
