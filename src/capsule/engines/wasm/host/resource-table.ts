/** A host-side resource; a `dispose()` method, if any, runs when the guest drops it or the table is reset. */
export type HostResource = object;

function dispose(value: HostResource): void {
  const fn = (value as { dispose?: unknown }).dispose;
  if (typeof fn === 'function') fn.call(value);
}

interface Entry {
  readonly type: string;
  readonly value: HostResource;
}

/**
 * The resources one instance holds (subscriptions, pollables, streams...),
 * by handle. Handles are never reused within a table's life.
 */
export class ResourceTable {
  private readonly entries = new Map<number, Entry>();
  private next = 1;

  add(type: string, value: HostResource): number {
    const handle = this.next++;
    this.entries.set(handle, { type, value });
    return handle;
  }

  get<T extends HostResource>(type: string, handle: number): T | undefined {
    const entry = this.entries.get(handle);
    return entry?.type === type ? (entry.value as T) : undefined;
  }

  /** Removes and disposes; false when the handle is unknown or of another type. */
  drop(type: string, handle: number): boolean {
    const entry = this.entries.get(handle);
    if (entry === undefined || entry.type !== type) return false;
    this.entries.delete(handle);
    dispose(entry.value);
    return true;
  }

  count(type?: string): number {
    if (type === undefined) return this.entries.size;
    let n = 0;
    for (const e of this.entries.values()) if (e.type === type) n++;
    return n;
  }

  /** Live resources of a type that satisfy `test`. */
  countWhere<T extends HostResource>(type: string, test: (value: T) => boolean): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.type === type && test(e.value as T)) n++;
    return n;
  }

  /** Disposes everything (an instance returning to the pool, or ending). */
  clear(): void {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) dispose(e.value);
  }
}
