import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeLimited, readLimited } from './read-limited.js';

describe('read-limited', () => {
  it('decodes lossily and cuts at the byte limit', () => {
    expect(decodeLimited([Buffer.from('hé'), Buffer.from([0xff]), Buffer.from('!')], 100)).toBe(
      'hé\uFFFD!',
    );
    // 'é' is two bytes; a cut through it becomes U+FFFD.
    expect(decodeLimited([Buffer.from('aé')], 2)).toBe('a\uFFFD');
    expect(decodeLimited([], 10)).toBe('');
  });

  it('reads a stream to EOF, keeping at most the limit', async () => {
    expect(await readLimited(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 100)).toBe(
      'abcd',
    );
    expect(await readLimited(Readable.from([Buffer.from('abcdef')]), 3)).toBe('abc');
  });

  it('keeps what arrived when the stream fails', async () => {
    const s = new PassThrough();
    const text = readLimited(s, 100);
    s.write('partial');
    await new Promise((r) => setImmediate(r));
    s.destroy(new Error('EIO'));
    expect(await text).toBe('partial');
  });
});
