// Runs work for a key (e.g. a document URI) only once input has been quiet for a while. No vscode import: unit-tested.

type Timer = ReturnType<typeof setTimeout>;

export class KeyedDebouncer {
  private readonly pending = new Map<string, Timer>();

  constructor(private readonly delayMs: number) {}

  /** Replaces any pending run for `key` with `run`, due `delayMs` from now. */
  schedule(key: string, run: () => void): void {
    this.cancel(key);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        run();
      }, this.delayMs),
    );
  }

  cancel(key: string): void {
    const timer = this.pending.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.pending.delete(key);
  }

  get size(): number {
    return this.pending.size;
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
