import { describe, expect, it } from 'vitest';
import { InstancePool } from './instance-pool.js';

function pool(min: number, max: number) {
  let made = 0;
  const destroyed: number[] = [];
  const p = new InstancePool<number>({
    minIdle: min,
    max,
    idleMs: 30_000,
    create: async () => ++made,
    destroy: async (n) => {
      destroyed.push(n);
    },
  });
  return { p, made: () => made, destroyed };
}

describe('InstancePool', () => {
  it('starts warm at min, grows lazily to max, never beyond', async () => {
    const { p, made } = pool(2, 4);
    await p.start();
    expect(made()).toBe(2);
    const leases = await Promise.all([p.acquire(), p.acquire(), p.acquire(), p.acquire()]);
    expect(made()).toBe(4);
    expect(p.size).toBe(4);
    let fifth: number | null = null;
    const pending = p.acquire().then((n) => {
      fifth = n;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(fifth).toBeNull();
    expect(p.waiting).toBe(1);
    p.release(leases[0] as number);
    await pending;
    expect(fifth).toBe(leases[0]);
    expect(p.size).toBe(4);
    await p.close();
  });

  it('builds the eager instances at start and the rest of the warm set on warm()', async () => {
    const { p, made } = pool(4, 8);
    await p.start(1);
    expect(made()).toBe(1);
    expect(p.size).toBe(1);
    await p.warm();
    expect(made()).toBe(4);
    expect(p.idleCount).toBe(4);
    await p.warm();
    expect(made()).toBe(4);
    await p.close();
  });

  it('reports background warm-up failures and stays usable', async () => {
    let n = 0;
    const errors: unknown[] = [];
    const p = new InstancePool<number>({
      minIdle: 3,
      max: 3,
      idleMs: 30_000,
      create: async () => {
        n++;
        if (n > 1) throw new Error('no more');
        return n;
      },
      destroy: async () => {},
    });
    await p.start(1);
    await p.warm((e) => errors.push(e));
    expect(errors).toHaveLength(2);
    expect(p.size).toBe(1);
    expect(await p.acquire()).toBe(1);
    await p.close();
  });

  it('hands out the warmest (last returned) instance', async () => {
    const { p } = pool(1, 3);
    await p.start();
    const a = await p.acquire();
    const b = await p.acquire();
    p.release(a);
    p.release(b);
    expect(await p.acquire()).toBe(b);
    await p.close();
  });

  it('trims idle instances beyond min, oldest first', async () => {
    const { p, destroyed } = pool(1, 4);
    await p.start();
    const leases = await Promise.all([p.acquire(), p.acquire(), p.acquire()]);
    for (const l of leases) p.release(l);
    expect(p.size).toBe(3);
    expect(await p.trim(Date.now())).toBe(0);
    expect(await p.trim(Date.now() + 31_000)).toBe(2);
    expect(p.size).toBe(1);
    expect(destroyed).toEqual([leases[0], leases[1]]);
    await p.close();
  });

  it('replaces a discarded instance for a waiter', async () => {
    const { p, made } = pool(1, 1);
    await p.start();
    const a = await p.acquire();
    const waiting = p.acquire();
    p.discard(a);
    const b = await waiting;
    expect(b).not.toBe(a);
    expect(made()).toBe(2);
    expect(p.size).toBe(1);
    await p.close();
  });

  it('rejects waiters and new leases once closed', async () => {
    const { p } = pool(1, 1);
    await p.start();
    await p.acquire();
    const waiting = p.acquire();
    await p.close();
    await expect(waiting).rejects.toThrow(/unloading/);
    await expect(p.acquire()).rejects.toThrow(/unloading/);
  });
});
