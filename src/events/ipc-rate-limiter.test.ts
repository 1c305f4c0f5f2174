import { describe, expect, it } from 'vitest';
import { isAstridError } from '../core/errors.js';
import { IpcRateLimiter, MAX_IPC_PAYLOAD_BYTES } from './ipc-rate-limiter.js';

const MiB = 1024 * 1024;

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function code(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return isAstridError(e) ? e.code : 'other';
  }
}

describe('IpcRateLimiter', () => {
  it('a 1 MiB quota passes 1 MiB then refuses the next byte', () => {
    const c = clock();
    const rl = new IpcRateLimiter(c.now);
    expect(code(() => rl.check('cap', 'alice', MiB, MiB))).toBeNull();
    expect(code(() => rl.check('cap', 'alice', 1, MiB))).toBe('rate-limited');
    expect(() => rl.check('cap', 'alice', 1, MiB)).toThrow(/Rate limit exceeded/);
  });

  it('another principal or another capsule instance is unaffected', () => {
    const rl = new IpcRateLimiter(clock().now);
    rl.check('cap', 'alice', MiB, MiB);
    expect(code(() => rl.check('cap', 'bob', MiB, MiB))).toBeNull();
    expect(code(() => rl.check('cap2', 'alice', MiB, MiB))).toBeNull();
    expect(code(() => rl.check('cap', null, MiB, MiB))).toBeNull();
  });

  it('refuses a message over 5 MiB even with an unlimited quota', () => {
    const rl = new IpcRateLimiter(clock().now);
    expect(
      code(() => rl.check('cap', 'alice', MAX_IPC_PAYLOAD_BYTES + 1, Number.MAX_SAFE_INTEGER)),
    ).toBe('too-large');
    expect(() =>
      rl.check('cap', 'alice', MAX_IPC_PAYLOAD_BYTES + 1, Number.MAX_SAFE_INTEGER),
    ).toThrow(/Payload too large/);
    expect(
      code(() => rl.check('cap', 'alice', MAX_IPC_PAYLOAD_BYTES, Number.MAX_SAFE_INTEGER)),
    ).toBeNull();
  });

  it('does not charge refused bytes, and resets after the window', () => {
    const c = clock();
    const rl = new IpcRateLimiter(c.now);
    rl.check('cap', 'alice', 900, 1000);
    expect(code(() => rl.check('cap', 'alice', 200, 1000))).toBe('rate-limited');
    expect(code(() => rl.check('cap', 'alice', 100, 1000))).toBeNull();
    c.advance(999);
    expect(code(() => rl.check('cap', 'alice', 1, 1000))).toBe('rate-limited');
    c.advance(1);
    expect(code(() => rl.check('cap', 'alice', 1000, 1000))).toBeNull();
  });

  it('prunes idle buckets once there are many', () => {
    const c = clock();
    const rl = new IpcRateLimiter(c.now);
    for (let i = 0; i < 1500; i++) rl.check('cap', `p${i}`, 1, 10);
    expect(rl.bucketCount).toBe(1500);
    c.advance(61_000);
    rl.check('cap', 'fresh', 1, 10);
    expect(rl.bucketCount).toBe(1);
  });
});
