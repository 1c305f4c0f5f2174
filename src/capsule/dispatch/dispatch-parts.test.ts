import { describe, expect, it } from 'vitest';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { KeyedMutex } from './fifo-mutex.js';
import { matchInterceptors } from './interceptor-table.js';
import { PrincipalQueues, type QueueItem } from './principal-queues.js';

const id = (s: string) => s as CapsuleId;
const item = (action: string): QueueItem => ({ action, payload: new Uint8Array(), caller: null });
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('matchInterceptors', () => {
  it('orders by priority, then boot order, then handler name; uses the strict dispatch matcher', () => {
    const targets = [
      { capsuleId: id('c'), bootIndex: 2, action: 'z', priority: 50, pattern: 'a.*' },
      { capsuleId: id('b'), bootIndex: 1, action: 'y', priority: 50, pattern: 'a.b' },
      { capsuleId: id('b'), bootIndex: 1, action: 'x', priority: 50, pattern: 'a.b' },
      { capsuleId: id('a'), bootIndex: 0, action: 'w', priority: 100, pattern: 'a.*' },
      { capsuleId: id('d'), bootIndex: 3, action: 'v', priority: 10, pattern: 'a.*.c' },
    ];
    expect(matchInterceptors(targets, 'a.b').map((t) => `${t.capsuleId}:${t.action}`)).toEqual([
      'b:x',
      'b:y',
      'c:z',
      'a:w',
    ]);
    expect(matchInterceptors(targets, 'a.b.c').map((t) => t.capsuleId)).toEqual(['d']);
  });
});

describe('PrincipalQueues', () => {
  it('runs one principal in order and different principals concurrently', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const q = new PrincipalQueues(async (_c, it) => {
      running++;
      peak = Math.max(peak, running);
      await tick(5);
      log.push(it.action);
      running--;
    });
    for (let i = 0; i < 5; i++) q.enqueue(id('cap'), 'alice', item(`a${i}`));
    q.enqueue(id('cap'), 'bob', item('b0'));
    await tick(60);
    expect(log.filter((x) => x.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(log).toContain('b0');
    expect(peak).toBe(2);
    q.closeAll();
  });

  it('drops beyond capacity and frees an idle queue', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const seen: string[] = [];
    const q = new PrincipalQueues(
      async (_c, it) => {
        await gate;
        seen.push(it.action);
      },
      { capacity: 2, idleMs: 30 },
    );
    expect(q.enqueue(id('cap'), 'p', item('1'))).toBe('queued');
    await tick();
    expect(q.enqueue(id('cap'), 'p', item('2'))).toBe('queued');
    expect(q.enqueue(id('cap'), 'p', item('3'))).toBe('queued');
    expect(q.enqueue(id('cap'), 'p', item('4'))).toBe('dropped');
    release();
    await tick(10);
    expect(seen).toEqual(['1', '2', '3']);
    expect(q.queueCount(id('cap'))).toBe(1);
    await tick(60);
    expect(q.queueCount(id('cap'))).toBe(0);
    expect(q.enqueue(id('cap'), 'p', item('5'))).toBe('queued');
    await tick(5);
    expect(seen).toEqual(['1', '2', '3', '5']);
    q.closeAll();
  });

  it('past the per-capsule cap, new principals share one queue', async () => {
    const q = new PrincipalQueues(
      async () => {
        await tick(50);
      },
      { maxPerCapsule: 2 },
    );
    expect(q.enqueue(id('cap'), 'a', item('x'))).toBe('queued');
    expect(q.enqueue(id('cap'), 'b', item('x'))).toBe('queued');
    expect(q.enqueue(id('cap'), 'c', item('x'))).toBe('degraded');
    expect(q.queueCount(id('cap'))).toBe(3);
    expect(q.enqueue(id('cap'), 'a', item('x'))).toBe('queued');
    expect(q.closeCapsule(id('cap'))).toBeGreaterThanOrEqual(1);
  });
});

describe('KeyedMutex', () => {
  it('serialises per key in arrival order, runs keys in parallel, and forgets idle keys', async () => {
    const m = new KeyedMutex();
    const order: string[] = [];
    const run = (key: string, name: string, ms: number) =>
      m.run(key, async () => {
        order.push(`start ${name}`);
        await tick(ms);
        order.push(`end ${name}`);
      });
    await Promise.all([run('k', 'a', 10), run('k', 'b', 1), run('j', 'c', 1)]);
    expect(order.indexOf('end a')).toBeLessThan(order.indexOf('start b'));
    expect(order.indexOf('start c')).toBeLessThan(order.indexOf('end a'));
    expect(m.size).toBe(0);
  });
});
