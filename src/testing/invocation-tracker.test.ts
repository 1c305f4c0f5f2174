import { describe, expect, it } from 'vitest';
import type { InterceptorOutcome } from '../capsule/engines/engine.js';
import { type Invocable, InvocationTracker } from './invocation-tracker.js';

/** A capsule whose calls finish when the test says so. */
function fake(id: string) {
  const pending: ((out: InterceptorOutcome | Error) => void)[] = [];
  const capsule: Invocable = {
    id,
    invokeInterceptor: () =>
      new Promise<InterceptorOutcome>((resolve, reject) => {
        pending.push((out) => (out instanceof Error ? reject(out) : resolve(out)));
      }),
  };
  return { capsule, finish: (out: InterceptorOutcome | Error) => pending.shift()?.(out) };
}

const empty = new Uint8Array();
const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('InvocationTracker', () => {
  it('records each call with its outcome, once per capsule however often it is attached', async () => {
    const t = new InvocationTracker();
    const a = fake('a');
    t.attach([a.capsule]);
    t.attach([a.capsule]);
    const call = a.capsule.invokeInterceptor('h', empty);
    a.finish({ kind: 'deny', reason: 'no' });
    await expect(call).resolves.toEqual({ kind: 'deny', reason: 'no' });
    const failing = a.capsule.invokeInterceptor('g', empty);
    a.finish(new Error('trap'));
    await expect(failing).rejects.toThrow('trap');
    expect(t.since(0)).toEqual([
      { capsule: 'a', action: 'h', outcome: 'deny', reason: 'no' },
      { capsule: 'a', action: 'g', outcome: 'error', reason: 'trap' },
    ]);
    expect(t.count).toBe(2);
    expect(t.since(1).map((i) => i.action)).toEqual(['g']);
  });

  it('settle waits for calls in flight, and for calls they lead to', async () => {
    const t = new InvocationTracker();
    const a = fake('a');
    t.attach([a.capsule]);
    let settled = false;
    void a.capsule.invokeInterceptor('first', empty).then(() => {
      // What a call publishes is dispatched through promise jobs: a new call starts.
      void Promise.resolve().then(() => a.capsule.invokeInterceptor('second', empty));
    });
    const done = t.settle().then(() => {
      settled = true;
    });
    await later(20);
    expect(settled).toBe(false);
    a.finish({ kind: 'continue', payload: empty });
    await later(20);
    expect(settled).toBe(false);
    a.finish({ kind: 'final', payload: empty });
    await done;
    expect(t.since(0).map((i) => [i.action, i.outcome])).toEqual([
      ['first', 'continue'],
      ['second', 'final'],
    ]);
  });

  it('settle resolves when nothing is in flight', async () => {
    await expect(new InvocationTracker().settle()).resolves.toBeUndefined();
  });
});
