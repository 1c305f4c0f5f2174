/**
 * Ctrl-C (or SIGTERM) for verbs that run until interrupted (`logs -f`,
 * `top --watch`): an interrupt ends them cleanly with exit 0 instead of
 * killing the process mid-write.
 */
export class Interrupt {
  private fired = false;
  private wake: (() => void) | null = null;
  private readonly onSignal = () => {
    this.fired = true;
    this.wake?.();
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  get interrupted(): boolean {
    return this.fired;
  }

  /** Sleeps `ms`, waking early on an interrupt. */
  sleep(ms: number): Promise<void> {
    if (this.fired) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
