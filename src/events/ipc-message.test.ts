import { describe, expect, it } from 'vitest';
import {
  decodeIpcMessage,
  encodeIpcMessage,
  guestPayloadJson,
  ipcMessage,
  ipcSize,
  SYSTEM_SESSION_UUID,
} from './ipc-message.js';
import { rawJson } from './ipc-payload.js';

describe('IpcMessage', () => {
  it('constructs with defaults: system source, no principal, seq 0, now', () => {
    const before = Date.now();
    const m = ipcMessage({ topic: 'a.b', payload: { type: 'connect' } });
    expect(m.sourceId).toBe(SYSTEM_SESSION_UUID);
    expect(m.principal).toBeNull();
    expect(m.seq).toBe(0);
    expect(m.claimed).toBe(false);
    expect(m.timestampMs).toBeGreaterThanOrEqual(before);
  });

  it('encodes to the wire form and back', () => {
    const m = ipcMessage({
      topic: 'astrid.v1.request.status',
      payload: rawJson({ method: 'GetStatus' }),
      principal: 'alice',
      sourceId: '11111111-2222-4333-8444-555555555555',
      timestampMs: Date.parse('2026-01-02T03:04:05.678Z'),
    });
    m.seq = 9;
    const wire = encodeIpcMessage(m);
    expect(wire).toEqual({
      topic: 'astrid.v1.request.status',
      payload: { type: 'raw_json', method: 'GetStatus' },
      signature: null,
      source_id: '11111111-2222-4333-8444-555555555555',
      timestamp: '2026-01-02T03:04:05.678Z',
      seq: 9,
      principal: 'alice',
    });
    expect(decodeIpcMessage(JSON.parse(JSON.stringify(wire)))).toEqual(m);
  });

  it('omits the principal for system messages and marks claimed principals', () => {
    expect(
      encodeIpcMessage(ipcMessage({ topic: 'a', payload: { type: 'connect' } })),
    ).not.toHaveProperty('principal');
    const claimed = encodeIpcMessage(
      ipcMessage({ topic: 'a', payload: { type: 'connect' }, principal: 'bob', claimed: true }),
    );
    expect(claimed.principal_claimed).toBe(true);
  });

  it('defaults timestamp to now, seq to 0 and signature to null on decode', () => {
    const m = decodeIpcMessage(
      { topic: 't', payload: { type: 'connect' }, source_id: SYSTEM_SESSION_UUID },
      1234,
    );
    expect(m.timestampMs).toBe(1234);
    expect(m.seq).toBe(0);
    expect(m.signature).toBeNull();
    expect(m.principal).toBeNull();
  });

  it.each([
    [{ payload: { type: 'connect' }, source_id: 'x' }, 'topic'],
    [{ topic: 't', payload: { type: 'connect' } }, 'source_id'],
    [
      { topic: 't', payload: { type: 'connect' }, source_id: 'x', timestamp: 'yesterday' },
      'timestamp',
    ],
    [{ topic: 't', payload: { type: 'connect' }, source_id: 'x', seq: -1 }, 'seq'],
    [{ topic: 't', payload: { type: 'connect' }, source_id: 'x', principal: 5 }, 'principal'],
    [{ topic: 't', payload: { type: 'connect' }, source_id: 'x', signature: [300] }, 'signature'],
    [{ topic: 't', source_id: 'x' }, 'payload'],
  ])('rejects %j', (wire, why) => {
    expect(() => decodeIpcMessage(wire)).toThrow(why);
  });

  it('sizes a message as guest body bytes + topic bytes', () => {
    const m = ipcMessage({ topic: 'a.é', payload: rawJson({ k: 'v' }) });
    expect(guestPayloadJson(m)).toBe('{"k":"v"}');
    expect(ipcSize(m)).toBe(9 + 4);
  });
});
