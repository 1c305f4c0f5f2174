/**
 * A FIFO-fair async mutex: waiters acquire in arrival order. `idle` tells
 * whether nobody holds or waits for it (so a map of them can drop it).
 */
export class FifoMutex {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;

  get idle(): boolean {
    return this.holders === 0;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.holders++;
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => {
      release = r;
    });
    try {
      await previous;
      return await fn();
    } finally {
      this.holders--;
      release();
    }
  }
}

/** Mutexes by key, created on demand and dropped once idle. */
export class KeyedMutex {
  private readonly locks = new Map<string, FifoMutex>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(key);
    if (lock === undefined) {
      lock = new FifoMutex();
      this.locks.set(key, lock);
    }
    try {
      return await lock.run(fn);
    } finally {
      if (lock.idle && this.locks.get(key) === lock) this.locks.delete(key);
    }
  }

  get size(): number {
    return this.locks.size;
  }
}
