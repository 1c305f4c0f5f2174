import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RuntimeKey } from './runtime-key.js';

describe('SigningWorker', () => {
  it('signs batches on a worker thread exactly as the key signs here, in order', async () => {
    const key = RuntimeKey.fromSeed(randomBytes(32));
    const signer = key.signingWorker();
    try {
      const first = [randomBytes(10), randomBytes(700), new Uint8Array(0)];
      const second = [randomBytes(300)];
      const [a, b] = await Promise.all([signer.sign(first), signer.sign(second)]);
      expect(signer.running).toBe(true);
      expect(a?.map((s) => Buffer.from(s).toString('hex'))).toEqual(
        first.map((m) => Buffer.from(key.sign(m)).toString('hex')),
      );
      expect(Buffer.from(b?.[0] ?? []).equals(Buffer.from(key.sign(second[0] as Uint8Array)))).toBe(
        true,
      );
    } finally {
      await signer.close();
    }
    expect(signer.running).toBe(false);
    expect(signer.broken).toBe(true);
    await expect(signer.sign([randomBytes(4)])).rejects.toThrow(/not available/);
  });

  it('stops its thread when idle and starts a new one for the next batch', async () => {
    const key = RuntimeKey.fromSeed(randomBytes(32));
    const signer = key.signingWorker(20);
    try {
      await signer.sign([randomBytes(8)]);
      expect(signer.running).toBe(true);
      for (let i = 0; i < 100 && signer.running; i++) await new Promise((r) => setTimeout(r, 20));
      expect(signer.running).toBe(false);
      const [sig] = await signer.sign([Buffer.from('again')]);
      expect(Buffer.from(sig ?? []).equals(Buffer.from(key.sign(Buffer.from('again'))))).toBe(true);
    } finally {
      await signer.close();
    }
  });

  it('rejects the batches that are out when it is closed', async () => {
    const signer = RuntimeKey.fromSeed(randomBytes(32)).signingWorker();
    const out = signer.sign(Array.from({ length: 2000 }, () => randomBytes(600)));
    const rejected = expect(out).rejects.toThrow(/closed/);
    await signer.close();
    await rejected;
  });
});
