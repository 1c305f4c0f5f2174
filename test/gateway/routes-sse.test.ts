import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRINCIPAL } from '../../src/core/ids/principal-id.js';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { ipcMessage } from '../../src/events/ipc-message.js';
import { guestJsonValue, type IpcPayload, rawJson } from '../../src/events/ipc-payload.js';
import { DEFAULT_SSE_TIMINGS, setSseTimings } from '../../src/gateway/sse/sse-timings.js';
import { type GatewayHarness, startGateway } from '../helpers/gateway-harness.js';
import { SseClient } from './sse-client.js';

let gw: GatewayHarness;
const bearer: Record<string, string> = {};
const open: SseClient[] = [];
/** Routed bus subscriptions with no stream open (the kernel's own). */
let baseline = 0;

beforeAll(async () => {
  gw = await startGateway();
  // Short keep-alives so the comment line is observable; prompt streams keep the real cap unless a test shortens it.
  setSseTimings(gw.ctx, { keepAliveMs: 100, promptTimeoutMs: DEFAULT_SSE_TIMINGS.promptTimeoutMs });
  const admin = gw.adminClient;
  await admin.admin('AgentCreate', { name: 'alice', groups: ['agent'] });
  await admin.admin('AgentCreate', { name: 'bob', groups: ['agent'] });
  await admin.admin('AgentCreate', { name: 'mute', groups: ['restricted'] });
  await admin.admin('AgentCreate', {
    name: 'carol',
    groups: ['agent'],
    grants: ['audit:read_all'],
  });
  await admin.admin('GroupCreate', {
    name: 'auditors',
    capabilities: ['self:*', 'audit:read_all'],
  });
  await admin.admin('AgentCreate', { name: 'dave', groups: ['auditors'] });
  for (const p of [DEFAULT_PRINCIPAL, 'alice', 'bob', 'mute', 'carol', 'dave'])
    bearer[p] = gw.bearerFor(p);
  baseline = gw.kernel.bus.routedSubscriptionCount();
}, 60_000);

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

afterAll(async () => {
  await gw?.close();
});

async function stream(
  path: string,
  who: string,
  options: { method?: string; body?: unknown } = {},
): Promise<SseClient> {
  const c = await SseClient.open(`${gw.url}${path}`, { ...options, bearer: bearer[who] as string });
  open.push(c);
  return c;
}

async function until(fn: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const FORGED = `${Buffer.from('default').toString('base64url')}.${Buffer.from('1').toString('base64url')}.${Buffer.from('99999999999').toString('base64url')}.${'ab'.repeat(64)}`;

interface AuditEvent {
  method: string;
  principal: string | null;
  outcome: string;
}

describe('GET /api/events', () => {
  it('refuses a missing or bad bearer with 401 and a principal without self:audit:read with 403', async () => {
    for (const b of [undefined, 'nope', FORGED]) {
      const r = await gw.fetch('/api/events', b === undefined ? {} : { bearer: b });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: 'unauthorized' });
    }
    const r = await gw.fetch('/api/events', { bearer: bearer.mute as string });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({
      error: 'forbidden',
      reason: 'permission denied for principal mute: missing capability self:audit:read',
    });
  });

  it("scopes an agent to its own rows; the administrator sees everyone's", async () => {
    const mine = await stream('/api/events', 'alice');
    expect(mine.response.status).toBe(200);
    expect(mine.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(mine.response.headers['cache-control']).toBe('no-cache');
    expect(mine.response.headers['x-content-type-options']).toBe('nosniff');
    expect(await mine.event('ready')).toEqual({ principal: 'alice', firehose: false });
    const all = await stream('/api/events', DEFAULT_PRINCIPAL);
    expect(await all.event('ready')).toEqual({ principal: 'default', firehose: true });

    // Bob acts first, then Alice: Alice's stream must show only her own row.
    expect((await gw.fetch('/api/capsules', { bearer: bearer.bob as string })).status).toBe(200);
    expect((await gw.fetch('/api/sys/status', { bearer: bearer.alice as string })).status).toBe(
      403,
    );

    const own = (await mine.event('audit')) as AuditEvent;
    expect(own).toMatchObject({
      method: 'GetStatus',
      principal: 'alice',
      outcome: 'failure',
      required_capability: 'system:status',
    });
    const seen = [
      (await all.event('audit')) as AuditEvent,
      (await all.event('audit')) as AuditEvent,
    ];
    expect(seen.map((e) => [e.principal, e.method])).toEqual([
      ['bob', 'ListCapsules'],
      ['alice', 'GetStatus'],
    ]);
    // Give a stray row time to arrive, then check Alice never got Bob's.
    await all.next((f) => f.kind === 'comment');
    expect(
      mine
        .events()
        .filter((e) => e.event === 'audit')
        .map((e) => (e.data as AuditEvent).principal),
    ).toEqual(['alice']);
  });

  it('decides the firehose with the capability check: direct grants and custom groups count', async () => {
    const carol = await stream('/api/events', 'carol');
    expect(await carol.event('ready')).toEqual({ principal: 'carol', firehose: true });
    const dave = await stream('/api/events', 'dave');
    expect(await dave.event('ready')).toEqual({ principal: 'dave', firehose: true });
    await gw.fetch('/api/capsules', { bearer: bearer.bob as string });
    expect(((await dave.event('audit')) as AuditEvent).principal).toBe('bob');
  });

  it('sends `: keep-alive` comment lines while idle', async () => {
    const c = await stream('/api/events', 'alice');
    await c.event('ready');
    expect(await c.next((f) => f.kind === 'comment')).toEqual({
      kind: 'comment',
      text: 'keep-alive',
    });
    expect(await c.next((f) => f.kind === 'comment')).toEqual({
      kind: 'comment',
      text: 'keep-alive',
    });
  });

  it('releases its bus subscription when the client disconnects', async () => {
    await until(() => gw.kernel.bus.routedSubscriptionCount() === baseline);
    const before = baseline;
    const c = await stream('/api/events', 'alice');
    await c.event('ready');
    expect(gw.kernel.bus.routedSubscriptionCount()).toBe(before + 1);
    c.close();
    await until(() => gw.kernel.bus.routedSubscriptionCount() === before);
  });
});

describe('POST /api/agent/prompt', () => {
  const publish = (topic: string, payload: IpcPayload, principal: string | null = null) =>
    gw.ctx.bus.publish(ipcEvent(ipcMessage({ topic, payload, principal }), 'test-capsule'));

  it('refuses a missing or bad bearer with 401 and bad input with 400', async () => {
    for (const b of [undefined, 'nope', FORGED]) {
      const r = await gw.fetch('/api/agent/prompt', {
        method: 'POST',
        body: { text: 'hi' },
        ...(b === undefined ? {} : { bearer: b }),
      });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: 'unauthorized' });
    }
    const alice = bearer.alice as string;
    for (const body of [
      {},
      { text: '' },
      '{nope',
      { text: { a: 1 } },
      { text: 'hi', session_id: { x: 1 } },
      [],
    ]) {
      const r = await gw.fetch('/api/agent/prompt', { method: 'POST', bearer: alice, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toMatchObject({ error: 'bad_request', reason: expect.any(String) });
    }
  });

  it("publishes the prompt as the caller and streams its session's events until the response", async () => {
    const prompts = gw.ctx.bus.subscribeRouted({
      capsuleUuid: 'test-prompt-reader',
      pattern: 'user.v1.prompt',
      capsuleLabel: 'test',
    });
    await until(() => gw.kernel.bus.routedSubscriptionCount() === baseline + 1);
    const before = baseline + 1;
    const c = await stream('/api/agent/prompt', 'alice', {
      method: 'POST',
      body: { text: 'what is the weather?', session_id: 's-1', context: { city: 'Oslo' } },
    });
    expect(c.response.status).toBe(200);
    expect(c.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(await c.event('ready')).toEqual({ session_id: 's-1', principal: 'alice' });
    expect(gw.kernel.bus.routedSubscriptionCount()).toBe(before + 4);

    const prompt = await prompts.recv(5000);
    prompts.close();
    expect(prompt?.principal).toBe('alice');
    expect(prompt === null ? null : guestJsonValue(prompt.payload)).toEqual({
      type: 'user_input',
      text: 'what is the weather?',
      session_id: 's-1',
      context: { city: 'Oslo' },
    });

    // What an agent capsule would publish, interleaved with another session's traffic.
    publish('agent.v1.stream.delta', rawJson({ session_id: 's-1', text: 'It is ' }));
    publish('agent.v1.stream.delta', rawJson({ session_id: 's-2', text: 'elsewhere' }));
    publish('agent.v1.response', {
      type: 'agent_response',
      text: 'not yours',
      is_final: true,
      session_id: 's-2',
    });
    publish('agent.v1.session_changed', rawJson({ session_id: 's-1', title: 'Weather' }));
    publish('astrid.v1.elicit', rawJson({ request_id: 'r-1', prompt: 'Which units?' }));
    publish('agent.v1.response', {
      type: 'agent_response',
      text: 'It is sunny.',
      is_final: true,
      session_id: 's-1',
    });
    await c.ended;
    expect(c.events()).toEqual([
      { event: 'ready', data: { session_id: 's-1', principal: 'alice' } },
      { event: 'delta', data: { session_id: 's-1', text: 'It is ' } },
      { event: 'session_changed', data: { session_id: 's-1', title: 'Weather' } },
      { event: 'elicit', data: { request_id: 'r-1', prompt: 'Which units?' } },
      {
        event: 'response',
        data: { type: 'agent_response', text: 'It is sunny.', is_final: true, session_id: 's-1' },
      },
    ]);
    await until(() => gw.kernel.bus.routedSubscriptionCount() === baseline);
  });

  it('starts a fresh session when none (or a blank one) is given', async () => {
    const c = await stream('/api/agent/prompt', 'bob', {
      method: 'POST',
      body: { text: 'hello', session_id: '   ' },
    });
    const ready = (await c.event('ready')) as { session_id: string; principal: string };
    expect(ready.principal).toBe('bob');
    expect(ready.session_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    publish('agent.v1.response', rawJson({ session_id: ready.session_id, text: 'hi bob' }));
    expect(await c.event('response')).toEqual({ session_id: ready.session_id, text: 'hi bob' });
    await c.ended;
  });

  it('keeps the stream open with keep-alives and ends it at the time cap', async () => {
    setSseTimings(gw.ctx, { promptTimeoutMs: 400 });
    try {
      const c = await stream('/api/agent/prompt', 'alice', {
        method: 'POST',
        body: { text: 'slow one', session_id: 's-slow' },
      });
      await c.event('ready');
      publish('agent.v1.response', rawJson({ session_id: 's-other', text: 'not this one' }));
      expect(await c.next((f) => f.kind === 'comment')).toEqual({
        kind: 'comment',
        text: 'keep-alive',
      });
      await c.ended;
      expect(c.events().map((e) => e.event)).toEqual(['ready']);
    } finally {
      setSseTimings(gw.ctx, { promptTimeoutMs: DEFAULT_SSE_TIMINGS.promptTimeoutMs });
    }
  });

  it('releases its subscriptions when the client goes away', async () => {
    await until(() => gw.kernel.bus.routedSubscriptionCount() === baseline);
    const before = baseline;
    const c = await stream('/api/agent/prompt', 'alice', {
      method: 'POST',
      body: { text: 'never mind', session_id: 's-gone' },
    });
    await c.event('ready');
    expect(gw.kernel.bus.routedSubscriptionCount()).toBe(before + 4);
    c.close();
    await until(() => gw.kernel.bus.routedSubscriptionCount() === before);
  });
});
