import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../core/logger.js';
import { type AstridEvent, eventMetadata, ipcEvent } from './astrid-event.js';
import { EventBus } from './event-bus.js';
import { type IpcMessage, ipcMessage } from './ipc-message.js';
import { rawJson } from './ipc-payload.js';

function ipc(
  topic: string,
  principal: string | null = null,
  body: Record<string, string> = {},
): AstridEvent {
  return ipcEvent(ipcMessage({ topic, payload: rawJson(body), principal }));
}

function shutdown(): AstridEvent {
  return { type: 'kernel_shutdown', metadata: eventMetadata('kernel'), reason: 'test' };
}

async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) =>
    Object.entries(labels).every(([k, val]) => v.labels[k] === val),
  );
  return match?.value ?? 0;
}

describe('EventBus broadcast', () => {
  it('delivers one event to three subscribers and returns the receiver count', async () => {
    const bus = new EventBus();
    expect(bus.publish(ipc('a.b'))).toBe(0);
    const subs = [bus.subscribe(), bus.subscribe(), bus.subscribe()];
    expect(bus.publish(ipc('a.b'))).toBe(3);
    for (const s of subs) expect((await s.recv())?.type).toBe('ipc');
    expect(bus.subscriberCount()).toBe(3);
    subs[0]?.close();
    expect(bus.subscriberCount()).toBe(2);
  });

  it('stamps strictly increasing seq from 1 on IPC events only', () => {
    const bus = new EventBus();
    const events = [ipc('a'), shutdown(), ipc('b'), ipc('c')];
    for (const e of events) bus.publish(e);
    const seqs = events
      .filter((e) => e.type === 'ipc')
      .map((e) => (e as { message: IpcMessage }).message.seq);
    expect(seqs).toEqual([1, 2, 3]);
    expect(bus.lastSeq).toBe(3);
  });

  it('topic filter: astrid.* gets astrid.cli.input and astrid.a.b.c, never other.x or non-IPC events', () => {
    const bus = new EventBus();
    const sub = bus.subscribe({ topic: 'astrid.*' });
    for (const t of ['astrid.cli.input', 'other.x', 'astrid.a.b.c']) bus.publish(ipc(t));
    bus.publish(shutdown());
    const deep = Array.from({ length: 21 }, (_, i) => (i === 0 ? 'astrid' : `s${i}`)).join('.');
    bus.publish(ipc(deep));
    const got: string[] = [];
    for (let e = sub.tryRecv(); e !== null; e = sub.tryRecv()) {
      if (e.type === 'ipc') got.push(e.message.topic);
      else got.push(e.type);
    }
    expect(got).toEqual(['astrid.cli.input', 'astrid.a.b.c']);
  });

  it('a subscriber sees only events published after it subscribed', () => {
    const bus = new EventBus();
    bus.publish(ipc('early'));
    const sub = bus.subscribe();
    bus.publish(ipc('late'));
    const e = sub.tryRecv();
    expect(e?.type === 'ipc' && e.message.topic).toBe('late');
    expect(sub.tryRecv()).toBeNull();
  });

  it('reports lag (capacity 2, 5 unread) via drainLagged and the lag metric, and logs it', async () => {
    const logger = recordingLogger();
    const registry = new Registry();
    const bus = new EventBus({ capacity: 2, registry, logger });
    const sub = bus.subscribe({ label: 'kernel_router' });
    for (let i = 0; i < 5; i++) bus.publish(ipc(`t${i}`));
    const first = await sub.recv();
    expect(first?.type === 'ipc' && first.message.topic).toBe('t3');
    expect(sub.drainLagged()).toBe(3);
    expect(sub.drainLagged()).toBe(0);
    expect(
      await metricValue(registry, 'astrid_bus_receiver_lagged_total', {
        subscriber: 'kernel_router',
      }),
    ).toBe(3);
    expect(logger.lines.some((l) => l.level === 'error' && l.fields.security_event === true)).toBe(
      true,
    );
  });

  it('labels subscribers from a fixed set; anything else is untagged', () => {
    const bus = new EventBus();
    expect(bus.subscribe({ label: 'admin_router' }).label).toBe('admin_router');
    expect(bus.subscribe({ label: 'caller text' }).label).toBe('untagged');
    expect(bus.subscribe().label).toBe('untagged');
  });

  it('recv waits for the next matching event and can be aborted', async () => {
    const bus = new EventBus();
    const sub = bus.subscribe({ topic: 'x.*' });
    const pending = sub.recv();
    bus.publish(ipc('y.z'));
    bus.publish(ipc('x.y'));
    const e = await pending;
    expect(e?.type === 'ipc' && e.message.topic).toBe('x.y');
    const ctl = new AbortController();
    const waiting = sub.recv(ctl.signal);
    ctl.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('a filtered receiver skipping many events still finds the match', async () => {
    const bus = new EventBus({ capacity: 4096 });
    const sub = bus.subscribe({ topic: 'needle' });
    for (let i = 0; i < 1000; i++) bus.publish(ipc('hay'));
    bus.publish(ipc('needle'));
    const e = await sub.recv();
    expect(e?.type === 'ipc' && e.message.topic).toBe('needle');
  });

  it('close returns buffered events, then null', async () => {
    const bus = new EventBus();
    const sub = bus.subscribe();
    bus.publish(ipc('a'));
    bus.close();
    expect((await sub.recv())?.type).toBe('ipc');
    expect(await sub.recv()).toBeNull();
    const it2 = bus.subscribe();
    const seen: AstridEvent[] = [];
    for await (const e of it2) seen.push(e);
    expect(seen).toEqual([]);
  });

  it('counts published events by kind', async () => {
    const registry = new Registry();
    const bus = new EventBus({ registry });
    bus.publish(ipc('a'));
    bus.publish(ipc('b'));
    bus.publish(shutdown());
    expect(
      await metricValue(registry, 'astrid_bus_events_published_total', { event_kind: 'ipc' }),
    ).toBe(2);
    expect(
      await metricValue(registry, 'astrid_bus_events_published_total', {
        event_kind: 'astrid.v1.lifecycle.kernel_shutdown',
      }),
    ).toBe(1);
  });
});

describe('EventBus routed subscriptions', () => {
  const route = (bus: EventBus, pattern: string, extra: object = {}) =>
    bus.subscribeRouted({
      capsuleUuid: 'cap-1',
      pattern,
      capsuleLabel: 'weather',
      label: 'capsule_guest',
      ...extra,
    });

  it('two routes on the same (capsule, pattern) each get all 10 events; closing one removes exactly one route', () => {
    const bus = new EventBus();
    const a = route(bus, 'x.*');
    const b = route(bus, 'x.*');
    expect(a.id).not.toBe(b.id);
    for (let i = 0; i < 10; i++) bus.publish(ipc(`x.${i}`, 'alice'));
    expect(a.tryDrain()).toHaveLength(10);
    expect(b.tryDrain()).toHaveLength(10);
    expect(bus.routedSubscriptionCount()).toBe(2);
    a.close();
    expect(bus.routedSubscriptionCount()).toBe(1);
    bus.publish(ipc('x.y'));
    expect(a.tryDrain()).toEqual([]);
    expect(b.tryDrain()).toHaveLength(1);
  });

  it('queued() counts waiting messages; waitReady resolves on a publish, a close, and rejects on abort', async () => {
    const bus = new EventBus();
    const r = route(bus, 'x.*');
    expect(r.queued()).toBe(0);
    const ready = r.waitReady();
    bus.publish(ipc('x.a', 'alice'));
    bus.publish(ipc('x.b', 'bob'));
    await ready;
    expect(r.queued()).toBe(2);
    await r.waitReady();
    expect(r.tryDrain()).toHaveLength(2);
    expect(r.queued()).toBe(0);

    const abort = new AbortController();
    const aborted = r.waitReady(abort.signal);
    abort.abort();
    await expect(aborted).rejects.toThrow();

    const onClose = r.waitReady();
    r.close();
    await onClose;
  });

  it('delivers private topics (secret answers) only to privileged routes', () => {
    const bus = new EventBus();
    const plain = route(bus, 'astrid.v1.elicit.*');
    const kernel = route(bus, 'astrid.v1.elicit.response.*', { privileged: true });
    bus.publish(ipc('astrid.v1.elicit.response.abc', 'alice', { value: 'secret' }));
    bus.publish(ipc('astrid.v1.elicit.other', 'alice'));
    expect(plain.tryDrain().map((m) => m.topic)).toEqual(['astrid.v1.elicit.other']);
    expect(kernel.tryDrain().map((m) => m.topic)).toEqual(['astrid.v1.elicit.response.abc']);
  });

  it('routes only IPC events whose topic matches', () => {
    const bus = new EventBus();
    const r = route(bus, 'a.b.*');
    bus.publish(ipc('a.b'));
    bus.publish(ipc('a.b.c.d'));
    bus.publish(shutdown());
    expect(r.tryDrain().map((m) => m.topic)).toEqual(['a.b.c.d']);
  });

  it('scoped route (alice) over the audit topic: 7 alice, 4 bob, 1 system → exactly alice’s 7', () => {
    const bus = new EventBus();
    const r = route(bus, 'astrid.v1.audit.entry', { scope: { principal: 'alice' } });
    for (let i = 0; i < 7; i++) bus.publish(ipc('astrid.v1.audit.entry', 'alice'));
    for (let i = 0; i < 4; i++) bus.publish(ipc('astrid.v1.audit.entry', 'bob'));
    bus.publish(ipc('astrid.v1.audit.entry', null));
    const got = r.tryDrain();
    expect(got).toHaveLength(7);
    expect(got.every((m) => m.principal === 'alice')).toBe(true);
  });

  it('a foreign burst never wakes a scoped recv and allocates no queue', async () => {
    const bus = new EventBus();
    const r = route(bus, 'astrid.v1.audit.entry', { scope: { principal: 'alice' } });
    const pending = r.recv(50);
    for (let i = 0; i < 100; i++) bus.publish(ipc('astrid.v1.audit.entry', 'bob'));
    expect(r.activePrincipals()).toBe(0);
    expect(r.bytesInUse()).toBe(0);
    expect(await pending).toBeNull();
  });

  it('a route scoped to the system accepts only unattributed messages', () => {
    const bus = new EventBus();
    const r = route(bus, 'k.*', { scope: { principal: null } });
    bus.publish(ipc('k.a', 'alice'));
    bus.publish(ipc('k.b', null));
    expect(r.tryDrain().map((m) => m.topic)).toEqual(['k.b']);
  });

  it('recv is loss-free: three queued events come back one per call', async () => {
    const bus = new EventBus();
    const r = route(bus, 'q.*');
    bus.publish(ipc('q.1', 'alice'));
    bus.publish(ipc('q.2', 'alice'));
    bus.publish(ipc('q.3', 'bob'));
    const topics: string[] = [];
    for (let i = 0; i < 3; i++) topics.push((await r.recv(10))?.topic ?? 'none');
    expect(topics.sort()).toEqual(['q.1', 'q.2', 'q.3']);
    expect(await r.recv(10)).toBeNull();
  });

  it('recvBatch waits for one, then drains the rest without losing anything', async () => {
    const bus = new EventBus();
    const r = route(bus, 'q.*');
    const pending = r.recvBatch();
    bus.publish(ipc('q.1', 'alice'));
    bus.publish(ipc('q.2', 'bob'));
    const first = await pending;
    const rest = r.tryDrain();
    expect([...first, ...rest].map((m) => m.topic).sort()).toEqual(['q.1', 'q.2']);
  });

  it('recvBatch honours its byte budget and leaves the remainder queued', async () => {
    const bus = new EventBus();
    const r = route(bus, 'q.*');
    for (let i = 0; i < 10; i++) bus.publish(ipc('q.x', `p${i}`, { pad: 'x'.repeat(90) }));
    const batch = await r.recvBatch(250);
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.length).toBeLessThan(10);
    expect(batch.length + r.tryDrain().length).toBe(10);
  });

  it('recv remembers a wake-up that arrived before it waited', async () => {
    const bus = new EventBus();
    const r = route(bus, 'q.*');
    bus.publish(ipc('q.1'));
    expect((await r.recv())?.topic).toBe('q.1');
  });

  it('recv times out with null, rejects on abort, and returns null once closed', async () => {
    const bus = new EventBus();
    const r = route(bus, 'q.*');
    expect(await r.recv(5)).toBeNull();
    const ctl = new AbortController();
    const aborted = r.recv(undefined, ctl.signal);
    ctl.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    const waiting = r.recv();
    r.close();
    expect(await waiting).toBeNull();
    expect(r.closed).toBe(true);
  });

  it('two concurrent receivers on one route share the traffic without spinning', async () => {
    const bus = new EventBus();
    const r = route(bus, 'q.*');
    const a = r.recv(200);
    const b = r.recv(200);
    bus.publish(ipc('q.1'));
    bus.publish(ipc('q.2'));
    const got = (await Promise.all([a, b])).map((m) => m?.topic).sort();
    expect(got).toEqual(['q.1', 'q.2']);
  });

  it('routed receivers never report lag', () => {
    const bus = new EventBus();
    expect(route(bus, 'a').drainLagged()).toBe(0);
  });

  it('counts route evictions by capsule and principal class, and logs them as security events', async () => {
    const registry = new Registry();
    const logger = recordingLogger();
    const bus = new EventBus({ registry, logger });
    const r = route(bus, 'e.*', { budgetBytes: 300 });
    for (let i = 0; i < 5; i++) bus.publish(ipc('e.x', 'alice', { pad: 'x'.repeat(80) }));
    expect(r.bytesInUse()).toBeLessThanOrEqual(300);
    expect(
      await metricValue(registry, 'astrid_capsule_route_byte_evictions_total', {
        capsule: 'weather',
        principal_class: 'user',
      }),
    ).toBeGreaterThan(0);
    const warn = logger.lines.find((l) => l.level === 'warn');
    expect(warn?.fields.security_event).toBe(true);
    expect(JSON.stringify(warn?.fields)).not.toContain('alice');
    bus.publish(ipc('e.x', null, { pad: 'x'.repeat(400) }));
    expect(
      await metricValue(registry, 'astrid_capsule_route_byte_evictions_total', {
        principal_class: 'system',
      }),
    ).toBe(1);
  });

  it('exposes active principals and budget bytes per capsule as gauges', async () => {
    const registry = new Registry();
    const bus = new EventBus({ registry });
    const r = route(bus, 'g.*');
    bus.publish(ipc('g.1', 'alice'));
    bus.publish(ipc('g.2', 'bob'));
    expect(
      await metricValue(registry, 'astrid_capsule_route_active_principals', { capsule: 'weather' }),
    ).toBe(2);
    expect(
      await metricValue(registry, 'astrid_capsule_route_budget_bytes_in_use', {
        capsule: 'weather',
      }),
    ).toBe(r.bytesInUse());
    r.tryDrain();
    expect(
      await metricValue(registry, 'astrid_capsule_route_active_principals', { capsule: 'weather' }),
    ).toBe(0);
  });

  it('closing the bus closes every route; subscribing afterwards yields a closed route', () => {
    const bus = new EventBus();
    const r = route(bus, 'a.*');
    bus.close();
    expect(r.closed).toBe(true);
    expect(bus.routedSubscriptionCount()).toBe(0);
    expect(route(bus, 'a.*').closed).toBe(true);
  });
});
