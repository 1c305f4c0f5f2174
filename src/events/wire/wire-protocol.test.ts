import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from './frame-codec.js';
import { judgeHandshake, tokensEqual } from './handshake.js';

const TOKEN = 'a1'.repeat(32);

describe('frame codec', () => {
  it('round-trips frames split at every byte and glued together', () => {
    const bytes = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame({ b: 'é' }), encodeFrame([])]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new FrameDecoder(1024);
      d.push(bytes.subarray(0, cut));
      const first = d.drain();
      d.push(bytes.subarray(cut));
      const all = [...first, ...d.drain()].map((f) => JSON.parse(f.toString()));
      expect(all).toEqual([{ a: 1 }, { b: 'é' }, []]);
      expect(d.pendingBytes).toBe(0);
    }
  });

  it('refuses a declared length over the limit before buffering the body', () => {
    const d = new FrameDecoder(10);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(11);
    d.push(head);
    expect(() => d.next()).toThrow(/frame of 11 bytes exceeds the 10-byte limit/);
  });
});

describe('handshake', () => {
  it('accepts the right token (any case) and defaults the principal', () => {
    const v = judgeHandshake(
      { token: TOKEN.toUpperCase(), protocol_version: 1, client_version: '1' },
      TOKEN,
      '0.8.0',
    );
    expect(v).toMatchObject({
      ok: true,
      principal: 'default',
      response: { status: 'ok', protocol_version: 1, server_version: '0.8.0' },
    });
    expect(v.response.reason).toBeUndefined();
  });

  it('checks the version before the token, and answers bad and wrong tokens alike', () => {
    expect(
      judgeHandshake({ token: 'junk', protocol_version: 7 }, TOKEN, 'v').response.reason,
    ).toMatch(/Protocol version mismatch \(client=7, server=1\)/);
    expect(judgeHandshake({ token: 'junk', protocol_version: 1 }, TOKEN, 'v').response.reason).toBe(
      'authentication failed',
    );
    expect(
      judgeHandshake({ token: 'b2'.repeat(32), protocol_version: 1 }, TOKEN, 'v').response.reason,
    ).toBe('authentication failed');
    expect(judgeHandshake(null, TOKEN, 'v').response.reason).toBe('malformed handshake');
  });

  it('takes an optional principal and refuses a malformed one', () => {
    expect(
      judgeHandshake({ token: TOKEN, protocol_version: 1, principal: 'alice' }, TOKEN, 'v'),
    ).toMatchObject({ ok: true, principal: 'alice' });
    expect(
      judgeHandshake({ token: TOKEN, protocol_version: 1, principal: '__host__' }, TOKEN, 'v')
        .response.reason,
    ).toMatch(/invalid principal/);
  });

  it('compares tokens in constant time over their bytes', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN, 'a1'.repeat(31))).toBe(false);
  });
});
