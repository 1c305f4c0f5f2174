import { AstridError } from '../../../../core/errors.js';

export interface PoolOptions<T> {
  /** Instances kept warm, never trimmed (≥ 1, ≤ max). */
  readonly minIdle: number;
  /** Hard ceiling on live instances. */
  readonly max: number;
  readonly create: () => Promise<T>;
  readonly destroy: (instance: T) => Promise<void>;
  /** Instances idle longer than this beyond `minIdle` are trimmed (ms). */
  readonly idleMs: number;
}

interface Idle<T> {
  readonly instance: T;
  readonly since: number;
}

interface Waiter<T> {
  readonly resolve: (instance: T) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Instances of one capsule. Leases take the warmest idle instance, grow
 * lazily up to `max`, and otherwise wait in FIFO order; returned instances
 * go to the back (warmest); a trim pass drops idle instances beyond
 * `minIdle`, oldest first. The live count never exceeds `max`.
 */
export class InstancePool<T> {
  private readonly options: PoolOptions<T>;
  private readonly idle: Idle<T>[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private live = 0;
  private closed = false;
  private trimTimer: NodeJS.Timeout | null = null;

  constructor(options: PoolOptions<T>) {
    if (options.max < 1) throw new AstridError('config', 'pool max must be at least 1');
    this.options = { ...options, minIdle: Math.max(1, Math.min(options.minIdle, options.max)) };
  }

  get size(): number {
    return this.live;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Builds `eager` instances before returning (so a component that cannot
   * instantiate fails here) and starts trimming. The rest of the warm set
   * comes from `warm()`, which callers run when the machine is not busy
   * booting.
   */
  async start(eager: number = this.options.minIdle): Promise<void> {
    const now = Math.max(1, Math.min(eager, this.options.minIdle));
    await Promise.all(Array.from({ length: now }, () => this.build()));
    if (this.options.max > this.options.minIdle) {
      this.trimTimer = setInterval(() => void this.trim(), this.options.idleMs);
      this.trimTimer.unref();
    }
  }

  /**
   * Fills the pool up to `minIdle` instances. A build that fails is
   * reported to `onError` and leaves the pool smaller (it grows again on
   * demand).
   */
  async warm(onError: (e: unknown) => void = () => {}): Promise<void> {
    const missing = this.options.minIdle - this.live;
    await Promise.all(
      Array.from({ length: Math.max(0, missing) }, () => this.build().catch(onError)),
    );
  }

  private build(): Promise<void> {
    this.live++;
    return this.options.create().then(
      (instance) => {
        if (this.closed) {
          this.live--;
          void this.options.destroy(instance).catch(() => {});
          return;
        }
        this.release(instance);
      },
      (e) => {
        this.live--;
        throw e;
      },
    );
  }

  /** Leases an instance, waiting for one when `max` are busy. */
  async acquire(): Promise<T> {
    if (this.closed) throw new AstridError('unavailable', 'the capsule is unloading');
    const warm = this.idle.pop();
    if (warm !== undefined) return warm.instance;
    if (this.live < this.options.max) {
      this.live++;
      try {
        return await this.options.create();
      } catch (e) {
        this.live--;
        this.wakeCreator();
        throw e;
      }
    }
    return new Promise<T>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Returns a healthy instance. */
  release(instance: T): void {
    if (this.closed) {
      this.live--;
      void this.options.destroy(instance);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve(instance);
      return;
    }
    this.idle.push({ instance, since: Date.now() });
  }

  /** Drops a broken instance (trapped, timed out, crashed); a waiter gets a fresh one. */
  discard(instance: T): void {
    this.live--;
    void this.options.destroy(instance).catch(() => {});
    this.wakeCreator();
  }

  /** A waiter exists and there is room: build an instance for it. */
  private wakeCreator(): void {
    if (this.closed || this.waiters.length === 0 || this.live >= this.options.max) return;
    const waiter = this.waiters.shift() as Waiter<T>;
    this.live++;
    this.options.create().then(waiter.resolve, (e) => {
      this.live--;
      waiter.reject(e);
      this.wakeCreator();
    });
  }

  /** Drops instances idle longer than `idleMs` beyond `minIdle`, oldest first. */
  async trim(now: number = Date.now()): Promise<number> {
    let removed = 0;
    while (this.idle.length > 0 && this.live > this.options.minIdle) {
      const oldest = this.idle[0] as Idle<T>;
      if (now - oldest.since < this.options.idleMs) break;
      this.idle.shift();
      this.live--;
      removed++;
      await this.options.destroy(oldest.instance).catch(() => {});
    }
    return removed;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.trimTimer !== null) clearInterval(this.trimTimer);
    for (const w of this.waiters.splice(0))
      w.reject(new AstridError('unavailable', 'the capsule is unloading'));
    const idle = this.idle.splice(0);
    this.live -= idle.length;
    await Promise.all(idle.map((i) => this.options.destroy(i.instance).catch(() => {})));
  }
}
