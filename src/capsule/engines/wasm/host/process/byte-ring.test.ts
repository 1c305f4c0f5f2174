import { describe, expect, it } from 'vitest';
import { ByteRing } from './byte-ring.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('ByteRing under drop-oldest', () => {
  it('starts empty with the full capacity as room', () => {
    const ring = new ByteRing(8, 'drop-oldest');
    expect(ring.capacity).toBe(8);
    expect(ring.overflow).toBe('drop-oldest');
    expect([ring.front, ring.end, ring.size, ring.room, ring.dropped]).toEqual([0, 0, 0, 8, 0]);
    expect(ring.drain()).toEqual(new Uint8Array(0));
  });

  it('takes an empty push as a no-op', () => {
    const ring = new ByteRing(8, 'drop-oldest');
    expect(ring.push(new Uint8Array(0))).toBe(0);
    expect([ring.end, ring.size]).toEqual([0, 0]);
  });

  it('keeps everything while it fits and reports absolute offsets', () => {
    const ring = new ByteRing(8, 'drop-oldest');
    expect(ring.push(bytes('abc'))).toBe(3);
    expect(ring.push(bytes('defgh'))).toBe(5);
    expect([ring.front, ring.end, ring.size, ring.room, ring.dropped]).toEqual([0, 8, 8, 0, 0]);
    expect(text(ring.drain())).toBe('abcdefgh');
  });

  it('evicts the oldest bytes, splitting a chunk when needed', () => {
    const ring = new ByteRing(8, 'drop-oldest');
    ring.push(bytes('abcde'));
    ring.push(bytes('fgh'));
    expect(ring.push(bytes('ij'))).toBe(2);
    expect([ring.front, ring.end, ring.size, ring.dropped]).toEqual([2, 10, 8, 2]);
    expect(text(ring.readSince(null, 100).data)).toBe('cdefghij');
    // A second eviction starts inside the partially consumed first chunk.
    ring.push(bytes('kl'));
    expect([ring.front, ring.end, ring.dropped]).toEqual([4, 12, 4]);
    expect(text(ring.drain())).toBe('efghijkl');
  });

  it('evicts whole chunks and then part of the next one', () => {
    const ring = new ByteRing(6, 'drop-oldest');
    ring.push(bytes('ab'));
    ring.push(bytes('cd'));
    ring.push(bytes('ef'));
    ring.push(bytes('ghijk'));
    expect([ring.front, ring.end, ring.dropped]).toEqual([5, 11, 5]);
    expect(text(ring.drain())).toBe('fghijk');
  });

  it('keeps only the last `capacity` bytes of a push larger than the ring', () => {
    const ring = new ByteRing(4, 'drop-oldest');
    ring.push(bytes('xy'));
    expect(ring.push(bytes('0123456789'))).toBe(10);
    // 'xy' (2) and the first 6 bytes of the push (6) are gone.
    expect([ring.front, ring.end, ring.size, ring.dropped]).toEqual([8, 12, 4, 8]);
    expect(text(ring.readSince(null, 100).data)).toBe('6789');
    ring.push(bytes('A'));
    expect([ring.front, ring.end, ring.dropped]).toEqual([9, 13, 9]);
    expect(text(ring.drain())).toBe('789A');
  });

  it('accepts a push of exactly the capacity without counting anything as dropped', () => {
    const ring = new ByteRing(4, 'drop-oldest');
    ring.push(bytes('abcd'));
    expect([ring.front, ring.end, ring.dropped]).toEqual([0, 4, 0]);
  });

  it('copies pushed bytes so later writes to the caller buffer do not leak in', () => {
    const ring = new ByteRing(8, 'drop-oldest');
    const buf = bytes('abc');
    ring.push(buf);
    buf[0] = 0x7a;
    expect(text(ring.drain())).toBe('abc');
  });

  it('drain empties the ring and moves front to end without counting a drop', () => {
    const ring = new ByteRing(8, 'drop-oldest');
    ring.push(bytes('hello'));
    expect(text(ring.drain())).toBe('hello');
    expect([ring.front, ring.end, ring.size, ring.room, ring.dropped]).toEqual([5, 5, 0, 8, 0]);
    expect(ring.drain()).toEqual(new Uint8Array(0));
    ring.push(bytes('xy'));
    expect([ring.front, ring.end]).toEqual([5, 7]);
    expect(text(ring.drain())).toBe('xy');
  });
});

describe('ByteRing under backpressure', () => {
  it('accepts only what fits and never evicts', () => {
    const ring = new ByteRing(5, 'backpressure');
    expect(ring.push(bytes('abc'))).toBe(3);
    expect(ring.push(bytes('defg'))).toBe(2);
    expect([ring.front, ring.end, ring.size, ring.room, ring.dropped]).toEqual([0, 5, 5, 0, 0]);
    expect(ring.push(bytes('h'))).toBe(0);
    expect(ring.end).toBe(5);
    expect(text(ring.drain())).toBe('abcde');
  });

  it('makes room again after a drain', () => {
    const ring = new ByteRing(3, 'backpressure');
    ring.push(bytes('abcdef'));
    expect(text(ring.drain())).toBe('abc');
    expect(ring.room).toBe(3);
    expect(ring.push(bytes('def'))).toBe(3);
    expect([ring.front, ring.end]).toEqual([3, 6]);
    expect(text(ring.drain())).toBe('def');
  });

  it('does not make room when only read through a cursor', () => {
    const ring = new ByteRing(3, 'backpressure');
    ring.push(bytes('abc'));
    ring.readSince(0, 3);
    expect(ring.room).toBe(0);
    expect(ring.push(bytes('d'))).toBe(0);
  });
});

describe('ByteRing.readSince', () => {
  const filled = () => {
    const ring = new ByteRing(16, 'drop-oldest');
    ring.push(bytes('abcd'));
    ring.push(bytes('efgh'));
    ring.push(bytes('ijkl'));
    return ring;
  };

  it('reads from the oldest byte when the cursor is null', () => {
    const slice = filled().readSince(null, 100);
    expect(text(slice.data)).toBe('abcdefghijkl');
    expect(slice.next).toBe(12);
    expect(slice.bytesDropped).toBe(0);
  });

  it('reads at most `max` bytes across chunk boundaries without draining', () => {
    const ring = filled();
    const a = ring.readSince(2, 5);
    expect(text(a.data)).toBe('cdefg');
    expect(a.next).toBe(7);
    const b = ring.readSince(a.next, 5);
    expect(text(b.data)).toBe('hijkl');
    expect(b.next).toBe(12);
    expect([ring.front, ring.size]).toEqual([0, 12]);
  });

  it('reads a range inside a single chunk', () => {
    const slice = filled().readSince(5, 2);
    expect(text(slice.data)).toBe('fg');
    expect(slice.next).toBe(7);
  });

  it('returns nothing and keeps the cursor when max is 0', () => {
    const slice = filled().readSince(3, 0);
    expect(slice.data.length).toBe(0);
    expect(slice.next).toBe(3);
    expect(slice.bytesDropped).toBe(0);
  });

  it('returns nothing at the end, with next at the end', () => {
    const slice = filled().readSince(12, 10);
    expect(slice).toEqual({ data: new Uint8Array(0), next: 12, bytesDropped: 0 });
    expect(new ByteRing(4, 'drop-oldest').readSince(null, 10)).toEqual({
      data: new Uint8Array(0),
      next: 0,
      bytesDropped: 0,
    });
  });

  it('keeps a cursor beyond the end as it is', () => {
    const slice = filled().readSince(20, 10);
    expect(slice).toEqual({ data: new Uint8Array(0), next: 20, bytesDropped: 0 });
  });

  it('reports bytes evicted before the cursor and resumes at the oldest retained byte', () => {
    const ring = new ByteRing(4, 'drop-oldest');
    ring.push(bytes('abcdefgh'));
    expect(ring.front).toBe(4);
    const slice = ring.readSince(1, 10);
    expect(text(slice.data)).toBe('efgh');
    expect(slice.next).toBe(8);
    expect(slice.bytesDropped).toBe(3);
  });

  it('reports bytes drained by someone else, even when nothing is left', () => {
    const ring = new ByteRing(8, 'drop-oldest');
    ring.push(bytes('abcdef'));
    ring.drain();
    const slice = ring.readSince(2, 10);
    expect(slice).toEqual({ data: new Uint8Array(0), next: 6, bytesDropped: 4 });
  });

  it('reads correctly after partial eviction left an offset into the head chunk', () => {
    const ring = new ByteRing(6, 'drop-oldest');
    ring.push(bytes('abcd'));
    ring.push(bytes('efgh'));
    // 'ab' evicted: the head chunk is 'abcd' with 2 bytes skipped.
    expect(ring.front).toBe(2);
    expect(text(ring.readSince(3, 3).data)).toBe('def');
    expect(text(ring.readSince(null, 2).data)).toBe('cd');
    expect(text(ring.readSince(6, 10).data)).toBe('gh');
  });

  it('returns a copy the caller may modify', () => {
    const ring = filled();
    const slice = ring.readSince(0, 3);
    slice.data[0] = 0x7a;
    expect(text(ring.readSince(0, 3).data)).toBe('abc');
  });
});
