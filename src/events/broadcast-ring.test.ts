import { describe, expect, it } from 'vitest';
import { ipcEvent } from './astrid-event.js';
import { BroadcastRing } from './broadcast-ring.js';
import { ipcMessage } from './ipc-message.js';
import { rawJson } from './ipc-payload.js';

const event = (topic: string) =>
  ipcEvent(ipcMessage({ topic, payload: rawJson({}), sourceId: 'test' }), 'test');

describe('BroadcastRing retention', () => {
  it('holds nothing when nobody listens', () => {
    const ring = new BroadcastRing(8, () => {});
    for (let i = 0; i < 5; i++) ring.push(event('a.b'));
    expect(ring.retained).toBe(0);
  });

  it('holds events only until every receiver has read them', () => {
    const ring = new BroadcastRing(8, () => {});
    const fast = ring.subscribe('fast', undefined);
    const slow = ring.subscribe('slow', undefined);
    for (let i = 0; i < 3; i++) ring.push(event(`t.${i}`));
    while (fast.tryRecv() !== null);
    expect(ring.retained).toBe(3);
    // The slow receiver still gets all three, in order.
    expect(
      [slow.tryRecv(), slow.tryRecv()].map((e) => e?.type === 'ipc' && e.message.topic),
    ).toEqual(['t.0', 't.1']);
    ring.push(event('t.3'));
    expect(ring.retained).toBe(2);
    expect(slow.tryRecv()?.type === 'ipc').toBe(true);
    slow.close();
    while (fast.tryRecv() !== null);
    ring.push(event('t.4'));
    expect(ring.retained).toBe(1);
    expect(fast.tryRecv()).not.toBeNull();
  });

  it('a lagging receiver still reads the oldest events the ring kept', () => {
    const lags: number[] = [];
    const ring = new BroadcastRing(4, (_label, missed) => lags.push(missed));
    const r = ring.subscribe('lagging', undefined);
    for (let i = 0; i < 10; i++) ring.push(event(`t.${i}`));
    expect(ring.retained).toBe(4);
    const topics: string[] = [];
    for (let e = r.tryRecv(); e !== null; e = r.tryRecv())
      if (e.type === 'ipc') topics.push(e.message.topic);
    expect(topics).toEqual(['t.6', 't.7', 't.8', 't.9']);
    expect(lags).toEqual([6]);
  });
});
