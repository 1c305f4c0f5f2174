import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { ipcMessage } from '../../src/events/ipc-message.js';
import { rawJson } from '../../src/events/ipc-payload.js';
import { componentFromJs } from '../helpers/components.js';
import { call, type Harness, harness } from '../helpers/engine-harness.js';
import { PROBE_JS, PROBE_WORLD } from '../helpers/guests.js';

let h: Harness;
let probe: WasmEngine;
let component: Uint8Array;
const ACL = `
[publish]
"probe.*" = "opaque"
"astrid.v1.audit.*" = "opaque"
[subscribe]
"probe.*" = "opaque"
"astrid.v1.*" = "opaque"
"astrid.v1.audit.entry" = "opaque"
`;

beforeAll(async () => {
  component = await componentFromJs(PROBE_JS, PROBE_WORLD, 'probe');
  h = await harness();
  h.profiles.set('slowpoke', { groups: ['agent'], quotas: { maxIpcThroughputBytes: 100 } });
  probe = await h.engine('probe', component, ACL);
}, 180_000);
afterAll(() => h.close());

function send(topic: string, principal: string | null, body: Record<string, string> = {}) {
  h.bus.publish(ipcEvent(ipcMessage({ topic, payload: rawJson(body), principal })));
}

describe('ipc.publish', () => {
  it('publishes JSON on an allowed topic, attributed to the caller, from the capsule session', async () => {
    const seen = h.bus.subscribeRouted({ capsuleUuid: 't', pattern: 'probe.*', capsuleLabel: 't' });
    expect(
      await call(
        probe,
        'publish',
        { topic: 'probe.out', body: '{"type":"raw_json","x":1}' },
        'alice',
      ),
    ).toEqual({ ok: 'ok' });
    const [m] = seen.tryDrain();
    expect(m?.topic).toBe('probe.out');
    expect(m?.principal).toBe('alice');
    expect(m?.claimed).toBe(false);
    expect(m?.sourceId).toBe(probe.sessionUuid);
    expect(m?.payload).toEqual({ type: 'raw_json', value: { x: 1 } });
    expect(await call(probe, 'publish', { topic: 'probe.out', body: '{"a":1}' })).toEqual({
      ok: 'ok',
    });
    expect(seen.tryDrain()[0]?.principal).toBe('default');
    seen.close();
  });

  it.each([
    ['a topic with a wildcard', { topic: 'probe.*', body: '{}' }, 'invalid-input'],
    ['an empty segment', { topic: 'probe..x', body: '{}' }, 'invalid-input'],
    ['an uppercase segment', { topic: 'probe.X', body: '{}' }, 'invalid-input'],
    ['more than 8 segments', { topic: 'probe.a.b.c.d.e.f.g.h', body: '{}' }, 'invalid-input'],
    ['a topic over 256 bytes', { topic: `probe.${'a'.repeat(260)}`, body: '{}' }, 'invalid-input'],
    ['a topic outside [publish]', { topic: 'other.topic', body: '{}' }, 'capability-denied'],
    ['a payload that is not JSON', { topic: 'probe.x', body: '{nope' }, 'invalid-input'],
  ])('refuses %s', async (_label, args, code) => {
    expect(await call(probe, 'publish', args)).toEqual({ err: code });
  });

  it('refuses a payload over 1 MiB and accepts one just under', async () => {
    // Building a 1 MiB string in a JS guest costs more than the default 1e10 fuel per call.
    const big = await h.engine('bigpub', component, ACL, {
      limits: { poolMax: 1, minIdle: 1, callFuel: 100_000_000_000n },
    });
    expect(await call(big, 'publishBig', { topic: 'probe.x', bytes: 1024 * 1024 })).toEqual({
      err: 'invalid-input',
    });
    expect(await call(big, 'publishBig', { topic: 'probe.x', bytes: 1024 * 1024 - 2 })).toEqual({
      ok: 'ok',
    });
  }, 60_000);

  it('charges the IPC byte quota of the effective principal and refuses past it', async () => {
    expect(
      await call(probe, 'publish', { topic: 'probe.x', body: '"0123456789"' }, 'slowpoke'),
    ).toEqual({ ok: 'ok' });
    const big = JSON.stringify('y'.repeat(80));
    expect(await call(probe, 'publish', { topic: 'probe.x', body: big }, 'slowpoke')).toEqual({
      err: 'rate-limited',
    });
    // Another principal is unaffected.
    expect(await call(probe, 'publish', { topic: 'probe.x', body: big }, 'bob')).toEqual({
      ok: 'ok',
    });
  });

  it('publish-as is for uplink capsules only, and subscribers see the principal as claimed', async () => {
    expect(
      await call(probe, 'publishAs', { topic: 'probe.x', body: '{}', principal: 'mallory' }),
    ).toEqual({
      err: 'capability-denied',
    });
    const uplink = await h.engine('uplinker', component, `${ACL}\n[capabilities]\nuplink = true\n`);
    const seen = h.bus.subscribeRouted({
      capsuleUuid: 't2',
      pattern: 'probe.*',
      capsuleLabel: 't',
    });
    expect(
      await call(uplink, 'publishAs', { topic: 'probe.claim', body: '{}', principal: 'carol' }),
    ).toEqual({ ok: 'ok' });
    expect(
      await call(uplink, 'publishAs', { topic: 'probe.claim', body: '{}', principal: 'bad id!' }),
    ).toEqual({
      err: 'invalid-input',
    });
    const [m] = seen.tryDrain();
    expect(m?.principal).toBe('carol');
    expect(m?.claimed).toBe(true);
    seen.close();
  });
});

/** Waits until the guest's subscription exists on the bus. */
async function routeCount(n: number): Promise<void> {
  for (let i = 0; i < 500 && h.bus.routedSubscriptionCount() < n; i++)
    await new Promise((r) => setTimeout(r, 10));
}

describe('ipc.subscribe and receive', () => {
  it('receives a batch with attribution (verified, system, claimed) and keeps the interceptor caller', async () => {
    const base = h.bus.routedSubscriptionCount();
    const pending = call(
      probe,
      'subscribeRecv',
      { pattern: 'probe.in.*', timeoutMs: 5000, times: 1 },
      'alice',
    );
    await routeCount(base + 1);
    send('probe.in.a', 'dave', { n: '1' });
    send('probe.in.b', null, { n: '2' });
    h.bus.publish(
      ipcEvent(
        ipcMessage({
          topic: 'probe.in.c',
          payload: rawJson({ n: '3' }),
          principal: 'carol',
          claimed: true,
        }),
      ),
    );
    const out = (await pending) as {
      ok: {
        messages: { topic: string; payload: string; principal: string }[];
        readyAfter: boolean;
        caller: string;
      };
    };
    // One queue per publishing principal, drained round robin in arrival order of the principals.
    expect(out.ok.messages.map((m) => [m.topic, m.principal, JSON.parse(m.payload).n])).toEqual([
      ['probe.in.a', 'verified:dave', '1'],
      ['probe.in.b', 'system', '2'],
      ['probe.in.c', 'claimed:carol', '3'],
    ]);
    expect(out.ok.caller).toBe('alice');
    expect(out.ok.readyAfter).toBe(false);
  });

  it('recv times out with the timeout error and the readiness pollable reports queued messages', async () => {
    const out = (await call(probe, 'subscribeRecv', {
      pattern: 'probe.quiet',
      timeoutMs: 50,
      times: 1,
    })) as {
      ok: { messages: unknown[] };
    };
    expect(out.ok.messages).toEqual([{ error: 'timeout' }]);
  });

  it('resets resources between pooled calls: a subscription from an earlier call is closed', async () => {
    const eng = await h.engine('receiver', component, ACL, { limits: { poolMax: 1, minIdle: 1 } });
    expect(await call(eng, 'subscribe', { pattern: 'probe.in.*' })).toEqual({ ok: 1 });
    expect(await call(eng, 'poll')).toEqual({ err: 'closed' });
  });

  it.each([
    ['a wildcard that is not last', 'probe.*.x', 'invalid-input'],
    ['a pattern outside [subscribe]', 'other.*', 'capability-denied'],
    ['a broader pattern than granted', 'probe', 'capability-denied'],
    ['more than 8 segments', 'probe.a.b.c.d.e.f.g.h', 'invalid-input'],
  ])('refuses %s', async (_label, pattern, code) => {
    expect(await call(probe, 'subscribe', { pattern })).toEqual({ err: code });
  });

  it('allows at most 128 subscriptions per instance', async () => {
    expect(await call(probe, 'subscribeMany', { pattern: 'probe.many' })).toEqual({
      ok: 128,
      err: 'quota',
    });
  });
});

describe('astrid:io/poll', () => {
  it('blocks until a subscription has messages and reports exactly the ready pollables', async () => {
    const base = h.bus.routedSubscriptionCount();
    const pending = call(probe, 'pollTwo', { p1: 'probe.one', p2: 'probe.two' });
    await routeCount(base + 2);
    await new Promise((r) => setTimeout(r, 50));
    send('probe.two', 'zed');
    expect(await pending).toEqual({
      ok: { before: [false, false], ready: [1], after: [false, true] },
    });
  });

  it('refuses an empty list', async () => {
    expect(await call(probe, 'pollNone')).toEqual({ err: 'invalid-input' });
  });
});
