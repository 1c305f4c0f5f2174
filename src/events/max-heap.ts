/**
 * An indexed binary max-heap: items carry their own position so a changed key
 * is restored in O(log n) (`update`) and any item can be removed in O(log n).
 */
export interface HeapItem {
  heapIndex: number;
}

export class IndexedMaxHeap<T extends HeapItem> {
  private items: T[] = [];
  private readonly key: (item: T) => number;

  constructor(key: (item: T) => number) {
    this.key = key;
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  insert(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  /** Re-establishes order after `item`'s key changed. */
  update(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    if (!this.siftUp(i)) this.siftDown(i);
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const last = this.items.pop() as T;
    item.heapIndex = -1;
    if (this.items.length === 0) this.items = [];
    if (i === this.items.length) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.update(last);
  }

  clear(): void {
    for (const item of this.items) item.heapIndex = -1;
    this.items = [];
  }

  private siftUp(start: number): boolean {
    const items = this.items;
    let i = start;
    const item = items[i] as T;
    const k = this.key(item);
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (this.key(parent) >= k) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    items[i] = item;
    item.heapIndex = i;
    return i !== start;
  }

  private siftDown(start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    const item = items[i] as T;
    const k = this.key(item);
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.key(items[right] as T) > this.key(items[left] as T)) child = right;
      const c = items[child] as T;
      if (this.key(c) <= k) break;
      items[i] = c;
      c.heapIndex = i;
      i = child;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
