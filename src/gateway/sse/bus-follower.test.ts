import { describe, expect, it } from 'vitest';
import { ipcEvent } from '../../events/astrid-event.js';
import { EventBus } from '../../events/event-bus.js';
import { ipcMessage } from '../../events/ipc-message.js';
import { rawJson } from '../../events/ipc-payload.js';
import { followTopics } from './bus-follower.js';

function publish(bus: EventBus, topic: string, n: number, principal: string | null = null): void {
  bus.publish(ipcEvent(ipcMessage({ topic, payload: rawJson({ n }), principal })));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('followTopics', () => {
  it('delivers several topics in publication order and releases its routes', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const release = followTopics(
      bus,
      { topics: ['a.v1.x', 'b.v1.y'], label: 'gateway::agent_sse' },
      (m) => seen.push(`${m.topic}#${JSON.stringify(m.payload)}`),
      () => seen.push('end'),
    );
    expect(bus.routedSubscriptionCount()).toBe(2);
    publish(bus, 'b.v1.y', 1);
    publish(bus, 'a.v1.x', 2);
    publish(bus, 'c.v1.z', 3);
    publish(bus, 'b.v1.y', 4);
    await settle();
    expect(seen.map((s) => s.replace(/#.*"n":(\d+).*/, '#$1'))).toEqual([
      'b.v1.y#1',
      'a.v1.x#2',
      'b.v1.y#4',
    ]);
    release();
    release();
    expect(bus.routedSubscriptionCount()).toBe(0);
    publish(bus, 'a.v1.x', 5);
    await settle();
    expect(seen).toHaveLength(3);
    bus.close();
  });

  it('keeps only the scoped principal and reports the end of the bus', async () => {
    const bus = new EventBus();
    const seen: (string | null)[] = [];
    let ended = false;
    followTopics(
      bus,
      { topics: ['audit.v1.entry'], label: 'gateway::audit_sse', scope: 'alice' },
      (m) => seen.push(m.principal),
      (failure) => {
        expect(failure).toBeUndefined();
        ended = true;
      },
    );
    publish(bus, 'audit.v1.entry', 1, 'bob');
    publish(bus, 'audit.v1.entry', 2, 'alice');
    await settle();
    expect(seen).toEqual(['alice']);
    bus.close();
    await settle();
    expect(ended).toBe(true);
  });
});
