import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { isAstridError } from '../../src/core/errors.js';
import { HOST_SCOPE } from '../../src/core/ids/principal-id.js';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { ipcMessage } from '../../src/events/ipc-message.js';
import { rawJson } from '../../src/events/ipc-payload.js';
import { capsuleSecretStore } from '../../src/storage/secrets/capsule-secrets.js';
import { componentFromJs } from '../helpers/components.js';
import { call, type Harness, harness, parsePrincipalId } from '../helpers/engine-harness.js';
import { LOOP_JS, LOOP_WORLD, PROBE_JS, PROBE_WORLD } from '../helpers/guests.js';

let h: Harness;
let probeComponent: Uint8Array;
let loopComponent: Uint8Array;
const ACL = `
[publish]
"probe.*" = "opaque"
"loop.*" = "opaque"
[subscribe]
"probe.*" = "opaque"
"loop.*" = "opaque"
"astrid.v1.*" = "opaque"
`;

beforeAll(async () => {
  probeComponent = await componentFromJs(PROBE_JS, PROBE_WORLD, 'probe');
  loopComponent = await componentFromJs(LOOP_JS, LOOP_WORLD, 'loop');
  h = await harness();
  h.profiles
    .set('plain-owner', { groups: ['agent'] })
    .set('auditor', { groups: ['agent'], grants: ['audit:read_all'] })
    .set('slow', { groups: ['agent'], quotas: { maxTimeoutSecs: 1 } })
    .set('thrifty', { groups: ['agent'], quotas: { maxCpuFuelPerSec: 1000 } })
    .set('tiny', { groups: ['agent'], quotas: { maxMemoryBytes: 16 * 1024 * 1024 } })
    .set('off', { groups: ['agent'], enabled: false })
    .set('broken', 'invalid')
    .set('unbounded', {
      groups: ['agent'],
      grants: ['system:resources:unbounded'],
      quotas: { maxTimeoutSecs: 1 },
    })
    .set('bounded', { groups: ['agent'], quotas: { maxTimeoutSecs: 1 } });
}, 240_000);
afterAll(() => h.close());

function send(topic: string, principal: string | null, body: Record<string, string> = {}) {
  h.bus.publish(ipcEvent(ipcMessage({ topic, payload: rawJson(body), principal })));
}

/** What the probe's `work` action computes. */
function work(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s * 31 + i) % 1000003;
  return s;
}

async function routeCount(n: number): Promise<void> {
  for (let i = 0; i < 500 && h.bus.routedSubscriptionCount() < n; i++)
    await new Promise((r) => setTimeout(r, 10));
}

type Recv = { ok: { messages: { principal: string; topic: string }[] } };

describe('audit-topic self-scoping', () => {
  async function receive(engine: WasmEngine, pattern: string, topic: string) {
    const base = h.bus.routedSubscriptionCount();
    const pending = call(engine, 'subscribeRecv', { pattern, timeoutMs: 300, times: 1 });
    await routeCount(base + 1);
    send(topic, 'stranger');
    send(topic, engine.ctx.owner);
    send(topic, null);
    return ((await pending) as Recv).ok.messages.map((m) => m.principal);
  }

  it('an owner without audit:read_all sees only its own audit rows', async () => {
    const e = await h.engine('audit-own', probeComponent, ACL, {
      owner: parsePrincipalId('plain-owner'),
    });
    expect(await receive(e, 'astrid.v1.audit.entry', 'astrid.v1.audit.entry')).toEqual([
      'verified:plain-owner',
    ]);
    expect(
      h.logs.lines.some((l) => l.fields.security_event === true && l.fields.scope === 'owner'),
    ).toBe(true);
  });

  it('an owner holding audit:read_all gets the firehose', async () => {
    const e = await h.engine('audit-all', probeComponent, ACL, {
      owner: parsePrincipalId('auditor'),
    });
    expect(await receive(e, 'astrid.v1.audit.entry', 'astrid.v1.audit.entry')).toEqual([
      'verified:stranger',
      'verified:auditor',
      'system',
    ]);
  });

  it('a broad pattern covering the audit topic is scoped as a whole', async () => {
    const e = await h.engine('audit-broad', probeComponent, ACL, {
      owner: parsePrincipalId('plain-owner'),
    });
    expect(await receive(e, 'astrid.v1.*', 'astrid.v1.something.else')).toEqual([
      'verified:plain-owner',
    ]);
  });

  it('a pattern that does not cover the audit topic is not scoped', async () => {
    const e = await h.engine('audit-none', probeComponent, ACL, {
      owner: parsePrincipalId('plain-owner'),
    });
    expect(await receive(e, 'probe.feed', 'probe.feed')).toEqual([
      'verified:stranger',
      'verified:plain-owner',
      'system',
    ]);
  });
});

describe('bounds and isolation', () => {
  let probe: WasmEngine;
  beforeAll(async () => {
    probe = await h.engine('bounded-probe', probeComponent, ACL, {
      limits: { poolMax: 3, minIdle: 2 },
    });
  }, 60_000);

  it('a spinning interceptor is stopped by fuel while a concurrent call keeps answering', async () => {
    const spin = call(probe, 'spin', {}, 'alice').then(
      () => 'returned',
      (e: unknown) => (isAstridError(e, 'quota-exceeded') ? 'out of fuel' : String(e)),
    );
    const answers: unknown[] = [];
    for (let i = 0; i < 3; i++) answers.push(await call(probe, 'work', { n: 100 }, 'bob'));
    expect(answers).toEqual([{ ok: work(100) }, { ok: work(100) }, { ok: work(100) }]);
    expect(await spin).toBe('out of fuel');
    // The instance was replaced; alice just burned 1e10 fuel, so the CPU-rate gate now denies her.
    expect(await call(probe, 'echo', { after: 'spin' }, 'ivy')).toEqual({ after: 'spin' });
    expect(await call(probe, 'echo', {}, 'alice')).toEqual({
      denied: "principal 'alice' exceeded CPU budget of 2000000000 fuel/sec",
    });
  });

  it('a memory bomb hits the principal memory cap, and the peak stays under it', async () => {
    const err = await call(probe, 'membomb', {}, 'tiny').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const peak = h.ledgers.memory.peak(parsePrincipalId('tiny')) ?? 0;
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(await call(probe, 'echo', { ok: 1 }, 'tiny')).toEqual({ ok: 1 });
  });

  it('a timed-out call is replaced without affecting other principals', async () => {
    const slow = call(probe, 'sleep', { ms: 3000 }, 'slow').then(
      () => 'returned',
      (e: unknown) => (isAstridError(e, 'timeout') ? (e as Error).message : String(e)),
    );
    expect(await call(probe, 'work', { n: 10 }, 'bob')).toEqual({ ok: work(10) });
    expect(await slow).toMatch(/did not answer 'sleep' within 1 s; the instance was replaced/);
    expect(await call(probe, 'caller', {}, 'bob')).toMatchObject({ ok: { principal: 'bob' } });
  });

  it('CLEAR runs after a throw and after a timeout: the next lease sees no caller and no resources', async () => {
    const one = await h.engine('clear-check', probeComponent, ACL, {
      limits: { poolMax: 1, minIdle: 1 },
    });
    await expect(call(one, 'throw', {}, 'henry')).rejects.toThrow(/astrid_hook_trigger failed/);
    expect(await call(one, 'caller')).toEqual({
      ok: { principal: null, source: '', timestamp: '' },
    });
    await expect(call(one, 'sleep', { ms: 3000 }, 'slow')).rejects.toThrow(/did not answer/);
    expect(await call(one, 'caller')).toEqual({
      ok: { principal: null, source: '', timestamp: '' },
    });
    expect(await call(one, 'subscribe', { pattern: 'probe.x' })).toEqual({ ok: 1 });
    expect(await call(one, 'poll')).toEqual({ err: 'closed' });
  });

  it('a principal over its CPU rate gets a Deny result, not an error', async () => {
    expect(await call(probe, 'work', { n: 10 }, 'thrifty')).toEqual({ ok: work(10) });
    expect(await call(probe, 'work', { n: 10 }, 'thrifty')).toEqual({
      denied: "principal 'thrifty' exceeded CPU budget of 1000 fuel/sec",
    });
    await new Promise((r) => setTimeout(r, 1050));
    expect(await call(probe, 'work', { n: 10 }, 'thrifty')).toEqual({ ok: work(10) });
  });

  it('a disabled principal or an unusable profile is an error (a chain continues)', async () => {
    await expect(call(probe, 'echo', {}, 'off')).rejects.toThrow("principal 'off' is disabled");
    await expect(call(probe, 'echo', {}, 'broken')).rejects.toThrow(
      /principal 'broken' profile invalid/,
    );
  });

  it('charges fuel to the invoking principal across capsules', async () => {
    const other = await h.engine('second-capsule', probeComponent, ACL);
    const carol = parsePrincipalId('carol');
    expect(h.ledgers.fuel.total(carol)).toBe(0n);
    await call(probe, 'work', { n: 1000 }, 'carol');
    const afterOne = h.ledgers.fuel.total(carol);
    await call(other, 'work', { n: 1000 }, 'carol');
    const afterTwo = h.ledgers.fuel.total(carol);
    expect(afterOne).toBeGreaterThan(0n);
    expect(afterTwo).toBeGreaterThan(afterOne);
    expect(h.ledgers.fuel.total(parsePrincipalId('dave'))).toBe(0n);
  });

  it('serves many principals concurrently within the pool bound', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(probe, 'caller', {}, `user${i}`)),
    );
    expect(results.map((r) => (r as { ok: { principal: string } }).ok.principal)).toEqual(
      Array.from({ length: 12 }, (_, i) => `user${i}`),
    );
    expect(probe.instanceCount).toBeLessThanOrEqual(3);
  });
});

describe('astrid:sys', () => {
  let probe: WasmEngine;
  beforeAll(async () => {
    probe = await h.engine(
      'sys-probe',
      probeComponent,
      `${ACL}\n[env.API_KEY]\ntype = "Secret"\n[env.MODE]\ntype = "text"\n`,
      {
        config: new Map([['MODE', 'fast']]),
      },
    );
  }, 60_000);

  it('get-config reads secrets (principal, then host-wide), the caller overlay, then the config', async () => {
    expect(await call(probe, 'config', { key: 'MODE' })).toEqual({ ok: 'fast' });
    expect(await call(probe, 'config', { key: 'API_KEY' })).toEqual({ ok: null });
    await capsuleSecretStore(h.home, HOST_SCOPE, probe.capsuleId).set('API_KEY', 'host-key');
    expect(await call(probe, 'config', { key: 'API_KEY' }, 'erin')).toEqual({ ok: 'host-key' });
    await capsuleSecretStore(h.home, parsePrincipalId('erin'), probe.capsuleId).set(
      'API_KEY',
      'erin-key',
    );
    expect(await call(probe, 'config', { key: 'API_KEY' }, 'erin')).toEqual({ ok: 'erin-key' });
    const erin = h.home.principal(parsePrincipalId('erin'));
    await erin.ensure();
    await writeFile(erin.envFile(probe.capsuleId), JSON.stringify({ MODE: 'erin-mode' }));
    expect(await call(probe, 'config', { key: 'MODE' }, 'erin')).toEqual({ ok: 'erin-mode' });
    expect(await call(probe, 'config', { key: 'MODE' })).toEqual({ ok: 'fast' });
    expect(await call(probe, 'config', { key: 'NOPE' })).toEqual({ ok: null });
  });

  it('get-caller reports the message behind the call', async () => {
    const out = (await call(probe, 'caller', {}, 'frank')) as {
      ok: { principal: string; source: string; timestamp: string };
    };
    expect(out.ok.principal).toBe('frank');
    expect(out.ok.source).toBe('11111111-1111-4111-8111-111111111111');
    expect(out.ok.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T.*\+00:00$/);
  });

  it('log writes to the effective principal capsule log', async () => {
    await h.home.defaultPrincipal.ensure();
    expect(await call(probe, 'log', { level: 'warn', message: 'careful' })).toEqual({
      ok: 'logged',
    });
    const date = new Date().toISOString().slice(0, 10);
    const text = await readFile(
      join(h.home.defaultPrincipal.logDir, probe.capsuleId, `${date}.log`),
      'utf8',
    );
    expect(text).toMatch(/^\d+\.\d{3} WARN \[sys-probe\] careful\n$/);
  });

  it('enforces entropy and sleep limits', async () => {
    expect(await call(probe, 'random', { n: 4096 })).toEqual({ ok: 4096 });
    expect(await call(probe, 'random', { n: 4097 })).toEqual({ err: 'too-large' });
    expect(await call(probe, 'sleep', { ms: 60_001 })).toEqual({ err: 'too-large' });
    expect(await call(probe, 'sleep', { ms: 5 })).toEqual({ ok: 'slept' });
  });

  it('enumerates its own capabilities and asks the registry about others', async () => {
    const out = (await call(probe, 'caps', { uuid: 'nope', cap: 'net' })) as { err?: string };
    expect(out).toEqual({ err: 'registry-unavailable' });
    const withRegistry = await h.engine(
      'caps-probe',
      probeComponent,
      `${ACL}\n[capabilities]\nnet = ["example.com"]\n`,
      {
        registry: {
          heldCapabilities: (uuid) => (uuid === 'known' ? ['net', 'uplink'] : undefined),
        },
      },
    );
    expect(await call(withRegistry, 'caps', { uuid: 'known', cap: 'uplink' })).toEqual({
      ok: { mine: ['net'], other: true },
    });
    expect(await call(withRegistry, 'caps', { uuid: 'known', cap: 'fs_read' })).toEqual({
      ok: { mine: ['net'], other: false },
    });
    expect(await call(withRegistry, 'caps', { uuid: 'other', cap: 'net' })).toEqual({
      ok: { mine: ['net'], other: false },
    });
  });
});

describe('run loops', () => {
  it('runs, signals ready, receives and publishes with the sender as caller; interceptors are not supported', async () => {
    const loop = await h.engine(
      'echo-loop',
      loopComponent,
      `${ACL}\n[subscribe."loop.in.*"]\nwit = "opaque"\nhandler = "on_in"\n`,
    );
    expect(loop.isRunLoop).toBe(true);
    expect(await loop.waitReady(10_000)).toBe('ready');
    const out = h.bus.subscribeRouted({
      capsuleUuid: 'obs',
      pattern: 'loop.out',
      capsuleLabel: 'obs',
    });
    send('loop.in.x', 'grace', { hi: '1' });
    const got = await out.recv(5000);
    if (got === null) throw new Error('the run loop did not answer');
    expect(got.principal).toBe('grace');
    const body = (
      got.payload as { type: string; data: { got: string; who: string; caller: string } }
    ).data;
    expect(JSON.parse(body.got)).toEqual({ hi: '1' });
    expect(body.who).toBe('grace');
    expect(body.caller).toBe('grace');
    expect(await loop.invokeInterceptor('on_in', new Uint8Array())).toMatchObject({
      kind: 'not-supported',
    });
    expect(loop.checkHealth()).toEqual({ ok: true });
    out.close();
  });

  it('a run loop that returns marks the capsule failed', async () => {
    const loop = await h.engine('return-loop', loopComponent, ACL, {
      config: new Map([['MODE', 'return']]),
    });
    for (let i = 0; i < 100 && loop.checkHealth().ok; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(loop.checkHealth()).toEqual({ ok: false, reason: 'the run loop returned' });
  });

  it('a spinning run loop is terminated after 3 windows; an exempt owner is not bounded', async () => {
    const spin = await h.engine('spin-loop', loopComponent, ACL, {
      owner: parsePrincipalId('bounded'),
      config: new Map([['MODE', 'spin']]),
    });
    const exempt = await h.engine('spin-exempt', loopComponent, ACL, {
      owner: parsePrincipalId('unbounded'),
      config: new Map([['MODE', 'spin']]),
    });
    expect(await spin.waitReady(5000)).toBe('ready');
    // Windows of 1 s (max_timeout_secs = 1): stopped after the third.
    for (let i = 0; i < 60 && spin.checkHealth().ok; i++)
      await new Promise((r) => setTimeout(r, 100));
    const health = spin.checkHealth();
    expect(health.ok).toBe(false);
    expect(!health.ok && health.reason).toMatch(/did not call ipc recv for 3 windows/);
    expect(exempt.checkHealth()).toEqual({ ok: true });
    await exempt.unload();
  }, 20_000);

  it('unloading cancels a run loop blocked in recv', async () => {
    const loop = await h.engine('unload-loop', loopComponent, ACL);
    expect(await loop.waitReady(10_000)).toBe('ready');
    const before = h.bus.routedSubscriptionCount();
    await loop.unload();
    expect(h.bus.routedSubscriptionCount()).toBe(before - 1);
    expect(await loop.invokeInterceptor('x', new Uint8Array())).toMatchObject({
      kind: 'not-supported',
    });
  });
});
