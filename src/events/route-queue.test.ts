import { describe, expect, it } from 'vitest';
import type { PrincipalKey } from '../core/ids/principal-key.js';
import {
  DRR_QUANTUM_MIN_BYTES,
  ROUTE_BUDGET_BYTES,
  ROUTE_QUEUE_MAX_MESSAGES,
  RouteQueue,
} from './route-queue.js';

interface Item {
  readonly from: PrincipalKey;
  readonly n: number;
}

const KiB = 1024;

function fill(
  q: RouteQueue<Item>,
  from: PrincipalKey,
  count: number,
  size: number,
  start = 0,
): void {
  for (let i = 0; i < count; i++) q.push({ from, n: start + i }, from, size);
}

function drainAll(q: RouteQueue<Item>, budget = ROUTE_BUDGET_BYTES): Item[] {
  const out: Item[] = [];
  q.drain(out, budget);
  return out;
}

describe('RouteQueue', () => {
  it('allocates a queue per principal on demand and frees it when drained', () => {
    const q = new RouteQueue<Item>();
    expect(q.allocatedQueues).toBe(0);
    fill(q, 'alice', 2, 100);
    fill(q, null, 1, 100);
    expect(q.allocatedQueues).toBe(2);
    expect(q.activePrincipals).toBe(2);
    expect(q.bytesInUse).toBe(300);
    expect(drainAll(q)).toHaveLength(3);
    expect(q.allocatedQueues).toBe(0);
    expect(q.bytesInUse).toBe(0);
    expect(q.length).toBe(0);
  });

  it('keeps each principal FIFO', () => {
    const q = new RouteQueue<Item>();
    fill(q, 'alice', 5, 10);
    expect(drainAll(q).map((i) => i.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it('DRR: alice and bob each with two 8 KiB events; budget 4×8 KiB + 1 KiB returns two of each', () => {
    const q = new RouteQueue<Item>();
    fill(q, 'alice', 2, 8 * KiB + 20);
    fill(q, 'bob', 2, 8 * KiB + 20);
    const out = drainAll(q, 4 * 8 * KiB + KiB);
    expect(out.filter((i) => i.from === 'alice')).toHaveLength(2);
    expect(out.filter((i) => i.from === 'bob')).toHaveLength(2);
  });

  it('5,000 principals with one small event each: one drain returns all and leaves none active', () => {
    const q = new RouteQueue<Item>();
    for (let p = 0; p < 5000; p++) q.push({ from: `p${p}`, n: 0 }, `p${p}`, 120);
    const out = drainAll(q);
    expect(out).toHaveLength(5000);
    expect(new Set(out.map((i) => i.from)).size).toBe(5000);
    expect(q.activePrincipals).toBe(0);
    expect(q.allocatedQueues).toBe(0);
  });

  it('5,000 principals: every principal is served in each DRR round, however the drains are split', () => {
    // 3,000-byte messages: one fits a 4 KiB quantum, two do not, so each visit sends exactly one.
    const big = new RouteQueue<Item>(5000 * 3 * 3000);
    for (let p = 0; p < 5000; p++) fill(big, `p${p}`, 3, 3000);
    const order: PrincipalKey[] = [];
    while (big.length > 0) {
      const out: Item[] = [];
      big.drain(out, 64 * KiB); // many small drains
      expect(out.length).toBeGreaterThan(0);
      for (const i of out) order.push(i.from);
    }
    expect(order).toHaveLength(15_000);
    for (let round = 0; round < 3; round++) {
      const slice = order.slice(round * 5000, (round + 1) * 5000);
      expect(new Set(slice).size).toBe(5000);
    }
    expect(big.allocatedQueues).toBe(0);
  });

  it('a noisy principal cannot starve a quiet one', () => {
    const q = new RouteQueue<Item>();
    fill(q, 'noisy', 200, 1000);
    fill(q, 'quiet', 2, 1000);
    const out: Item[] = [];
    q.drain(out, 8 * KiB);
    expect(out.filter((i) => i.from === 'quiet')).toHaveLength(2);
  });

  it('serves a head larger than the quantum after enough visits (deficit carries)', () => {
    const q = new RouteQueue<Item>();
    q.push({ from: 'alice', n: 0 }, 'alice', 10_000);
    const first: Item[] = [];
    q.drain(first, 5000);
    expect(first).toHaveLength(0);
    expect(q.queuedFor('alice')).toBe(1);
    const second: Item[] = [];
    q.drain(second, 20_000);
    expect(second).toHaveLength(1);
  });

  it('counts starved visits', () => {
    const starved: PrincipalKey[] = [];
    const q = new RouteQueue<Item>(ROUTE_BUDGET_BYTES, { onStarved: (k) => starved.push(k) });
    q.push({ from: 'big', n: 0 }, 'big', DRR_QUANTUM_MIN_BYTES * 3);
    q.drain([], DRR_QUANTUM_MIN_BYTES);
    expect(starved).toEqual(['big']);
  });

  it('limits a drain to maxMessages and resumes the visit without a fresh quantum', () => {
    const q = new RouteQueue<Item>();
    fill(q, 'alice', 3, 100);
    fill(q, 'bob', 3, 100);
    const one: Item[] = [];
    q.drain(one, ROUTE_BUDGET_BYTES, 1);
    expect(one).toEqual([{ from: 'alice', n: 0 }]);
    const rest = drainAll(q);
    expect(rest.map((i) => `${i.from}${i.n}`)).toEqual([
      'alice1',
      'alice2',
      'bob0',
      'bob1',
      'bob2',
    ]);
  });

  it('single-message drains alternate between principals with equal small messages', () => {
    const q = new RouteQueue<Item>();
    fill(q, 'alice', 50, 100);
    fill(q, 'bob', 50, 100);
    const seq: PrincipalKey[] = [];
    for (let i = 0; i < 100; i++) {
      const out: Item[] = [];
      q.drain(out, 100, 1);
      seq.push((out[0] as Item).from);
    }
    expect(seq.filter((p) => p === 'alice')).toHaveLength(50);
    // Resumed visits spend one 4 KiB quantum before rotating: runs never exceed 4096 / 100 messages.
    let run = 1;
    let longest = 1;
    for (let i = 1; i < seq.length; i++) {
      run = seq[i] === seq[i - 1] ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThanOrEqual(Math.floor(DRR_QUANTUM_MIN_BYTES / 100));
    expect(seq.slice(0, 45)).toContain('bob');
  });

  describe('byte budget and eviction', () => {
    it('evicts the oldest head across queues and keeps the newcomer', () => {
      const q = new RouteQueue<Item>(3 * 64 * KiB + 4 * KiB);
      fill(q, 'alice', 3, 64 * KiB);
      const r1 = q.push({ from: 'bob', n: 0 }, 'bob', 16 * KiB);
      expect(r1).toEqual({ kind: 'queued', evicted: ['alice'] });
      expect(q.queuedFor('alice')).toBe(2);
      expect(q.queuedFor('bob')).toBe(1);
      const r2 = q.push({ from: 'alice', n: 3 }, 'alice', 64 * KiB);
      expect(r2.kind).toBe('queued');
      const out = drainAll(q);
      expect(out.map((i) => `${i.from}${i.n}`).sort()).toEqual(['alice2', 'alice3', 'bob0'].sort());
    });

    it('never evicts the newest tail: the largest queue loses its oldest message', () => {
      const q = new RouteQueue<Item>(1000);
      q.push({ from: 'a', n: 0 }, 'a', 300); // oldest
      q.push({ from: 'b', n: 0 }, 'b', 300);
      q.push({ from: 'a', n: 1 }, 'a', 300);
      q.push({ from: 'c', n: 0 }, 'c', 300); // needs 200 more bytes → evict a0
      expect(
        drainAll(q)
          .map((i) => `${i.from}${i.n}`)
          .sort(),
      ).toEqual(['a1', 'b0', 'c0']);
    });

    it("a noisy burst evicts the noisy principal's own messages, not a quiet principal's older one", () => {
      const q = new RouteQueue<Item>(1000);
      q.push({ from: 'quiet', n: 0 }, 'quiet', 100); // the oldest message in the route
      for (let i = 0; i < 20; i++) q.push({ from: 'noisy', n: i }, 'noisy', 100);
      expect(q.queuedFor('quiet')).toBe(1);
      expect(q.queuedFor('noisy')).toBe(9);
      const out = drainAll(q);
      expect(out.filter((m) => m.from === 'noisy').map((m) => m.n)).toEqual([
        11, 12, 13, 14, 15, 16, 17, 18, 19,
      ]);
    });

    it('takes the excess from whichever queue holds the most bytes', () => {
      const q = new RouteQueue<Item>(1000);
      q.push({ from: 'a', n: 0 }, 'a', 100);
      q.push({ from: 'b', n: 0 }, 'b', 500);
      q.push({ from: 'c', n: 0 }, 'c', 300);
      q.drain([], 100, 1); // a0 leaves
      q.push({ from: 'a', n: 1 }, 'a', 450); // 1250 > 1000 → evict b's head (largest), not c's
      expect(
        drainAll(q)
          .map((i) => `${i.from}${i.n}`)
          .sort(),
      ).toEqual(['a1', 'c0']);
    });

    it('rejects a single message larger than the budget without evicting anything', () => {
      const q = new RouteQueue<Item>(1000);
      fill(q, 'alice', 2, 400);
      expect(q.push({ from: 'bob', n: 0 }, 'bob', 1001)).toEqual({ kind: 'rejected-oversize' });
      expect(q.queuedFor('alice')).toBe(2);
      expect(q.allocatedQueues).toBe(1);
    });

    it('drops the oldest message of a queue over 256 messages', () => {
      const q = new RouteQueue<Item>();
      fill(q, 'alice', ROUTE_QUEUE_MAX_MESSAGES, 10);
      const r = q.push({ from: 'alice', n: 999 }, 'alice', 10);
      expect(r).toEqual({ kind: 'queued', evicted: ['alice'] });
      expect(q.queuedFor('alice')).toBe(ROUTE_QUEUE_MAX_MESSAGES);
      const out = drainAll(q);
      expect(out[0]?.n).toBe(1);
      expect(out.at(-1)?.n).toBe(999);
    });

    it('honours a raised per-principal message cap', () => {
      const q = new RouteQueue<Item>(1024 * 1024, {}, 1000);
      fill(q, 'alice', 1000, 10);
      expect(q.queuedFor('alice')).toBe(1000);
      expect(q.push({ from: 'alice', n: 1000 }, 'alice', 10)).toEqual({
        kind: 'queued',
        evicted: ['alice'],
      });
      expect(q.queuedFor('alice')).toBe(1000);
    });

    it('keeps its byte accounting exact under sustained mixed traffic', () => {
      const q = new RouteQueue<Item>(10_000);
      let sent = 0;
      let evicted = 0;
      let drained = 0;
      for (let i = 0; i < 50_000; i++) {
        const from = `p${(i * 7) % 13}`;
        const r = q.push({ from, n: i }, from, 50 + (i % 5) * 40);
        sent++;
        if (r.kind === 'queued') evicted += r.evicted.length;
        if (i % 3 === 0) {
          const out: Item[] = [];
          q.drain(out, 300);
          drained += out.length;
        }
        expect(q.bytesInUse).toBeLessThanOrEqual(10_000);
      }
      drained += drainAll(q).length;
      expect(drained + evicted).toBe(sent);
      expect(q.bytesInUse).toBe(0);
      expect(q.allocatedQueues).toBe(0);
    });
  });
});
