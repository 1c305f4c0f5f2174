import { blake3 } from 'hash-wasm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base32, newProcessId, PROCESS_ID_PATTERN, ProcessIdHasher } from './process-ids.js';

// randomBytes stays the real CSPRNG unless a test queues fixed bytes.
const fixed = vi.hoisted(() => ({ queue: [] as Buffer[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    randomBytes: (n: number) => {
      const next = fixed.queue.shift();
      if (next === undefined) return real.randomBytes(n);
      if (next.length !== n) throw new Error(`test queued ${next.length} bytes, code asked ${n}`);
      return next;
    },
  };
});

afterEach(() => {
  fixed.queue.length = 0;
});

const ascii = (s: string) => new TextEncoder().encode(s);

describe('base32', () => {
  it('matches the RFC 4648 test vectors, lowercase and unpadded', () => {
    expect(base32(ascii(''))).toBe('');
    expect(base32(ascii('f'))).toBe('my');
    expect(base32(ascii('fo'))).toBe('mzxq');
    expect(base32(ascii('foo'))).toBe('mzxw6');
    expect(base32(ascii('foob'))).toBe('mzxw6yq');
    expect(base32(ascii('fooba'))).toBe('mzxw6ytb');
    expect(base32(ascii('foobar'))).toBe('mzxw6ytboi');
  });

  it('encodes extreme byte values', () => {
    expect(base32(new Uint8Array([0, 0, 0, 0, 0]))).toBe('aaaaaaaa');
    expect(base32(new Uint8Array([255, 255, 255, 255, 255]))).toBe('77777777');
    expect(base32(new Uint8Array([255]))).toBe('74');
    expect(base32(new Uint8Array(32).fill(255))).toBe(`${'7'.repeat(51)}q`);
  });

  it('encodes 32 bytes as 52 characters of the id alphabet', () => {
    const out = base32(new Uint8Array(32).map((_, i) => i * 8 + 3));
    expect(out).toHaveLength(52);
    expect(out).toMatch(PROCESS_ID_PATTERN);
  });
});

describe('newProcessId', () => {
  it('encodes 32 bytes from the CSPRNG', () => {
    const bytes = Buffer.alloc(32, 0);
    bytes[31] = 1;
    fixed.queue.push(bytes);
    expect(newProcessId()).toBe(`${'a'.repeat(51)}q`);
  });

  it('returns a fresh 52-character id each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newProcessId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(PROCESS_ID_PATTERN);
  });
});

describe('PROCESS_ID_PATTERN', () => {
  it('accepts only 52 characters of the lowercase base32 alphabet', () => {
    expect(PROCESS_ID_PATTERN.test('a'.repeat(52))).toBe(true);
    expect(PROCESS_ID_PATTERN.test('a'.repeat(51))).toBe(false);
    expect(PROCESS_ID_PATTERN.test('a'.repeat(53))).toBe(false);
    expect(PROCESS_ID_PATTERN.test(`${'a'.repeat(51)}A`)).toBe(false);
    expect(PROCESS_ID_PATTERN.test(`${'a'.repeat(51)}1`)).toBe(false);
    expect(PROCESS_ID_PATTERN.test(`${'a'.repeat(51)}8`)).toBe(false);
    expect(PROCESS_ID_PATTERN.test(`${'a'.repeat(52)}\n`)).toBe(false);
  });
});

describe('ProcessIdHasher', () => {
  it('keys ids with BLAKE3 under 32 random bytes of its own', async () => {
    const key = Buffer.alloc(32, 7);
    fixed.queue.push(key);
    const hasher = await ProcessIdHasher.create();
    const id = 'a'.repeat(52);
    expect(hasher.key(id)).toBe(await blake3(id, 256, key));
    expect(hasher.key(id)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives each registry its own keys, so keys do not carry over', async () => {
    const a = await ProcessIdHasher.create();
    const b = await ProcessIdHasher.create();
    const id = newProcessId();
    expect(a.key(id)).toBe(a.key(id));
    expect(a.key(id)).not.toBe(b.key(id));
    expect(a.key(id)).not.toBe(await blake3(id, 256));
  });

  it('short is the first 16 hex characters of the unkeyed BLAKE3, the same in every registry', async () => {
    const a = await ProcessIdHasher.create();
    const b = await ProcessIdHasher.create();
    // The BLAKE3 test vector for the empty input.
    expect(a.short('')).toBe('af1349b9f5f9a1a6');
    const id = newProcessId();
    expect(a.short(id)).toBe((await blake3(id, 256)).slice(0, 16));
    expect(a.short(id)).toBe(b.short(id));
  });

  it('resets between calls, so interleaved calls do not affect each other', async () => {
    const hasher = await ProcessIdHasher.create();
    const x = hasher.key('x');
    const sx = hasher.short('x');
    hasher.key('y');
    hasher.short('y');
    expect(hasher.key('x')).toBe(x);
    expect(hasher.short('x')).toBe(sx);
    expect(hasher.key('x')).not.toBe(hasher.key('y'));
    expect(hasher.short('x')).not.toBe(hasher.short('y'));
  });
});
