import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { awaitFlag } from './await-flag.js';

/** A thread that notifies slot 0 without setting it, then sets it `setAfterMs` later. */
function notifier(buffer: SharedArrayBuffer, strayAfterMs: number, setAfterMs: number): Worker {
  return new Worker(
    `const { workerData } = require('node:worker_threads');
     const flags = new Int32Array(workerData.buffer);
     const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
     sleep(workerData.strayAfterMs);
     Atomics.notify(flags, 0);
     sleep(workerData.setAfterMs);
     Atomics.store(flags, 0, 1);
     Atomics.notify(flags, 0);`,
    { eval: true, workerData: { buffer, strayAfterMs, setAfterMs } },
  );
}

describe('awaitFlag', () => {
  it('returns at once when the flag is already set', () => {
    const flags = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(flags, 0, 1);
    expect(awaitFlag(flags, 0, 10)).toBe(true);
  });

  it('gives up after the patience runs out', () => {
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const started = Date.now();
    expect(awaitFlag(flags, 0, 30, 0.05)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(29);
  });

  // Regression: a notify left over from an earlier answer woke the worker for
  // the next call, which then found no answer on its port ("no answer for
  // astrid:ipc/host@1.0.0#publish") and trapped the run loop.
  it('keeps waiting through a stray notify until the flag is really set', async () => {
    const buffer = new SharedArrayBuffer(8);
    const flags = new Int32Array(buffer);
    const worker = notifier(buffer, 50, 100);
    try {
      expect(awaitFlag(flags, 0, 5000)).toBe(true);
      expect(Atomics.load(flags, 0)).toBe(1);
    } finally {
      await worker.terminate();
    }
  });
});
