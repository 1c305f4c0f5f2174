import { afterEach, describe, expect, it } from 'vitest';
import { ipcEvent } from '../events/astrid-event.js';
import { EventBus } from '../events/event-bus.js';
import { ipcMessage } from '../events/ipc-message.js';
import { payloadFromJsonValue } from '../events/ipc-payload.js';
import type { Json } from '../events/json.js';
import { BusRecorder, topicFilter } from './bus-recorder.js';

const buses: EventBus[] = [];
afterEach(() => {
  for (const b of buses.splice(0)) b.close();
});

function bus(): EventBus {
  const b = new EventBus();
  buses.push(b);
  return b;
}

function send(b: EventBus, topic: string, payload: Json, sourceId = 'src'): void {
  b.publish(
    ipcEvent(
      ipcMessage({ topic, payload: payloadFromJsonValue(payload), sourceId, principal: 'p1' }),
    ),
  );
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('topicFilter', () => {
  it('matches like a subscription: * one segment, trailing .* one or more', () => {
    const t = (pattern: string | undefined, topic: string) =>
      topicFilter(pattern)({ topic, payload: null, principal: null, sourceId: '', seq: 0 });
    expect(t(undefined, 'a.b')).toBe(true);
    expect(t('a.b', 'a.b')).toBe(true);
    expect(t('a.b', 'a.c')).toBe(false);
    expect(t('a.*.c', 'a.x.c')).toBe(true);
    expect(t('a.*', 'a.b.c')).toBe(true);
    expect(t('a.*', 'a')).toBe(false);
  });
});

describe('BusRecorder', () => {
  it('records IPC messages with the payload a guest would see', async () => {
    const b = bus();
    const r = new BusRecorder(b);
    send(b, 'x.one', { n: 1 });
    send(b, 'x.two', 'text');
    b.publish({
      type: 'kernel_started',
      metadata: { eventId: 'e', timestampMs: 0, correlationId: null, sessionId: null, source: 'k' },
      version: '1',
    });
    await tick();
    expect(r.count).toBe(2);
    expect(r.list(() => true)).toMatchObject([
      { topic: 'x.one', payload: { n: 1 }, principal: 'p1', sourceId: 'src', seq: 1 },
      { topic: 'x.two', payload: 'text', principal: 'p1', sourceId: 'src', seq: 2 },
    ]);
    expect(r.list(topicFilter('x.two'), 0).map((m) => m.topic)).toEqual(['x.two']);
    expect(r.list(() => true, 1).map((m) => m.topic)).toEqual(['x.two']);
    await r.close();
  });

  it('waitFor returns a recorded message at once, or the next one that passes', async () => {
    const b = bus();
    const r = new BusRecorder(b);
    send(b, 'x.early', 1);
    await tick();
    await expect(
      r.waitFor(topicFilter('x.early'), { timeoutMs: 10, what: 'early' }),
    ).resolves.toMatchObject({ topic: 'x.early' });
    const later = r.waitFor(topicFilter('x.later'), { from: r.count, timeoutMs: 1000, what: 'l' });
    send(b, 'x.other', 2);
    send(b, 'x.later', 3);
    await expect(later).resolves.toMatchObject({ topic: 'x.later', payload: 3 });
    await r.close();
  });

  it('waitFor skips messages before `from` and times out with what it waited for', async () => {
    const b = bus();
    const r = new BusRecorder(b);
    send(b, 'x.old', 1);
    await tick();
    await expect(
      r.waitFor(topicFilter('x.old'), { from: r.count, timeoutMs: 20, what: 'a new x.old' }),
    ).rejects.toThrow('no a new x.old within 20 ms');
    await r.close();
  });
});
