import { describe, expect, it } from 'vitest';
import { HostError } from '../host-error.js';
import {
  checkSpawnRequest,
  DEFAULT_EXIT_RETENTION_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_LIFETIME_MS,
  DEFAULT_RING_BYTES,
  type GuestSpawnRequest,
  HOUR_MS,
  MAX_ARG_BYTES,
  MAX_ARGS,
  MAX_ENV_VARS,
  MAX_EXIT_RETENTION_MS,
  MAX_LABEL_BYTES,
  MAX_RING_BYTES,
  MAX_STDIN_PRELUDE,
  MIN_RING_BYTES,
  truncateUtf8,
} from './spawn-request.js';

const req = (over: Partial<GuestSpawnRequest> = {}): GuestSpawnRequest => ({
  cmd: 'echo',
  args: [],
  env: [],
  ...over,
});

/** The HostError a call throws (fails the test when it does not throw one). */
function hostError(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error('expected a HostError');
}

function refused(
  over: Partial<GuestSpawnRequest>,
  message: RegExp | string,
  tag = 'invalid-input',
) {
  const e = hostError(() => checkSpawnRequest(req(over), false));
  expect(e.tag).toBe(tag);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
}

describe('checkSpawnRequest defaults', () => {
  it('fills in every default for a minimal ephemeral request', () => {
    const spec = checkSpawnRequest(req({ args: ['hi'] }), false);
    expect(spec).toEqual({
      cmd: 'echo',
      args: ['hi'],
      stdin: null,
      env: [],
      cwd: null,
      limits: { maxMemoryBytes: null, maxCpuSecs: null, maxPids: null, maxOpenFiles: null },
      label: 'echo hi',
      keepStdinOpen: false,
      overflow: 'backpressure',
      ringBytes: DEFAULT_RING_BYTES,
      maxLifetimeMs: DEFAULT_MAX_LIFETIME_MS,
      idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
      exitRetentionMs: DEFAULT_EXIT_RETENTION_MS,
    });
  });

  it('defaults the persistent tier to drop-oldest and honours an explicit policy', () => {
    expect(checkSpawnRequest(req(), true).overflow).toBe('drop-oldest');
    expect(checkSpawnRequest(req({ overflow: 'backpressure' }), true).overflow).toBe(
      'backpressure',
    );
    expect(checkSpawnRequest(req({ overflow: 'drop-oldest' }), false).overflow).toBe('drop-oldest');
  });

  it('copies args, env pairs, stdin, cwd and keepStdinOpen through', () => {
    const args = ['-n', 'x'];
    const stdin = new Uint8Array([1, 2, 3]);
    const spec = checkSpawnRequest(
      req({
        args,
        stdin,
        cwd: 'cwd://sub',
        keepStdinOpen: true,
        env: [
          { key: 'A', value: '1' },
          { key: '_b2', value: '' },
        ],
      }),
      false,
    );
    expect(spec.args).toEqual(args);
    expect(spec.args).not.toBe(args);
    expect(spec.stdin).toBe(stdin);
    expect(spec.cwd).toBe('cwd://sub');
    expect(spec.keepStdinOpen).toBe(true);
    expect(spec.env).toEqual([
      ['A', '1'],
      ['_b2', ''],
    ]);
  });

  it('keeps an empty stdin prelude as given rather than null', () => {
    expect(checkSpawnRequest(req({ stdin: new Uint8Array(0) }), false).stdin).toEqual(
      new Uint8Array(0),
    );
  });
});

describe('checkSpawnRequest refusals', () => {
  it('refuses an empty program or one with NUL or whitespace', () => {
    refused({ cmd: '' }, 'cmd must name a program');
    refused({ cmd: 'ec\0ho' }, 'cmd must not contain NUL');
    refused(
      { cmd: 'git status' },
      'cmd "git status" contains whitespace; put the program in cmd and each argument in args',
    );
    refused({ cmd: 'a\tb' }, /contains whitespace/);
    refused({ cmd: 'echo\n' }, /contains whitespace/);
  });

  it('refuses too many arguments, NUL in arguments and oversized arguments', () => {
    refused({ args: new Array(MAX_ARGS + 1).fill('a') }, `at most ${MAX_ARGS} arguments`);
    expect(
      checkSpawnRequest(req({ args: new Array(MAX_ARGS).fill('a') }), false).args,
    ).toHaveLength(MAX_ARGS);
    refused({ args: ['ok', 'b\0d'] }, 'arguments must not contain NUL');
    refused(
      { args: ['x'.repeat(MAX_ARG_BYTES / 2), 'y'.repeat(MAX_ARG_BYTES / 2 + 1)] },
      `the arguments exceed ${MAX_ARG_BYTES} bytes`,
    );
    expect(() =>
      checkSpawnRequest(req({ args: ['x'.repeat(MAX_ARG_BYTES)] }), false),
    ).not.toThrow();
  });

  it('counts argument size in UTF-8 bytes, not characters', () => {
    // 'é' is 2 bytes in UTF-8: half the limit in characters is exactly the limit in bytes.
    expect(() =>
      checkSpawnRequest(req({ args: ['é'.repeat(MAX_ARG_BYTES / 2)] }), false),
    ).not.toThrow();
    refused({ args: ['é'.repeat(MAX_ARG_BYTES / 2 + 1)] }, /exceed/);
  });

  it('refuses too many environment variables, bad names and NUL in values', () => {
    const many = Array.from({ length: MAX_ENV_VARS + 1 }, (_, i) => ({ key: `V${i}`, value: '' }));
    refused({ env: many }, `at most ${MAX_ENV_VARS} environment variables`);
    expect(checkSpawnRequest(req({ env: many.slice(1) }), false).env).toHaveLength(MAX_ENV_VARS);
    for (const key of ['', '1ABC', 'A-B', 'A=B', 'A B', 'ÄB']) {
      refused(
        { env: [{ key, value: 'v' }] },
        `${JSON.stringify(key)} is not a valid environment variable name`,
      );
    }
    refused({ env: [{ key: 'TOKEN', value: 'a\0b' }] }, 'the value of TOKEN contains NUL');
  });

  it('refuses a stdin prelude above the limit as too-large', () => {
    refused(
      { stdin: new Uint8Array(MAX_STDIN_PRELUDE + 1) },
      `the stdin prelude is ${MAX_STDIN_PRELUDE + 1} bytes; the limit is ${MAX_STDIN_PRELUDE}`,
      'too-large',
    );
    expect(
      checkSpawnRequest(req({ stdin: new Uint8Array(MAX_STDIN_PRELUDE) }), false).stdin,
    ).toHaveLength(MAX_STDIN_PRELUDE);
  });

  it('refuses a zero idle timeout', () => {
    refused(
      { idleTimeoutMs: 0n },
      'idle-timeout-ms must be positive (leave it unset for the default)',
    );
  });
});

describe('checkSpawnRequest resource limits', () => {
  it('accepts limits at their minimums and converts bigints to numbers', () => {
    const spec = checkSpawnRequest(
      req({ limits: { maxMemoryBytes: 1048576n, maxCpuSecs: 1n, maxPids: 1, maxOpenFiles: 4 } }),
      false,
    );
    expect(spec.limits).toEqual({
      maxMemoryBytes: 1048576,
      maxCpuSecs: 1,
      maxPids: 1,
      maxOpenFiles: 4,
    });
  });

  it('leaves unset limits null', () => {
    expect(checkSpawnRequest(req({ limits: { maxPids: 64 } }), false).limits).toEqual({
      maxMemoryBytes: null,
      maxCpuSecs: null,
      maxPids: 64,
      maxOpenFiles: null,
    });
  });

  it('refuses each limit below its minimum, naming it', () => {
    refused(
      { limits: { maxMemoryBytes: 1048575n } },
      'limits.max-memory-bytes must be at least 1048576 (got 1048575)',
    );
    refused({ limits: { maxCpuSecs: 0n } }, 'limits.max-cpu-secs must be at least 1 (got 0)');
    refused({ limits: { maxPids: 0 } }, 'limits.max-pids must be at least 1 (got 0)');
    refused({ limits: { maxOpenFiles: 3 } }, 'limits.max-open-files must be at least 4 (got 3)');
  });

  it('refuses a non-finite limit', () => {
    refused({ limits: { maxPids: Number.NaN } }, 'limits.max-pids must be at least 1 (got NaN)');
    refused(
      { limits: { maxOpenFiles: Number.POSITIVE_INFINITY } },
      /limits.max-open-files must be at least 4/,
    );
  });
});

describe('checkSpawnRequest label', () => {
  it('defaults to the command line', () => {
    expect(checkSpawnRequest(req({ cmd: 'git', args: ['log', '-1'] }), false).label).toBe(
      'git log -1',
    );
  });

  it('strips control characters from the label and the default', () => {
    expect(checkSpawnRequest(req({ label: 'a\x1b[31mb\x7f\x85c\n' }), false).label).toBe('a[31mbc');
    expect(checkSpawnRequest(req({ args: ['x\ty'] }), false).label).toBe('echo xy');
  });

  it('cuts to the label byte limit without splitting a character', () => {
    expect(checkSpawnRequest(req({ label: 'a'.repeat(200) }), false).label).toBe(
      'a'.repeat(MAX_LABEL_BYTES),
    );
    // 3 + 42 × 3 = 129 bytes: the last 3-byte character does not fit.
    const label = checkSpawnRequest(req({ label: `abc${'€'.repeat(42)}` }), false).label;
    expect(label).toBe(`abc${'€'.repeat(41)}`);
    expect(Buffer.byteLength(label)).toBe(126);
  });
});

describe('checkSpawnRequest ring size and lifetimes', () => {
  it('clamps the ring size into [MIN_RING_BYTES, MAX_RING_BYTES]', () => {
    const ring = (n: number) => checkSpawnRequest(req({ logRingBytes: n }), false).ringBytes;
    expect(ring(0)).toBe(MIN_RING_BYTES);
    expect(ring(MIN_RING_BYTES - 1)).toBe(MIN_RING_BYTES);
    expect(ring(65536)).toBe(65536);
    expect(ring(MAX_RING_BYTES)).toBe(MAX_RING_BYTES);
    expect(ring(MAX_RING_BYTES + 1)).toBe(MAX_RING_BYTES);
  });

  it('clamps lifetimes down to the host ceilings and keeps smaller values', () => {
    const spec = checkSpawnRequest(
      req({ maxLifetimeMs: 2n ** 63n, idleTimeoutMs: 2n ** 63n, exitRetentionMs: 2n ** 63n }),
      true,
    );
    expect(spec.maxLifetimeMs).toBe(DEFAULT_MAX_LIFETIME_MS);
    expect(spec.idleTimeoutMs).toBe(6 * HOUR_MS);
    expect(spec.exitRetentionMs).toBe(MAX_EXIT_RETENTION_MS);
    const small = checkSpawnRequest(
      req({ maxLifetimeMs: 1500n, idleTimeoutMs: 1n, exitRetentionMs: 0n }),
      true,
    );
    expect([small.maxLifetimeMs, small.idleTimeoutMs, small.exitRetentionMs]).toEqual([1500, 1, 0]);
  });

  it('keeps values exactly at the ceilings and clamps one above', () => {
    const at = checkSpawnRequest(
      req({
        maxLifetimeMs: BigInt(DEFAULT_MAX_LIFETIME_MS),
        exitRetentionMs: BigInt(MAX_EXIT_RETENTION_MS + 1),
      }),
      false,
    );
    expect(at.maxLifetimeMs).toBe(DEFAULT_MAX_LIFETIME_MS);
    expect(at.exitRetentionMs).toBe(MAX_EXIT_RETENTION_MS);
  });
});

describe('truncateUtf8', () => {
  it('returns short text unchanged and cuts long text at the byte limit', () => {
    expect(truncateUtf8('hello', 10)).toBe('hello');
    expect(truncateUtf8('hello', 5)).toBe('hello');
    expect(truncateUtf8('hello', 3)).toBe('hel');
    expect(truncateUtf8('hello', 0)).toBe('');
  });

  it('never splits a multi-byte character or a surrogate pair', () => {
    expect(truncateUtf8('aé', 2)).toBe('a');
    expect(truncateUtf8('aé', 3)).toBe('aé');
    expect(truncateUtf8('€€', 5)).toBe('€');
    // U+1F600 is 4 bytes in UTF-8 and two UTF-16 code units.
    expect(truncateUtf8('x😀y', 4)).toBe('x');
    expect(truncateUtf8('x😀y', 5)).toBe('x😀');
  });
});
