/**
 * Wakes waiters when something changes (bytes arrived, a connection came
 * in, a process exited). `until` re-checks a condition after every change,
 * so a waiter never misses a state that already holds.
 */
export class Notifier {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves at the next `notify`; rejects with the signal's reason when it aborts. */
  next(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(done);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(done);
        reject(signal.reason);
      };
      this.waiters.add(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  async until(condition: () => boolean, signal: AbortSignal): Promise<void> {
    while (!condition()) await this.next(signal);
  }
}
